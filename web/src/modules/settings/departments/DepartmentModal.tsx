import { useState } from 'react';
import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../../api/forms';
import type { Department, User } from '../../../api/types';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { headOptions } from '../users/options';
import { useCreateDepartment, useUpdateDepartment } from './api';

interface FormProps {
  /** null = a new department */
  department: Department | null;
  users: readonly User[] | undefined;
  onClose: () => void;
}

function DepartmentForm({ department, users, onClose }: FormProps) {
  const { t } = useTranslation();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: department?.name ?? '', headId: department?.headId ?? (null as string | null) },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const name = values.name.trim();
    try {
      if (department) {
        await update.mutateAsync({ id: department.id, version: department.version, name, headId: values.headId });
        notifySuccess(t('departments.updated'));
      } else {
        await create.mutateAsync({ name, ...(values.headId ? { headId: values.headId } : {}) });
        notifySuccess(t('departments.created', { name }));
      }
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <TextInput label={t('departments.name')} data-autofocus {...form.getInputProps('name')} />
        <Select
          label={t('departments.head')}
          description={t('departments.headHint')}
          placeholder={t('departments.noHead')}
          data={headOptions(users, department?.headId)}
          clearable
          allowDeselect
          searchable
          nothingFoundMessage={t('departments.noHeads')}
          {...form.getInputProps('headId')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {department ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface Props extends FormProps {
  opened: boolean;
}

/** Create («Новый отдел») or edit («Изменить отдел») a department. */
export function DepartmentModal({ opened, department, users, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={department ? t('departments.editTitle') : t('departments.addTitle')}>
      <DepartmentForm key={department?.id ?? 'new'} department={department} users={users} onClose={onClose} />
    </ResponsiveModal>
  );
}
