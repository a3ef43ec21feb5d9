import { useState } from 'react';
import { Button, Paper } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { useUsers } from '../users/api';
import { useDepartments } from './api';
import { DepartmentModal } from './DepartmentModal';
import { DepartmentsTable } from './DepartmentsTable';
import { useAccess } from '../../../auth/permissions';

/** Настройки → Отделы. Admins edit; the owner reads. */
export default function DepartmentsPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const canEdit = access.can('department', 'write');
  const departments = useDepartments();
  const users = useUsers(canEdit);
  const [opened, modal] = useDisclosure(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = departments.data?.find((department) => department.id === editingId) ?? null;

  const openModal = (id: string | null) => {
    setEditingId(id);
    modal.open();
  };

  return (
    <>
      <PageHeader
        title={t('departments.title')}
        description={t('departments.description')}
        actions={
          canEdit ? (
            <Button leftSection={<IconPlus size={18} />} onClick={() => openModal(null)}>
              {t('departments.add')}
            </Button>
          ) : null
        }
      />
      <Paper p={0} radius="md">
        {departments.isPending ? (
          <PageLoader />
        ) : departments.isError ? (
          <QueryError error={departments.error} onRetry={() => void departments.refetch()} />
        ) : (
          <DepartmentsTable
            departments={departments.data}
            users={users.data}
            onEdit={canEdit ? (department) => openModal(department.id) : undefined}
          />
        )}
      </Paper>
      {canEdit ? <DepartmentModal opened={opened} department={editing} users={users.data} onClose={modal.close} /> : null}
    </>
  );
}
