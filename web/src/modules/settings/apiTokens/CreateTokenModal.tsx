import { useState } from 'react';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { applyApiErrorToForm } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useCreateApiToken } from './api';
import { TokenCreatedView } from './TokenCreatedView';

interface Props {
  opened: boolean;
  onClose: () => void;
}

interface Created {
  name: string;
  token: string;
}

function CreateTokenForm({ onClose, onCreated }: { onClose: () => void; onCreated: (created: Created) => void }) {
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
      onCreated({ name, token: created.token });
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

/** «Создать токен»: asks for a name, then shows the secret once («Токен создан») in the same modal. */
export function CreateTokenModal({ opened, onClose }: Props) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<Created | null>(null);
  const close = () => {
    setCreated(null); // the secret leaves memory with the modal
    onClose();
  };

  return (
    <ResponsiveModal
      opened={opened}
      onClose={close}
      title={created ? t('apiTokens.createdTitle') : t('apiTokens.addTitle')}
      closeOnClickOutside={!created}
    >
      {created ? (
        <TokenCreatedView name={created.name} token={created.token} onDone={close} />
      ) : (
        <CreateTokenForm onClose={close} onCreated={setCreated} />
      )}
    </ResponsiveModal>
  );
}
