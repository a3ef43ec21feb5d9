import { useState } from 'react';
import { Button, Chip, Group, Loader, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifyError, notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import type { Lead } from '../../../../common/api/leads';
import { useAssignLead, useClientSearch, useConvertLead, useJunkLead, useLeadUsers, useTakeLead } from './api';
import { leadName } from './leadUi';

function showConflict(t: (k: string) => string) {
  notifications.show({ color: 'red', title: t('errors.title'), message: t('leads.conflict'), autoClose: 8000 });
}

/** «В мусор»: a reason is required (the server answers 422 without one). */
function JunkModal({ lead, onClose }: { lead: Lead | null; onClose: () => void }) {
  const { t } = useTranslation();
  const junk = useJunkLead();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const quick = t('leads.junkModal.quick', { returnObjects: true }) as unknown as string[];

  const close = () => {
    setReason('');
    setError(null);
    setFormError(null);
    onClose();
  };
  const submit = async () => {
    if (!lead) return;
    if (!reason.trim()) {
      setError(t('leads.junkModal.required'));
      return;
    }
    setFormError(null);
    try {
      await junk.mutateAsync({ id: lead.id, reason: reason.trim() });
      notifySuccess(t('leads.junked', { name: leadName(t, lead) }));
      close();
    } catch (e) {
      if (isApiError(e) && e.fields?.reason) setError(e.fields.reason);
      else setFormError(errorMessage(e));
    }
  };

  return (
    <ResponsiveModal opened={Boolean(lead)} onClose={close} title={t('leads.junkModal.title')}>
      {lead ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm">{t('leads.junkModal.text', { name: leadName(t, lead) })}</Text>
            <FormError message={formError} />
            <Group gap={6}>
              {Array.isArray(quick)
                ? quick.map((q) => (
                    <Chip
                      key={q}
                      size="xs"
                      checked={reason === q}
                      onChange={() => {
                        setReason(q);
                        setError(null);
                      }}
                    >
                      {q}
                    </Chip>
                  ))
                : null}
            </Group>
            <Textarea
              label={t('leads.junkModal.reason')}
              placeholder={t('leads.junkModal.reasonPlaceholder')}
              required
              autosize
              minRows={2}
              data-autofocus
              value={reason}
              error={error}
              onChange={(e) => {
                setReason(e.currentTarget.value);
                setError(null);
              }}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" loading={junk.isPending} data-testid="confirm-junk">
                {t('leads.junkModal.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </ResponsiveModal>
  );
}

/** The server already filtered the options: show them all. */
const noFilter = ({ options }: { options: unknown[] }) => options as never;

/** «Конвертировать»: optional existing client and deal title; then the new deal opens. */
function ConvertModal({ lead, onClose }: { lead: Lead | null; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const convert = useConvertLead();
  const [clientId, setClientId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const [q] = useDebouncedValue(search, 250);
  const [title, setTitle] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const clients = useClientSearch(q, Boolean(lead) && opened);
  const options = (clients.data ?? []).map((c) => ({
    value: c.id,
    label: c.inn ? t('leads.convertModal.clientWithInn', { name: c.name, inn: c.inn }) : c.name,
  }));
  const defaultTitle = lead ? t('leads.convertModal.defaultTitle', { name: leadName(t, lead) }) : '';

  const close = () => {
    setClientId(null);
    setSearch('');
    setTitle('');
    setFormError(null);
    onClose();
  };
  const submit = async () => {
    if (!lead) return;
    setFormError(null);
    try {
      const result = await convert.mutateAsync({ id: lead.id, clientId: clientId ?? undefined, title: title.trim() || undefined });
      notifySuccess(
        result.clientExisted
          ? t('leads.convertedExisting', { deal: result.deal.title, client: result.client.name })
          : t('leads.converted', { deal: result.deal.title, client: result.client.name }),
      );
      close();
      void navigate(`/deals/${result.deal.id}`);
    } catch (e) {
      if (isApiError(e, 409)) {
        showConflict(t);
        close();
      } else setFormError(errorMessage(e));
    }
  };

  return (
    <ResponsiveModal opened={Boolean(lead)} onClose={close} title={t('leads.convertModal.title')}>
      {lead ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm">{t('leads.convertModal.text', { title: title.trim() || defaultTitle })}</Text>
            <FormError message={formError} />
            <TextInput
              label={t('leads.convertModal.dealTitle')}
              placeholder={defaultTitle}
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Select
              label={t('leads.convertModal.client')}
              description={t('leads.convertModal.clientHint')}
              placeholder={t('leads.convertModal.clientPlaceholder')}
              searchable
              clearable
              data={options}
              value={clientId}
              onChange={setClientId}
              searchValue={search}
              onSearchChange={setSearch}
              onDropdownOpen={() => setOpened(true)}
              filter={noFilter}
              nothingFoundMessage={clients.isFetching ? undefined : t('leads.convertModal.nothingFound')}
              rightSection={clients.isFetching && opened ? <Loader size={14} /> : undefined}
              comboboxProps={{ withinPortal: true }}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="green" loading={convert.isPending} data-testid="confirm-convert">
                {t('leads.convertModal.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </ResponsiveModal>
  );
}

/** «Назначить»: head, owner, admin pick the assignee; the SLA task moves with the lead. */
function AssignModal({ lead, onClose }: { lead: Lead | null; onClose: () => void }) {
  const { t } = useTranslation();
  const assign = useAssignLead();
  const users = useLeadUsers(Boolean(lead));
  const [userId, setUserId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const value = userId ?? lead?.assigneeId ?? null;

  const close = () => {
    setUserId(null);
    setError(null);
    setFormError(null);
    onClose();
  };
  const submit = async () => {
    if (!lead) return;
    if (!value) {
      setError(t('leads.assignModal.required'));
      return;
    }
    try {
      const saved = await assign.mutateAsync({ id: lead.id, assigneeId: value, version: lead.version });
      notifySuccess(t('leads.assigned', { name: saved.assigneeName ?? '' }));
      close();
    } catch (e) {
      if (isApiError(e, 409)) {
        showConflict(t);
        close();
      } else if (isApiError(e) && e.fields?.assigneeId) setError(e.fields.assigneeId);
      else setFormError(errorMessage(e));
    }
  };

  return (
    <ResponsiveModal opened={Boolean(lead)} onClose={close} title={t('leads.assignModal.title')}>
      {lead ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm" fw={600}>
              {leadName(t, lead)}
            </Text>
            <FormError message={formError} />
            <Select
              label={t('leads.assignModal.user')}
              description={t('leads.assignModal.hint')}
              placeholder={t('leads.assignModal.placeholder')}
              searchable
              data={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={value}
              onChange={(v) => {
                setUserId(v);
                setError(null);
              }}
              error={error}
              rightSection={users.isPending ? <Loader size={14} /> : undefined}
              comboboxProps={{ withinPortal: true }}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={assign.isPending}>
                {t('leads.assignModal.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </ResponsiveModal>
  );
}

/** The quick actions of a lead (inbox rows and the card) and the modals they open. */
export function useLeadActions() {
  const { t } = useTranslation();
  const take = useTakeLead();
  const [junkLead, setJunkLead] = useState<Lead | null>(null);
  const [convertLead, setConvertLead] = useState<Lead | null>(null);
  const [assignLead, setAssignLead] = useState<Lead | null>(null);

  const runTake = async (lead: Lead) => {
    try {
      await take.mutateAsync(lead);
      notifySuccess(t('leads.taken', { name: leadName(t, lead) }));
    } catch (e) {
      if (isApiError(e, 409)) showConflict(t);
      else notifyError(e);
    }
  };

  return {
    take: (lead: Lead) => void runTake(lead),
    takingId: take.isPending ? take.variables?.id : undefined,
    junk: setJunkLead,
    convert: setConvertLead,
    assign: setAssignLead,
    modals: (
      <>
        <JunkModal lead={junkLead} onClose={() => setJunkLead(null)} />
        <ConvertModal lead={convertLead} onClose={() => setConvertLead(null)} />
        <AssignModal lead={assignLead} onClose={() => setAssignLead(null)} />
      </>
    ),
  };
}

export type LeadActions = ReturnType<typeof useLeadActions>;
