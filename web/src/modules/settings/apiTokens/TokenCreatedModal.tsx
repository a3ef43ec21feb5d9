import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';

interface Props {
  /** The secret, shown only while this modal is open; null = closed. */
  token: { name: string; token: string } | null;
  onClose: () => void;
}

/** Shows a newly created token once, with a copy button. */
export function TokenCreatedModal({ token, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal
      opened={token !== null}
      onClose={onClose}
      title={t('apiTokens.createdTitle')}
      closeOnClickOutside={false}
    >
      {token ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
            {t('apiTokens.createdText')}
          </Alert>
          <Text size="sm" fw={500}>
            {token.name}
          </Text>
          <Code block data-testid="api-token-value" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {token.token}
          </Code>
          <Group justify="space-between" gap="sm">
            <CopyButton value={token.token}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'green' : undefined}
                  leftSection={copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  onClick={copy}
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>{t('common.done')}</Button>
          </Group>
        </Stack>
      ) : null}
    </ResponsiveModal>
  );
}
