import { useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../../api/forms';
import type { Department, Role, User } from '../../../api/types';
import { validateName, validatePassword } from '../../../auth/validation';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useUpdateUser } from './api';
import { UserFields, type UserFormValues } from './UserFields';

interface Props {
  user: User | null;
  opened: boolean;
  onClose: () => void;
  departments: readonly Department[] | undefined;
}

function EditUserForm({ user, onClose, departments }: { user: User; onClose: () => void; departments: Props['departments'] }) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<UserFormValues>({
    initialValues: {
      email: user.email,
      name: user.name,
      role: user.role,
      departmentId: user.departmentId ?? null,
      password: '',
      active: user.active,
    },
    validate: {
      name: (value) => validateName(value, t),
      role: (value) => (value ? null : t('validation.roleRequired')),
      password: (value) => validatePassword(value, t, true),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await update.mutateAsync({
        id: user.id,
        version: user.version,
        name: values.name.trim(),
        role: values.role as Role,
        departmentId: values.departmentId ?? null,
        active: values.active,
        ...(values.password ? { password: values.password } : {}),
      });
      notifySuccess(t('users.updated'));
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {user.email}
        </Text>
        <FormError message={formError} />
        <UserFields form={form} departments={departments} mode="edit" />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Изменить пользователя»: name, role, department, active, optional new password. */
export function EditUserModal({ user, opened, onClose, departments }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('users.editTitle')}>
      {user ? <EditUserForm key={user.id} user={user} onClose={onClose} departments={departments} /> : null}
    </ResponsiveModal>
  );
}
