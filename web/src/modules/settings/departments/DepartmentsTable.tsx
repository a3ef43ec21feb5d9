import { ActionIcon, Anchor, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Department, User } from '../../../api/types';

interface Props {
  departments: readonly Department[];
  users: readonly User[] | undefined;
  /** Absent for read-only viewers (the owner). */
  onEdit?: (department: Department) => void;
}

export function DepartmentsTable({ departments, users, onEdit }: Props) {
  const { t } = useTranslation();
  const userName = new Map((users ?? []).map((user) => [user.id, user.name]));
  const memberCount = (department: Department) => {
    if (typeof department.memberCount === 'number') return department.memberCount;
    if (!users) return t('common.dash');
    return users.filter((user) => user.departmentId === department.id).length;
  };

  if (departments.length === 0) {
    return (
      <Text c="dimmed" py="xl" ta="center">
        {t('departments.empty')}
      </Text>
    );
  }

  return (
    <Table.ScrollContainer minWidth={520}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('departments.name')}</Table.Th>
            <Table.Th>{t('departments.head')}</Table.Th>
            <Table.Th ta="right">{t('departments.members')}</Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {departments.map((department) => (
            <Table.Tr key={department.id}>
              <Table.Td>
                {onEdit ? (
                  <Anchor component="button" type="button" fw={500} ta="left" c="inherit" onClick={() => onEdit(department)}>
                    {department.name}
                  </Anchor>
                ) : (
                  <Text fw={500} span>
                    {department.name}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{(department.headId && userName.get(department.headId)) || t('common.dash')}</Table.Td>
              <Table.Td ta="right" className="tabular-nums">
                {memberCount(department)}
              </Table.Td>
              <Table.Td>
                {onEdit ? (
                  <ActionIcon onClick={() => onEdit(department)} aria-label={t('common.edit')} title={t('departments.editTitle')}>
                    <IconPencil size={18} stroke={1.6} />
                  </ActionIcon>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
