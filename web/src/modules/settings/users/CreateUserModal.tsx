import { useState } from 'react';
import { Button, Group, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../../api/forms';
import type { Department, Role } from '../../../api/types';
import { validateEmail, validateName, validatePassword } from '../../../auth/validation';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useCreateUser } from './api';
import { UserFields, type UserFormValues } from './UserFields';

interface Props {
  opened: boolean;
  onClose: () => void;
  departments: readonly Department[] | undefined;
}

function CreateUserForm({ onClose, departments }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const create = useCreateUser();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<UserFormValues>({
    initialValues: { email: '', name: '', role: 'manager', departmentId: null, password: '', active: true },
    validate: {
      email: (value) => validateEmail(value, t),
      name: (value) => validateName(value, t),
      role: (value) => (value ? null : t('validation.roleRequired')),
      password: (value) => validatePassword(value, t),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const name = values.name.trim();
      await create.mutateAsync({
        email: values.email.trim(),
        name,
        role: values.role as Role,
        password: values.password,
        ...(values.departmentId ? { departmentId: values.departmentId } : {}),
      });
      notifySuccess(t('users.created', { name }));
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <UserFields form={form} departments={departments} mode="create" />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Добавить пользователя». */
export function CreateUserModal({ opened, onClose, departments }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('users.addTitle')}>
      <CreateUserForm onClose={onClose} departments={departments} />
    </ResponsiveModal>
  );
}
