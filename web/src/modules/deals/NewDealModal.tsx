import { useMemo, useState } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { applyApiErrorToForm } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useClient, useClientSearch, useCreateDeal, usePipelines } from './api';
import { ItemsEditor } from './ItemsEditor';
import { splitItemErrors, toItemInputs, validateItems, type DraftItem } from './items';
import { OwnerSelect } from './OwnerSelect';
import { useAccess } from '../../auth/permissions';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The pipeline shown on the board (the form starts there). */
  pipelineId?: string;
  /** A client chosen in advance (e.g. «Новая сделка» on a client card: /deals?new=1&clientId=…). */
  clientId?: string;
}

function ClientPicker({ value, onChange, error }: { value: string | null; onChange: (id: string | null) => void; error?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<{ id: string; label: string } | null>(null);
  const [q] = useDebouncedValue(search, 250);
  const preset = useClient(value && !picked ? value : null);
  const clients = useClientSearch(q);
  const data = useMemo(() => {
    const items = (clients.data ?? []).map((client) => {
      const hint = client.inn ? `${t('deals.create.inn')} ${client.inn}` : (client.region ?? '');
      return { value: client.id, label: hint ? `${client.name} · ${hint}` : client.name };
    });
    const selected = picked ?? (preset.data ? { id: preset.data.id, label: preset.data.name } : null);
    if (selected && !items.some((item) => item.value === selected.id)) items.unshift({ value: selected.id, label: selected.label });
    return items;
  }, [clients.data, picked, preset.data, t]);

  return (
    <Select
      label={t('deals.create.client')}
      placeholder={t('deals.create.clientPlaceholder')}
      withAsterisk
      searchable
      clearable
      data={data}
      value={value}
      error={error}
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={clients.isFetching ? t('app.loading') : t('deals.create.clientNothing')}
      onChange={(id, option) => {
        setPicked(id && option ? { id, label: option.label } : null);
        onChange(id);
      }}
      data-autofocus
    />
  );
}

function NewDealForm({ onClose, pipelineId, clientId }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const pipelines = usePipelines();
  const create = useCreateDeal();
  const [formError, setFormError] = useState<string | null>(null);
  const [items, setItems] = useState<DraftItem[]>([]);
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const active = (pipelines.data ?? []).filter((p) => !p.archived);
  const startPipeline = pipelineId ?? active.find((p) => p.isDefault)?.id ?? active[0]?.id ?? null;
  const form = useForm({
    initialValues: {
      clientId: clientId ?? (null as string | null),
      title: '',
      pipelineId: startPipeline,
      stageId: null as string | null,
      ownerId: null as string | null,
      source: '',
    },
    validate: {
      clientId: (value) => (value ? null : t('deals.create.clientRequired')),
      title: (value) => (value.trim() ? null : t('deals.create.titleRequired')),
    },
  });
  const pipeline = active.find((p) => p.id === (form.values.pipelineId ?? startPipeline));
  const stageOptions = (pipeline?.stages ?? [])
    .filter((s) => s.kind === 'open' && !s.archived)
    .map((s) => ({ value: s.id, label: s.name }));

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const localErrors = validateItems(items);
    setItemErrors(localErrors);
    if (Object.keys(localErrors).length > 0) return;
    try {
      const deal = await create.mutateAsync({
        clientId: values.clientId!,
        title: values.title.trim(),
        ...(values.pipelineId ? { pipelineId: values.pipelineId } : {}),
        ...(values.stageId ? { stageId: values.stageId } : {}),
        ...(values.ownerId ? { ownerId: values.ownerId } : {}),
        ...(values.source.trim() ? { source: values.source.trim() } : {}),
        items: toItemInputs(items),
      });
      notifySuccess(t('deals.create.created', { title: deal.title }));
      onClose();
      navigate(`/deals/${deal.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        const { items: forItems, other } = splitItemErrors(error.fields);
        setItemErrors(forItems);
        const rest = new ApiError(error.status, error.code, error.message, Object.keys(other).length ? other : undefined);
        const message = applyApiErrorToForm(form, rest);
        setFormError(message ?? (Object.keys(forItems).length ? null : error.message));
      } else {
        setFormError(applyApiErrorToForm(form, error));
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <ClientPicker
          value={form.values.clientId}
          onChange={(id) => form.setFieldValue('clientId', id)}
          error={form.errors.clientId as string | undefined}
        />
        <TextInput
          label={t('deals.create.name')}
          placeholder={t('deals.create.namePlaceholder')}
          withAsterisk
          {...form.getInputProps('title')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Select
            label={t('deals.create.pipeline')}
            data={active.map((p) => ({ value: p.id, label: p.name }))}
            {...form.getInputProps('pipelineId')}
            value={form.values.pipelineId ?? startPipeline}
            onChange={(value) => {
              form.setFieldValue('pipelineId', value);
              form.setFieldValue('stageId', null);
            }}
          />
          <Select
            label={t('deals.create.stage')}
            data={stageOptions}
            placeholder={stageOptions[0]?.label}
            clearable
            {...form.getInputProps('stageId')}
          />
          {access.beyondOwn('deal', 'write') ? (
            <OwnerSelect
              label={t('deals.create.owner')}
              placeholder={t('deals.create.ownerDefault')}
              clearable
              {...form.getInputProps('ownerId')}
            />
          ) : null}
          <TextInput label={t('deals.create.source')} placeholder={t('deals.create.sourcePlaceholder')} {...form.getInputProps('source')} />
        </SimpleGrid>
        <div>
          <Text fw={600} mb="xs">
            {t('deals.items.title')}
          </Text>
          <ItemsEditor items={items} onChange={setItems} errors={itemErrors} />
        </div>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('deals.create.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Новая сделка»: client, title, pipeline (and stage, owner, source), line items. */
export function NewDealModal({ opened, onClose, pipelineId, clientId }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('deals.create.title')} size={960}>
      {opened ? <NewDealForm onClose={onClose} pipelineId={pipelineId} clientId={clientId} /> : null}
    </ResponsiveModal>
  );
}
