import { useState } from 'react';
import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAddressBook, IconBriefcase } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useClientName, useClientOptions, useDealBrief, useDealOptions } from './api';

interface PickerProps {
  value: string | null;
  onChange: (id: string | null, extra?: { clientId?: string }) => void;
  error?: React.ReactNode;
  disabled?: boolean;
}

/** The server already filtered the options: show them all. */
const noFilter = ({ options }: { options: unknown[] }) => options as never;

/** «Клиент»: a searchable picker over GET /clients?q (name, ИНН, phone — as the server searches). */
export function ClientPicker({ value, onChange, error, disabled }: PickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const [q] = useDebouncedValue(search, 250);
  const selected = useClientName(value);
  const selectedLabel = selected.data ?? null;
  // while the dropdown is open the search box holds the selected name: search everything then
  const options = useClientOptions(q === selectedLabel ? '' : q, opened);
  const list = (options.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: selectedLabel ?? '…' });

  return (
    <Select
      label={t('tasks.client')}
      placeholder={t('tasks.clientPlaceholder')}
      searchable
      clearable
      data={list}
      value={value}
      onChange={(id) => onChange(id)}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpened(true)}
      filter={noFilter}
      nothingFoundMessage={options.isFetching ? undefined : t('tasks.nothingFound')}
      rightSection={options.isFetching && opened ? <Loader size={14} /> : undefined}
      leftSection={<IconAddressBook size={16} />}
      error={error}
      disabled={disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** «Сделка»: open deals (of the chosen client, if any), searchable by title. Choosing one brings its client. */
export function DealPicker({ value, onChange, error, disabled, clientId }: PickerProps & { clientId: string | null }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const [q] = useDebouncedValue(search, 250);
  const selected = useDealBrief(value);
  const selectedLabel = selected.data?.title ?? null;
  const options = useDealOptions(q === selectedLabel ? '' : q, clientId, opened);
  const deals = options.data ?? [];
  const list = deals.map((d) => ({ value: d.id, label: clientId ? d.title : `${d.title} — ${d.clientName}` }));
  if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: selectedLabel ?? '…' });

  return (
    <Select
      label={t('tasks.deal')}
      placeholder={t('tasks.dealPlaceholder')}
      searchable
      clearable
      data={list}
      value={value}
      onChange={(id) => onChange(id, { clientId: deals.find((d) => d.id === id)?.clientId })}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpened(true)}
      filter={noFilter}
      nothingFoundMessage={options.isFetching ? undefined : t('tasks.nothingFound')}
      rightSection={options.isFetching && opened ? <Loader size={14} /> : undefined}
      leftSection={<IconBriefcase size={16} />}
      error={error}
      disabled={disabled}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
