import { useState } from 'react';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../../api/forms';
import type { CreatedApiToken } from '../../../api/types';
import { FormError } from '../../../ui/FormError';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useCreateApiToken } from './api';

interface Props {
  opened: boolean;
  onClose: () => void;
  onCreated: (token: CreatedApiToken & { name: string }) => void;
}

function CreateTokenForm({ onClose, onCreated }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const create = useCreateApiToken();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (value) => (value.trim() ? null : t('validation.required')) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const name = values.name.trim();
      const created = await create.mutateAsync({ name });
      onCreated({ ...created, name });
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <TextInput
          label={t('apiTokens.name')}
          placeholder={t('apiTokens.namePlaceholder')}
          withAsterisk
          data-autofocus
          {...form.getInputProps('name')}
        />
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

/** «Создать токен»: asks for a name. */
export function CreateTokenModal({ opened, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('apiTokens.addTitle')}>
      <CreateTokenForm onClose={onClose} onCreated={onCreated} />
    </ResponsiveModal>
  );
}
