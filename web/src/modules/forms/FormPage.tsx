import { Alert, Anchor, Badge, Grid, Group, Paper, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { useAccess } from '../../auth/permissions';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { StatusPage } from '../../ui/StatusPage';
import { notifySuccess } from '../../ui/notify';
import { useUpdateWebForm, useWebForm } from './api';
import { EmbedPanel } from './EmbedPanel';
import { FormEditor } from './FormEditor';

/** /settings/forms/:id: the code for the site (token, endpoint, snippets, «Сменить токен») and the settings. */
export default function FormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const access = useAccess();
  const canEdit = access.can('form', 'write');
  const query = useWebForm(id);
  const update = useUpdateWebForm();

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    if (isApiError(query.error, 404)) return <StatusPage title={t('errors.notFoundTitle')} text={t('webForms.notFound')} />;
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  }
  const form = query.data;

  return (
    <>
      <Group mb="xs">
        <Anchor component={Link} to="/settings/forms" size="sm">
          <Group gap={4}>
            <IconArrowLeft size={16} />
            {t('webForms.back')}
          </Group>
        </Anchor>
      </Group>
      <PageHeader
        title={form.name}
        actions={
          <Badge variant="light" size="lg" color={form.active ? 'green' : 'gray'}>
            {form.active ? t('webForms.active') : t('webForms.inactive')}
          </Badge>
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }} order={{ base: 1, lg: 2 }}>
          <EmbedPanel form={form} canEdit={canEdit} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }} order={{ base: 2, lg: 1 }}>
          <Paper withBorder p="md" radius="md">
            <Title order={4} mb="md">
              {t('webForms.settings')}
            </Title>
            {canEdit ? null : (
              <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} mb="md">
                {t('webForms.readOnly')}
              </Alert>
            )}
            <FormEditor
              // a fresh editor for each saved version (after a save, a 409 reload or a token change)
              key={`${form.id}:${form.version}`}
              form={form}
              readOnly={!canEdit}
              submitLabel={t('webForms.save')}
              busy={update.isPending}
              onSubmit={async (input) => {
                try {
                  const saved = await update.mutateAsync({ id: form.id, ...input, version: form.version });
                  notifySuccess(t('webForms.saved', { name: saved.name }));
                } catch (error) {
                  if (isApiError(error, 409)) {
                    notifications.show({ color: 'red', title: t('errors.title'), message: t('webForms.conflict'), autoClose: 8000 });
                    return;
                  }
                  throw error;
                }
              }}
            />
          </Paper>
        </Grid.Col>
      </Grid>
    </>
  );
}
