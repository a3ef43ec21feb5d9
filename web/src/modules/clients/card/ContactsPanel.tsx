import { useState } from 'react';
import { ActionIcon, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { IconPencil, IconPlus, IconTrash, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { applyApiErrorToForm } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { useContacts, useDeleteContact, useSaveContact, type Contact } from '../api';
import { formatPhone } from '../format';
import { PanelBody, Section } from './Section';

interface ContactValues {
  name: string;
  position: string;
  phones: string;
  emails: string;
}

/** Several phones or e-mails in one input, separated by commas. */
const splitList = (value: string) =>
  value
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);

function ContactForm({ clientId, contact, onClose }: { clientId: string; contact: Contact | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveContact(clientId);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ContactValues>({
    initialValues: {
      name: contact?.name ?? '',
      position: contact?.position ?? '',
      phones: (contact?.phones ?? []).map(formatPhone).join(', '),
      emails: (contact?.emails ?? []).join(', '),
    },
    validate: { name: (value) => (value.trim() ? null : t('clients.validation.nameRequired')) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await save.mutateAsync({
        id: contact?.id,
        version: contact?.version,
        name: values.name.trim(),
        position: values.position.trim(),
        phones: splitList(values.phones),
        emails: splitList(values.emails),
      });
      notifySuccess(t('clients.contacts.saved'));
      onClose();
    } catch (error) {
      // `phones.1` of the request → the «Телефоны» input
      if (error instanceof ApiError && error.fields) {
        const fields: Record<string, string> = {};
        for (const [path, message] of Object.entries(error.fields)) fields[path.replace(/\.\d+$/, '')] = message;
        Object.defineProperty(error, 'fields', { value: fields });
      }
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormError message={formError} />
        <TextInput
          label={t('clients.contacts.name')}
          placeholder={t('clients.contacts.namePlaceholder')}
          withAsterisk
          data-autofocus
          {...form.getInputProps('name')}
        />
        <TextInput
          label={t('clients.contacts.position')}
          placeholder={t('clients.contacts.positionPlaceholder')}
          {...form.getInputProps('position')}
        />
        <TextInput
          label={t('clients.field.phones')}
          placeholder="+7 912 345-67-89, +7 343 123-45-67"
          type="tel"
          {...form.getInputProps('phones')}
        />
        <TextInput label={t('clients.field.emails')} placeholder="anna@romashka.ru" type="email" {...form.getInputProps('emails')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {contact ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Контакты» of a company: the people to talk to, with their phones and e-mails. */
export function ContactsPanel({ clientId, canEdit, bare }: { clientId: string; canEdit: boolean; bare?: boolean }) {
  const { t } = useTranslation();
  const contacts = useContacts(clientId);
  const remove = useDeleteContact(clientId);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [opened, setOpened] = useState(false);

  const open = (contact: Contact | null) => {
    setEditing(contact);
    setOpened(true);
  };
  const confirmDelete = (contact: Contact) =>
    modals.openConfirmModal({
      title: t('clients.contacts.deleteTitle'),
      children: <Text size="sm">{t('clients.contacts.deleteText', { name: contact.name })}</Text>,
      labels: { confirm: t('clients.delete.confirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(contact.id, {
          onSuccess: () => notifySuccess(t('clients.contacts.deleted')),
          onError: notifyError,
        }),
    });

  const items = contacts.data ?? [];
  return (
    <Section
      title={t('clients.card.contacts')}
      count={items.length}
      bare={bare}
      action={
        canEdit ? (
          <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => open(null)}>
            {t('clients.contacts.add')}
          </Button>
        ) : null
      }
    >
      <PanelBody query={contacts} isEmpty={items.length === 0} empty={t('clients.contacts.empty')}>
        <Stack gap="sm">
          {items.map((contact) => (
            <Group key={contact.id} justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Group gap="xs" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
                <IconUserCircle size={22} stroke={1.4} style={{ flex: 'none', color: 'var(--mantine-color-dimmed)' }} />
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500}>
                    {contact.name}
                  </Text>
                  {contact.position ? (
                    <Text size="xs" c="dimmed">
                      {contact.position}
                    </Text>
                  ) : null}
                  <Group gap="xs" mt={2}>
                    {contact.phones.map((phone) => (
                      <Anchor key={phone} href={`tel:${phone}`} size="sm" className="tabular-nums">
                        {formatPhone(phone)}
                      </Anchor>
                    ))}
                    {contact.emails.map((email) => (
                      <Anchor key={email} href={`mailto:${email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {email}
                      </Anchor>
                    ))}
                  </Group>
                </div>
              </Group>
              {canEdit ? (
                <Group gap={0} wrap="nowrap">
                  <ActionIcon aria-label={`${t('clients.contacts.edit')}: ${contact.name}`} onClick={() => open(contact)}>
                    <IconPencil size={16} />
                  </ActionIcon>
                  <ActionIcon aria-label={`${t('clients.contacts.delete')}: ${contact.name}`} onClick={() => confirmDelete(contact)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ) : null}
            </Group>
          ))}
        </Stack>
      </PanelBody>
      <ResponsiveModal
        opened={opened}
        onClose={() => setOpened(false)}
        title={editing ? t('clients.contacts.editTitle') : t('clients.contacts.addTitle')}
      >
        {opened ? <ContactForm clientId={clientId} contact={editing} onClose={() => setOpened(false)} /> : null}
      </ResponsiveModal>
    </Section>
  );
}
