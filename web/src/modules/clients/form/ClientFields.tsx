import { useEffect, useState } from 'react';
import {
  ActionIcon,
  Button,
  Collapse,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  UnstyledButton,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconChevronDown, IconChevronRight, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { REQUISITES_FIELDS, type ClientFormValues } from './clientForm';

interface Props {
  form: UseFormReturnType<ClientFormValues>;
  /** Choices of «Ответственный» (head, owner, admin); hidden when absent. */
  owners?: { value: string; label: string }[];
  /** Open «Реквизиты» from the start (the edit form). */
  requisitesOpened?: boolean;
}

function ListInput({
  form,
  field,
  label,
  addLabel,
  placeholder,
  type,
}: {
  form: UseFormReturnType<ClientFormValues>;
  field: 'phones' | 'emails';
  label: string;
  addLabel: string;
  placeholder?: string;
  type: 'tel' | 'email';
}) {
  const { t } = useTranslation();
  const rows = form.getValues()[field];
  return (
    <Stack gap={6}>
      {rows.map((_, index) => (
        <Group key={form.key(`${field}.${index}`)} gap={6} wrap="nowrap" align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            label={index === 0 ? label : undefined}
            aria-label={index === 0 ? undefined : `${label} ${index + 1}`}
            placeholder={placeholder}
            type={type}
            inputMode={type === 'tel' ? 'tel' : 'email'}
            autoComplete="off"
            {...form.getInputProps(`${field}.${index}`)}
          />
          {rows.length > 1 ? (
            <ActionIcon
              mt={index === 0 ? 26 : 4}
              size="lg"
              aria-label={`${t('clients.field.remove')}: ${label} ${index + 1}`}
              onClick={() => form.removeListItem(field, index)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          ) : null}
        </Group>
      ))}
      <div>
        <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem(field, '')}>
          {addLabel}
        </Button>
      </div>
    </Stack>
  );
}

/** The inputs of a client card: kind, name, ИНН/КПП/ОГРН, phones, e-mails, region, address, source, tags, «Реквизиты». */
export function ClientFields({ form, owners, requisitesOpened = false }: Props) {
  const { t } = useTranslation();
  const [requisites, setRequisites] = useState(requisitesOpened);
  const values = form.getValues();
  const person = values.kind === 'person';
  const errors = form.errors;
  const requisitesError = REQUISITES_FIELDS.some((field) => errors[field]);

  // a server error in a hidden field opens the block, so the message is seen
  useEffect(() => {
    if (requisitesError) setRequisites(true);
  }, [requisitesError]);

  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={500} mb={4} id="client-kind-label">
          {t('clients.field.kind')}
        </Text>
        <SegmentedControl
          aria-labelledby="client-kind-label"
          fullWidth
          data={[
            { value: 'company', label: t('clients.kind.company') },
            { value: 'person', label: t('clients.kind.person') },
          ]}
          {...form.getInputProps('kind')}
        />
      </div>
      <TextInput
        label={person ? t('clients.field.namePerson') : t('clients.field.name')}
        placeholder={person ? t('clients.field.namePersonPlaceholder') : t('clients.field.namePlaceholder')}
        withAsterisk
        data-autofocus
        {...form.getInputProps('name')}
      />
      <SimpleGrid cols={{ base: 1, xs: person ? 2 : 3 }} spacing="sm">
        <TextInput label={t('clients.field.inn')} inputMode="numeric" maxLength={14} {...form.getInputProps('inn')} />
        {person ? null : <TextInput label={t('clients.field.kpp')} maxLength={9} {...form.getInputProps('kpp')} />}
        <TextInput
          label={person ? t('clients.field.ogrnip') : t('clients.field.ogrn')}
          inputMode="numeric"
          maxLength={15}
          {...form.getInputProps('ogrn')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <ListInput
          form={form}
          field="phones"
          type="tel"
          label={t('clients.field.phone')}
          addLabel={t('clients.field.addPhone')}
          placeholder={t('clients.field.phonePlaceholder')}
        />
        <ListInput
          form={form}
          field="emails"
          type="email"
          label={t('clients.field.email')}
          addLabel={t('clients.field.addEmail')}
          placeholder="info@romashka.ru"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <TextInput label={t('clients.field.region')} placeholder={t('clients.field.regionPlaceholder')} {...form.getInputProps('region')} />
        <Textarea label={t('clients.field.address')} autosize minRows={1} maxRows={4} {...form.getInputProps('address')} />
        <TextInput label={t('clients.field.source')} placeholder={t('clients.field.sourcePlaceholder')} {...form.getInputProps('source')} />
        <TagsInput
          label={t('clients.field.tags')}
          placeholder={t('clients.field.tagsPlaceholder')}
          clearable
          {...form.getInputProps('tags')}
        />
      </SimpleGrid>
      {owners ? <Select label={t('clients.field.owner')} data={owners} searchable {...form.getInputProps('ownerId')} /> : null}

      <UnstyledButton
        type="button"
        onClick={() => setRequisites((open) => !open)}
        aria-expanded={requisites}
        py={4}
        style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
      >
        <Group gap={6} pt="xs">
          {requisites ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          <Text fw={600} size="sm">
            {t('clients.field.requisites')}
          </Text>
          <Text c="dimmed" size="xs">
            {t('clients.field.bik')}, {t('clients.field.account').toLowerCase()}, {t('clients.field.bankName').toLowerCase()}
          </Text>
        </Group>
      </UnstyledButton>
      <Collapse expanded={requisites}>
        <Stack gap="sm">
          {person ? null : <TextInput label={t('clients.field.legalName')} {...form.getInputProps('legalName')} />}
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput label={t('clients.field.bik')} inputMode="numeric" maxLength={9} {...form.getInputProps('bik')} />
            <TextInput label={t('clients.field.bankName')} {...form.getInputProps('bankName')} />
            <TextInput label={t('clients.field.account')} inputMode="numeric" maxLength={20} {...form.getInputProps('account')} />
            <TextInput label={t('clients.field.corrAccount')} inputMode="numeric" maxLength={20} {...form.getInputProps('corrAccount')} />
          </SimpleGrid>
        </Stack>
      </Collapse>
    </Stack>
  );
}
