import { useState } from 'react';
import { Alert, Button, Group, Loader, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { DealSummary } from '../../../../common/api/deals';
import { ApiError, api, type Page } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { useIssueInvoice } from './api';
import { formatMoney } from './format';
import { useAccess } from '../../auth/permissions';

function useOpenDeals(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['invoices', 'dealPicker', q],
    queryFn: async ({ signal }) =>
      (await api.get<Page<DealSummary>>('/deals', { q: q || undefined, status: 'open', limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

function IssueForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const access = useAccess();
  const navigate = useNavigate();
  const [qInput, setQInput] = useState('');
  const [q] = useDebouncedValue(qInput.trim(), 300);
  const deals = useOpenDeals(q, true);
  const issue = useIssueInvoice();
  const [selected, setSelected] = useState<DealSummary | null>(null);
  const [error, setError] = useState<{ message: string; settings: boolean } | null>(null);

  const submit = async () => {
    if (!selected) return;
    setError(null);
    try {
      const invoice = await issue.mutateAsync(selected.id);
      notifySuccess(t('invoices.deal.issued', { number: invoice.number }));
      onClose();
      navigate(`/invoices/${encodeURIComponent(invoice.id)}`);
    } catch (e) {
      const settings = e instanceof ApiError && Object.keys(e.fields ?? {}).some((key) => key.startsWith('company.'));
      setError({ message: errorMessage(e), settings });
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('invoices.issue.hint')}
      </Text>
      <TextInput
        label={t('invoices.issue.search')}
        placeholder={t('invoices.issue.searchPlaceholder')}
        leftSection={<IconSearch size={16} />}
        rightSection={deals.isFetching ? <Loader size="xs" /> : null}
        value={qInput}
        onChange={(event) => setQInput(event.currentTarget.value)}
        data-autofocus
      />
      <ScrollArea.Autosize mah={320} type="auto">
        <Stack gap={4} role="listbox" aria-label={t('invoices.issue.deals')}>
          {(deals.data ?? []).length === 0 && !deals.isPending ? (
            <Text size="sm" c="dimmed" py="sm">
              {t('invoices.issue.noDeals')}
            </Text>
          ) : null}
          {(deals.data ?? []).map((deal) => {
            const active = selected?.id === deal.id;
            return (
              <UnstyledButton
                key={deal.id}
                role="option"
                aria-selected={active}
                onClick={() => {
                  setSelected(deal);
                  setError(null);
                }}
                p="xs"
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  border: `1px solid ${active ? 'var(--mantine-color-brand-5, var(--mantine-color-blue-5))' : 'var(--mantine-color-gray-3)'}`,
                  background: active ? 'var(--mantine-color-blue-light)' : undefined,
                }}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} truncate>
                      {deal.title}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {deal.clientName} · {deal.stageName}
                    </Text>
                  </div>
                  <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(deal.amount)}
                  </Text>
                </Group>
              </UnstyledButton>
            );
          })}
        </Stack>
      </ScrollArea.Autosize>
      {error ? (
        <Alert color="red" variant="light" role="alert" style={{ whiteSpace: 'pre-line' }}>
          <Text size="sm">{error.message}</Text>
          {error.settings && access.can('settings', 'write') ? (
            <Button component={Link} to="/settings/company" size="xs" variant="light" color="red" mt="xs" onClick={onClose}>
              {t('invoices.deal.toSettings')}
            </Button>
          ) : null}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => void submit()} disabled={!selected} loading={issue.isPending}>
          {t('invoices.deal.issue')}
        </Button>
      </Group>
    </Stack>
  );
}

/** «Новый счёт» in the register: pick an open deal, issue the invoice from its items, open it. */
export function IssueInvoiceModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('invoices.issue.title')} size="lg">
      {opened ? <IssueForm onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
