import { Select, type SelectProps } from '@mantine/core';
import { useCurrentUser } from '../../auth/useAuth';
import { useUsers } from './api';
import { useAccess } from '../../auth/permissions';

/** Active users who may own deals: a head sees his department, owner/admin everyone. */
export function OwnerSelect(props: Omit<SelectProps, 'data'> & { extra?: { id: string; name: string | null } }) {
  const me = useCurrentUser();
  const access = useAccess();
  const users = useUsers();
  const { extra, ...rest } = props;
  const list = (users.data ?? []).filter(
    (user) =>
      user.active &&
      access.ownerRoles.includes(user.role) &&
      (access.scopeOf('deal', 'write') !== 'department' || user.departmentId === me.departmentId || user.id === me.id),
  );
  const data = list.map((user) => ({ value: user.id, label: user.name }));
  if (extra?.id && !data.some((item) => item.value === extra.id)) data.push({ value: extra.id, label: extra.name ?? extra.id });
  return <Select searchable data={data} {...rest} />;
}
