import { Button, Paper, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../api/types';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { useApiTokens, useRevokeApiToken } from './api';
import { ApiTokensTable } from './ApiTokensTable';
import { CreateTokenModal } from './CreateTokenModal';

/** Настройки → API-токены: tokens for integrations; the secret is shown once. */
export default function ApiTokensPage() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const revoke = useRevokeApiToken();
  const [createOpened, createModal] = useDisclosure(false);

  const confirmRevoke = (token: ApiToken) =>
    modals.openConfirmModal({
      title: t('apiTokens.revokeTitle'),
      children: <Text size="sm">{t('apiTokens.revokeText', { name: token.name })}</Text>,
      labels: { confirm: t('apiTokens.revoke'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        revoke.mutate(token.id, {
          onSuccess: () => notifySuccess(t('apiTokens.revoked')),
          onError: notifyError,
        }),
    });

  return (
    <>
      <PageHeader
        title={t('apiTokens.title')}
        description={t('apiTokens.description')}
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={createModal.open}>
            {t('apiTokens.add')}
          </Button>
        }
      />
      <Paper p={0} radius="md">
        {tokens.isPending ? (
          <PageLoader />
        ) : tokens.isError ? (
          <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : (
          <ApiTokensTable tokens={tokens.data} onRevoke={confirmRevoke} />
        )}
      </Paper>
      <CreateTokenModal opened={createOpened} onClose={createModal.close} />
    </>
  );
}
