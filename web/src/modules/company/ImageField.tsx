import { useState } from 'react';
import { Button, Center, FileButton, Group, Image, Input, Paper, Stack, Text } from '@mantine/core';
import { IconPhoto, IconTrash, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { MAX_IMAGE_BYTES } from '../../../../common/api/settings';

interface Props {
  label: string;
  description: string;
  value: string | null;
  onChange: (dataUrl: string | null) => void;
  error?: React.ReactNode;
  readOnly?: boolean;
  testId: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** A logo or facsimile: PNG/JPEG ≤ 500 KB turned into a data URL, with a preview on a checkered background. */
export function ImageField({ label, description, value, onChange, error, readOnly, testId }: Props) {
  const { t } = useTranslation();
  const [localError, setLocalError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const pick = async (file: File | null) => {
    setLocalError(null);
    if (!file) return;
    if (file.type !== 'image/png' && file.type !== 'image/jpeg') {
      setLocalError(t('company.image.badType'));
      return;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      setLocalError(t('company.image.tooBig', { size: Math.ceil(file.size / 1024) }));
      return;
    }
    try {
      const dataUrl = await readAsDataUrl(file);
      setFileName(file.name);
      onChange(dataUrl.replace(/^data:image\/jpg;/, 'data:image/jpeg;'));
    } catch {
      setLocalError(t('company.image.readFailed'));
    }
  };

  return (
    <Input.Wrapper
      label={label}
      description={`${description} ${t('company.image.rules')}.`}
      error={localError ?? error}
      data-testid={testId}
    >
      <Group gap="md" mt={6} align="center" wrap="wrap">
        <Paper
          withBorder
          radius="sm"
          w={200}
          h={110}
          style={{
            overflow: 'hidden',
            // a checkered background shows where a facsimile is transparent
            background: 'repeating-conic-gradient(#f1f3f5 0% 25%, #fff 0% 50%) 50% / 16px 16px',
          }}
        >
          {value ? (
            <Image src={value} alt={fileName ? t('company.image.preview', { name: fileName }) : label} fit="contain" h={108} w={198} />
          ) : (
            <Center h="100%">
              <Stack gap={2} align="center">
                <IconPhoto size={28} stroke={1.4} color="var(--mantine-color-gray-5)" />
                <Text size="xs" c="dimmed">
                  {t('company.image.empty')}
                </Text>
              </Stack>
            </Center>
          )}
        </Paper>
        {readOnly ? null : (
          <Stack gap="xs">
            <FileButton onChange={(file) => void pick(file)} accept="image/png,image/jpeg">
              {(props) => (
                <Button {...props} variant="light" size="xs" leftSection={<IconUpload size={14} />}>
                  {value ? t('company.image.replace') : t('company.image.upload')}
                </Button>
              )}
            </FileButton>
            {value ? (
              <Button
                variant="subtle"
                color="red"
                size="xs"
                leftSection={<IconTrash size={14} />}
                onClick={() => {
                  setFileName(null);
                  setLocalError(null);
                  onChange(null);
                }}
              >
                {t('company.image.remove')}
              </Button>
            ) : null}
          </Stack>
        )}
      </Group>
    </Input.Wrapper>
  );
}
