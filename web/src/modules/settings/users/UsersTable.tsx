import { ActionIcon, Anchor, Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Department, User } from '../../../api/types';
import { roleLabelKey } from '../../../auth/roles';

interface Props {
  users: readonly User[];
  departments: readonly Department[] | undefined;
  onEdit: (user: User) => void;
}

export function UsersTable({ users, departments, onEdit }: Props) {
  const { t } = useTranslation();
  const departmentName = new Map((departments ?? []).map((d) => [d.id, d.name]));

  if (users.length === 0) {
    return (
      <Text c="dimmed" py="xl" ta="center">
        {t('users.empty')}
      </Text>
    );
  }

  return (
    <Table.ScrollContainer minWidth={680}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.name')}</Table.Th>
            <Table.Th>{t('users.email')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.department')}</Table.Th>
            <Table.Th>{t('users.active')}</Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id} c={user.active ? undefined : 'dimmed'}>
              <Table.Td>
                <Anchor component="button" type="button" fw={500} ta="left" onClick={() => onEdit(user)} c="inherit">
                  {user.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{user.email}</Table.Td>
              <Table.Td>{t(roleLabelKey(user.role))}</Table.Td>
              <Table.Td>{(user.departmentId && departmentName.get(user.departmentId)) || t('common.dash')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={user.active ? 'green' : 'gray'}>
                  {user.active ? t('common.yes') : t('common.no')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <ActionIcon onClick={() => onEdit(user)} aria-label={t('common.edit')} title={t('users.editTitle')}>
                  <IconPencil size={18} stroke={1.6} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
