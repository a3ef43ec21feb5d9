import { ActionIcon, Button, Code, CopyButton, Group, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconCheck, IconCopy, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../ui/notify';
import { QueryError } from '../../ui/QueryError';
import type { WebForm } from '../../../../common/api/forms';
import { useFormSnippet, useRotateFormToken } from './api';

function CopyIcon({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('common.copied') : `${t('common.copy')}: ${label}`} withArrow>
          <ActionIcon variant="light" color={copied ? 'green' : undefined} onClick={copy} aria-label={`${t('common.copy')}: ${label}`}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A labelled piece of code with a copy button. */
function Snippet({ label, hint, value, block, testId }: { label: string; hint?: string; value: string; block?: boolean; testId?: string }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-end">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {label}
          </Text>
          {hint ? (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          ) : null}
        </div>
        <CopyIcon value={value} label={label} />
      </Group>
      <Code
        block={block}
        data-testid={testId}
        style={{
          wordBreak: 'break-all',
          whiteSpace: 'pre-wrap',
          display: 'block',
          padding: block ? undefined : '6px 8px',
          maxHeight: 320,
          overflow: 'auto',
        }}
      >
        {value}
      </Code>
    </Stack>
  );
}

/** «Подключение к сайту»: token, endpoint URL, the HTML form and the script tag, «Сменить токен». */
export function EmbedPanel({ form, canEdit }: { form: WebForm; canEdit: boolean }) {
  const { t } = useTranslation();
  const snippet = useFormSnippet(form.id, form.token);
  const rotate = useRotateFormToken();

  const confirmRotate = () =>
    modals.openConfirmModal({
      title: t('webForms.embed.rotateTitle'),
      children: <Text size="sm">{t('webForms.embed.rotateText')}</Text>,
      labels: { confirm: t('webForms.embed.rotate'), cancel: t('common.cancel') },
      confirmProps: { color: 'red', 'data-testid': 'confirm-rotate' } as never,
      onConfirm: async () => {
        try {
          await rotate.mutateAsync(form.id);
          notifySuccess(t('webForms.embed.rotated'));
        } catch (error) {
          notifyError(error);
        }
      },
    });

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={4}>{t('webForms.embed.title')}</Title>
          {canEdit ? (
            <Button
              variant="light"
              color="red"
              size="xs"
              leftSection={<IconRefresh size={16} />}
              loading={rotate.isPending}
              onClick={confirmRotate}
            >
              {t('webForms.embed.rotate')}
            </Button>
          ) : null}
        </Group>
        <Text size="sm" c="dimmed">
          {t('webForms.embed.intro')}
        </Text>
        <Snippet label={t('webForms.embed.token')} value={form.token} testId="form-token" />
        <Snippet
          label={t('webForms.embed.endpoint')}
          hint={t('webForms.embed.endpointHint')}
          value={form.endpointUrl}
          testId="form-endpoint"
        />
        {snippet.isPending ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              {t('webForms.embed.loading')}
            </Text>
          </Group>
        ) : snippet.isError ? (
          <QueryError error={snippet.error} onRetry={() => void snippet.refetch()} />
        ) : (
          <>
            <Snippet label={t('webForms.embed.html')} value={snippet.data.html} block testId="form-html-snippet" />
            <Snippet
              label={t('webForms.embed.script')}
              hint={t('webForms.embed.scriptHint', { token: form.token })}
              value={snippet.data.script}
              block
              testId="form-script-snippet"
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}
