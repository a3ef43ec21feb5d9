import { useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, Radio, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api/client';
import { applyApiErrorToForm, errorMessage } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { StatusBadge } from '../ClientBadges';
import { useLossReasons, useMerge, useReassign, useRefuse, useUsers, type Client } from '../api';
import { formatPhone } from '../format';
import { useAccess } from '../../../auth/permissions';

interface ModalProps {
  client: Client;
  opened: boolean;
  onClose: () => void;
}

// ── «Отказ» ──

function RefusalForm({ client, onClose }: Omit<ModalProps, 'opened'>) {
  const { t } = useTranslation();
  const reasons = useLossReasons();
  const refuse = useRefuse(client.id);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ reasonId: string | null; comment: string }>({
    initialValues: { reasonId: null, comment: '' },
    validate: {
      reasonId: (value) => (value ? null : t('clients.refusal.reasonRequired')),
      comment: (value) => (value.trim() ? null : t('clients.refusal.commentRequired')),
    },
  });
  const options = (reasons.data ?? [])
    .filter((reason) => !reason.archived)
    .sort((a, b) => a.position - b.position)
    .map((reason) => ({ value: reason.id, label: reason.name }));

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await refuse.mutateAsync({ reasonId: values.reasonId, comment: values.comment.trim(), version: client.version });
      notifySuccess(t('clients.refusal.done'));
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('clients.refusal.hint')}
        </Text>
        <FormError message={formError} />
        <Select
          label={t('clients.refusal.reason')}
          placeholder={t('clients.refusal.reasonPlaceholder')}
          data={options}
          withAsterisk
          rightSection={reasons.isPending ? <Loader size="xs" /> : undefined}
          error={form.errors.reasonId ?? (reasons.isError ? errorMessage(reasons.error) : undefined)}
          {...form.getInputProps('reasonId')}
        />
        <Textarea
          label={t('clients.refusal.comment')}
          placeholder={t('clients.refusal.commentPlaceholder')}
          withAsterisk
          autosize
          minRows={3}
          {...form.getInputProps('comment')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={refuse.isPending}>
            {t('clients.refusal.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RefusalModal({ client, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('clients.refusal.title')}>
      {opened ? <RefusalForm client={client} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}

// ── «Передать другому менеджеру» ──

function ReassignForm({ client, onClose }: Omit<ModalProps, 'opened'>) {
  const { t } = useTranslation();
  const access = useAccess();
  const users = useUsers();
  const reassign = useReassign(client.id);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<{ ownerId: string | null }>({
    initialValues: { ownerId: null },
    validate: { ownerId: (value) => (value ? null : t('clients.reassign.required')) },
  });
  const options = (users.data ?? [])
    .filter((user) => user.active && access.ownerRoles.includes(user.role) && user.id !== client.ownerId)
    .map((user) => ({ value: user.id, label: user.name }));

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await reassign.mutateAsync({ ownerId: values.ownerId! });
      const name = users.data?.find((user) => user.id === values.ownerId)?.name ?? '';
      notifySuccess(t('clients.reassign.done', { name }));
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('clients.reassign.hint')}
        </Text>
        <FormError message={formError} />
        <Select
          label={t('clients.reassign.to')}
          data={options}
          searchable
          withAsterisk
          data-autofocus
          rightSection={users.isPending ? <Loader size="xs" /> : undefined}
          {...form.getInputProps('ownerId')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={reassign.isPending}>
            {t('clients.reassign.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ReassignModal({ client, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('clients.reassign.title')}>
      {opened ? <ReassignForm client={client} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}

// ── «Объединить с…» ──

function MergeForm({ client, onClose }: Omit<ModalProps, 'opened'>) {
  const { t } = useTranslation();
  const merge = useMerge(client.id);
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query.trim(), 300);
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [selectError, setSelectError] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['clients', 'merge-candidates', q],
    queryFn: ({ signal }) => api.get<Page<Client>>('/clients', { q, limit: 10 }, signal),
    enabled: q.length > 0,
  });
  const candidates = useMemo(() => (found.data?.items ?? []).filter((item) => item.id !== client.id), [found.data, client.id]);
  const source = candidates.find((item) => item.id === sourceId) ?? null;

  const run = async () => {
    if (!source) return;
    setFormError(null);
    try {
      await merge.mutateAsync({ sourceId: source.id });
      notifySuccess(t('clients.merge.done'));
      onClose();
    } catch (error) {
      setConfirming(false);
      setFormError(errorMessage(error));
    }
  };

  if (confirming && source) {
    return (
      <Stack gap="sm">
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
          {t('clients.merge.confirmText', { source: source.name, target: client.name })}
        </Alert>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" loading={merge.isPending} onClick={() => void run()}>
            {t('clients.merge.confirm')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('clients.merge.hint')}
      </Text>
      <FormError message={formError} />
      <TextInput
        label={t('clients.merge.search')}
        placeholder={t('clients.merge.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        rightSection={found.isFetching ? <Loader size="xs" /> : undefined}
        value={query}
        data-autofocus
        onChange={(event) => setQuery(event.currentTarget.value)}
      />
      {q && !found.isPending && candidates.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('clients.merge.nothing')}
        </Text>
      ) : null}
      {candidates.length ? (
        <Radio.Group
          value={sourceId}
          onChange={(value) => {
            setSourceId(value);
            setSelectError(null);
          }}
          error={selectError}
        >
          <Stack gap={6}>
            {candidates.map((item) => (
              <Radio.Card key={item.id} value={item.id} p="sm" radius="md">
                <Group wrap="nowrap" gap="sm" align="flex-start">
                  <Radio.Indicator mt={2} />
                  <div style={{ minWidth: 0, flex: 1 }}>
                    <Group gap={6} justify="space-between" wrap="nowrap">
                      <Text size="sm" fw={500} truncate>
                        {item.name}
                      </Text>
                      <StatusBadge status={item.status} showActive={false} size="xs" />
                    </Group>
                    <Text size="xs" c="dimmed">
                      {[
                        item.inn ? `${t('clients.field.inn')} ${item.inn}` : null,
                        item.phones[0] ? formatPhone(item.phones[0]) : null,
                        item.region,
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button
          color="orange"
          onClick={() => {
            if (!source) setSelectError(t('clients.merge.required'));
            else setConfirming(true);
          }}
        >
          {t('clients.merge.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}

export function MergeModal({ client, opened, onClose }: ModalProps) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('clients.merge.title')}>
      {opened ? <MergeForm client={client} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
