import { Anchor, Group, Paper } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAccess } from '../../auth/permissions';
import { PageHeader } from '../../ui/PageHeader';
import { ForbiddenPage } from '../../ui/StatusPage';
import { notifySuccess } from '../../ui/notify';
import { useCreateWebForm } from './api';
import { FormEditor } from './FormEditor';

/** /settings/forms/new: the editor; after «Создать» the form page with its code for the site. */
export default function NewFormPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const create = useCreateWebForm();
  if (!access.can('form', 'write')) return <ForbiddenPage />;
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
      <PageHeader title={t('webForms.newTitle')} />
      <Paper withBorder p="md" radius="md" maw={880}>
        <FormEditor
          submitLabel={t('webForms.create')}
          busy={create.isPending}
          onSubmit={async (input) => {
            const form = await create.mutateAsync(input);
            notifySuccess(t('webForms.created', { name: form.name }));
            void navigate(`/settings/forms/${form.id}`, { replace: true });
          }}
        />
      </Paper>
    </>
  );
}
