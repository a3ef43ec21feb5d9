import { useState } from 'react';
import { Button, Paper } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { useDepartments } from '../departments/api';
import { useUsers } from './api';
import { CreateUserModal } from './CreateUserModal';
import { EditUserModal } from './EditUserModal';
import { UsersTable } from './UsersTable';

/** Настройки → Пользователи (admin only). */
export default function UsersPage() {
  const { t } = useTranslation();
  const users = useUsers();
  const departments = useDepartments();
  const [createOpened, createModal] = useDisclosure(false);
  const [editOpened, editModal] = useDisclosure(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  // always the freshest copy, so a PATCH after a refetch carries the current `version`
  const editing = users.data?.find((user) => user.id === editingId) ?? null;

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={createModal.open}>
            {t('users.add')}
          </Button>
        }
      />
      <Paper p={0} radius="md">
        {users.isPending ? (
          <PageLoader />
        ) : users.isError ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <UsersTable
            users={users.data}
            departments={departments.data}
            onEdit={(user) => {
              setEditingId(user.id);
              editModal.open();
            }}
          />
        )}
      </Paper>
      <CreateUserModal opened={createOpened} onClose={createModal.close} departments={departments.data} />
      <EditUserModal user={editing} opened={editOpened} onClose={editModal.close} departments={departments.data} />
    </>
  );
}
