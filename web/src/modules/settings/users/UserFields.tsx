import { PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../api/types';
import { departmentOptions, roleOptions } from './options';

export interface UserFormValues {
  email: string;
  name: string;
  role: string;
  departmentId: string | null;
  password: string;
  active: boolean;
}

interface UserFieldsProps {
  form: UseFormReturnType<UserFormValues>;
  departments: readonly Department[] | undefined;
  mode: 'create' | 'edit';
}

/** The inputs shared by «Добавить пользователя» and «Изменить пользователя». */
export function UserFields({ form, departments, mode }: UserFieldsProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {mode === 'create' ? (
        <TextInput
          label={t('users.email')}
          type="email"
          inputMode="email"
          autoComplete="off"
          data-autofocus
          {...form.getInputProps('email')}
        />
      ) : null}
      <TextInput label={t('users.name')} autoComplete="off" {...form.getInputProps('name')} />
      <Select label={t('users.role')} data={roleOptions(t)} {...form.getInputProps('role')} />
      <Select
        label={t('users.department')}
        data={departmentOptions(departments)}
        placeholder={t('users.noDepartment')}
        clearable
        allowDeselect
        {...form.getInputProps('departmentId')}
      />
      {mode === 'edit' ? (
        <Switch label={t('users.active')} description={t('users.activeHint')} {...form.getInputProps('active', { type: 'checkbox' })} />
      ) : null}
      <PasswordInput
        label={mode === 'create' ? t('users.password') : t('users.newPassword')}
        description={mode === 'create' ? t('users.passwordHint') : t('users.newPasswordHint')}
        autoComplete="new-password"
        {...form.getInputProps('password')}
      />
    </Stack>
  );
}
