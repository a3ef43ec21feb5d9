import { useState } from 'react';
import { Button, Group, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { applyApiErrorToForm } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useCreateLead } from './api';
import { leadName } from './leadUi';

interface Values {
  name: string;
  phone: string;
  email: string;
  company: string;
  comment: string;
  source: string;
}

function NewLeadForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateLead();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', phone: '', email: '', company: '', comment: '', source: '' },
    validate: {
      name: (v, values) => (v.trim() || values.phone.trim() || values.email.trim() ? null : t('leads.newModal.contactRequired')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const opt = (s: string) => s.trim() || undefined;
    try {
      const lead = await create.mutateAsync({
        name: opt(values.name),
        phone: opt(values.phone),
        email: opt(values.email),
        company: opt(values.company),
        comment: opt(values.comment),
        source: opt(values.source),
      });
      notifySuccess(t('leads.newModal.created', { name: leadName(t, lead) }));
      onClose();
      void navigate(`/leads/${lead.id}`);
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput label={t('leads.newModal.name')} data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={t('leads.newModal.phone')}
            type="tel"
            inputMode="tel"
            placeholder="+7 912 345-67-89"
            {...form.getInputProps('phone')}
          />
          <TextInput label={t('leads.newModal.email')} type="email" inputMode="email" {...form.getInputProps('email')} />
        </SimpleGrid>
        <TextInput label={t('leads.newModal.company')} {...form.getInputProps('company')} />
        <TextInput
          label={t('leads.newModal.source')}
          placeholder={t('leads.newModal.sourcePlaceholder')}
          {...form.getInputProps('source')}
        />
        <Textarea label={t('leads.newModal.comment')} autosize minRows={2} maxRows={6} {...form.getInputProps('comment')} />
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

/** «Добавить лид»: a lead taken by phone or at a meeting goes through the same intake as the site's. */
export function NewLeadModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('leads.newModal.title')}>
      <NewLeadForm onClose={onClose} />
    </ResponsiveModal>
  );
}
