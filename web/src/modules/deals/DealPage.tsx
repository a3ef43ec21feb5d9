import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Grid, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowBackUp, IconCheck, IconChevronLeft, IconPencil, IconThumbDown, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Deal } from '../../../../common/api/deals';
import type { Stage } from '../../../../common/api/pipelines';
import { formatDateRu, formatDateTimeRu } from '../../../../common/dates';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { StatusPage } from '../../ui/StatusPage';
import {
  useDeal,
  useDealHistory,
  useLossReasons,
  useMoveDeal,
  usePatchDeal,
  usePipelines,
  useReopenDeal,
  type PatchDealInput,
} from './api';
import { DealInvoicesPanel } from '../invoices';
import { DealTasks } from './DealTasks';
import { formatMoney, STATUS_COLOR } from './format';
import { ItemsEditor } from './ItemsEditor';
import { fromDealItems, sameItems, splitItemErrors, toItemInputs, validateItems, type DraftItem } from './items';
import { LoseDealModal } from './LoseDealModal';
import { OwnerSelect } from './OwnerSelect';
import { StageHistory } from './StageHistory';
import { StageProgress } from './StageProgress';
import { useAccess } from '../../auth/permissions';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" mb={2}>
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

function EditableTitle({
  deal,
  editable,
  onSave,
  saving,
}: {
  deal: Deal;
  editable: boolean;
  onSave: (title: string) => Promise<boolean>;
  saving: boolean;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(deal.title);
  if (!editing) {
    return (
      <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
        <Title order={2} style={{ overflowWrap: 'anywhere' }} data-testid="deal-title">
          {deal.title}
        </Title>
        {editable ? (
          <ActionIcon
            onClick={() => {
              setValue(deal.title);
              setEditing(true);
            }}
            aria-label={t('deals.detail.editTitle')}
            title={t('deals.detail.editTitle')}
          >
            <IconPencil size={18} stroke={1.6} />
          </ActionIcon>
        ) : null}
      </Group>
    );
  }
  const save = async () => {
    if (!value.trim()) return;
    if (value.trim() === deal.title || (await onSave(value.trim()))) setEditing(false);
  };
  return (
    <Group gap={6} wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
      <TextInput
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void save();
          if (event.key === 'Escape') setEditing(false);
        }}
        aria-label={t('deals.create.name')}
        error={value.trim() ? undefined : t('deals.create.titleRequired')}
        size="md"
        autoFocus
        style={{ flex: 1, maxWidth: 560 }}
      />
      <ActionIcon variant="filled" color="brand" size="lg" onClick={() => void save()} loading={saving} aria-label={t('common.save')}>
        <IconCheck size={18} />
      </ActionIcon>
      <ActionIcon size="lg" onClick={() => setEditing(false)} aria-label={t('common.cancel')}>
        <IconX size={18} />
      </ActionIcon>
    </Group>
  );
}

function ReopenModal({ deal, opened, onClose }: { deal: Deal; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const reopen = useReopenDeal();
  const [stageId, setStageId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stages = (pipelines.data?.find((p) => p.id === deal.pipelineId)?.stages ?? []).filter((s) => s.kind === 'open' && !s.archived);
  const submit = async () => {
    setError(null);
    try {
      await reopen.mutateAsync({ id: deal.id, version: deal.version, ...(stageId ? { stageId } : {}) });
      notifySuccess(t('deals.reopen.done'));
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('deals.reopen.title')}>
      <Stack gap="md">
        {error ? (
          <Alert color="red" variant="light">
            {error}
          </Alert>
        ) : null}
        <Select
          label={t('deals.reopen.stage')}
          description={t('deals.reopen.stageHint')}
          data={stages.map((s) => ({ value: s.id, label: s.name }))}
          value={stageId}
          onChange={setStageId}
          clearable
          allowDeselect
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void submit()} loading={reopen.isPending}>
            {t('deals.reopen.action')}
          </Button>
        </Group>
      </Stack>
    </ResponsiveModal>
  );
}

function DealView({ deal, onReload }: { deal: Deal; onReload: () => void }) {
  const { t } = useTranslation();
  const access = useAccess();
  const pipelines = usePipelines();
  const history = useDealHistory(deal.id);
  const reasons = useLossReasons();
  const patch = usePatchDeal();
  const move = useMoveDeal();
  const [losing, setLosing] = useState(false);
  const [reopening, setReopening] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ items: DraftItem[]; version: number } | null>(null);
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const [itemsError, setItemsError] = useState<string | null>(null);

  const canWrite = access.can('deal', 'write');
  const pipeline = pipelines.data?.find((p) => p.id === deal.pipelineId);
  const visited = new Set((history.data ?? []).map((entry) => entry.stageId));
  const savedItems = fromDealItems(deal.items);
  const items = draft?.items ?? savedItems;
  const dirty = draft !== null && !sameItems(draft.items, savedItems);
  const reason = reasons.data?.find((r) => r.id === deal.lossReasonId);

  /** PATCH with the version the change was based on; 409 shows «кто-то изменил» with a reload button. */
  const save = async (input: Omit<PatchDealInput, 'id' | 'version'>, version = deal.version, message?: string) => {
    try {
      await patch.mutateAsync({ id: deal.id, version, ...input });
      if (message) notifySuccess(message);
      setConflict(null);
      return true;
    } catch (error) {
      if (isApiError(error, 409)) setConflict(errorMessage(error));
      else if (input.items) throw error;
      else notifyError(error);
      return false;
    }
  };

  const saveItems = async () => {
    if (!draft) return;
    setItemsError(null);
    const local = validateItems(draft.items);
    setItemErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      if (await save({ items: toItemInputs(draft.items) }, draft.version, t('deals.items.saved'))) setDraft(null);
    } catch (error) {
      const fields = isApiError(error) ? splitItemErrors(error.fields) : { items: {}, other: {} };
      setItemErrors(fields.items);
      setItemsError(Object.keys(fields.items).length ? null : errorMessage(error));
    }
  };

  const onMove = async (stage: Stage) => {
    if (stage.kind === 'lost') {
      setLosing(true);
      return;
    }
    try {
      await move.mutateAsync({ id: deal.id, stageId: stage.id });
      notifySuccess(t('deals.detail.moved', { stage: stage.name }));
    } catch (error) {
      notifyError(error);
    }
  };

  const reload = () => {
    setConflict(null);
    setDraft(null);
    setItemErrors({});
    onReload();
  };

  return (
    <>
      <Anchor component={Link} to="/deals" size="sm" c="dimmed">
        <Group gap={2}>
          <IconChevronLeft size={16} />
          {t('deals.detail.back')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt="xs" mb="md" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <EditableTitle
            deal={deal}
            editable={canWrite}
            saving={patch.isPending}
            onSave={(title) => save({ title }, deal.version, t('deals.detail.titleSaved'))}
          />
          <Group gap="xs">
            <Badge variant="light" color={STATUS_COLOR[deal.status]} data-testid="deal-status">
              {t(`deals.status.${deal.status}`)}
            </Badge>
            <Text size="sm" c="dimmed">
              {pipeline?.name}
            </Text>
            <Text size="sm" fw={600} className="tabular-nums" data-testid="deal-amount">
              {formatMoney(deal.amount)}
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          {canWrite && deal.status === 'open' ? (
            <Button variant="light" color="red" leftSection={<IconThumbDown size={16} />} onClick={() => setLosing(true)}>
              {t('deals.detail.lose')}
            </Button>
          ) : null}
          {access.has('deal.reopen') && deal.status !== 'open' ? (
            <Button variant="light" leftSection={<IconArrowBackUp size={16} />} onClick={() => setReopening(true)}>
              {t('deals.reopen.action')}
            </Button>
          ) : null}
        </Group>
      </Group>

      {conflict ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} mb="md" role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{conflict}</Text>
            <Button size="xs" variant="light" color="orange" onClick={reload}>
              {t('deals.detail.conflictReload')}
            </Button>
          </Stack>
        </Alert>
      ) : null}

      <Paper p="md" radius="md" mb="md">
        <StageProgress
          deal={deal}
          pipeline={pipeline}
          visited={visited}
          canMove={canWrite}
          moving={move.isPending}
          onMove={(stage) => void onMove(stage)}
        />
        {deal.status !== 'open' && deal.closedAt ? (
          <Text size="sm" c="dimmed" mt="xs">
            {t(deal.status === 'won' ? 'deals.detail.closedWon' : 'deals.detail.closedLost', { date: formatDateRu(deal.closedAt) })}
          </Text>
        ) : null}
      </Paper>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }} order={{ base: 2, lg: 1 }}>
          <Stack gap="md">
            <Paper p="md" radius="md">
              <Group justify="space-between" mb="sm">
                <Title order={4}>{t('deals.items.title')}</Title>
                {dirty ? (
                  <Badge color="orange" variant="light">
                    {t('deals.items.unsaved')}
                  </Badge>
                ) : null}
              </Group>
              {itemsError ? (
                <Alert color="red" variant="light" mb="sm">
                  {itemsError}
                </Alert>
              ) : null}
              {deal.items.length === 0 && !draft && deal.amount > 0 ? (
                <Text size="sm" c="dimmed" mb="xs">
                  {t('deals.items.amountManual')}: {formatMoney(deal.amount)}
                </Text>
              ) : null}
              <ItemsEditor
                items={items}
                readOnly={!canWrite || deal.status !== 'open'}
                errors={itemErrors}
                onChange={(next) => setDraft({ items: next, version: draft?.version ?? deal.version })}
              />
              {dirty ? (
                <Group justify="flex-end" mt="md" gap="sm">
                  <Button
                    variant="default"
                    onClick={() => {
                      setDraft(null);
                      setItemErrors({});
                      setItemsError(null);
                    }}
                  >
                    {t('deals.items.reset')}
                  </Button>
                  <Button onClick={() => void saveItems()} loading={patch.isPending}>
                    {t('deals.items.save')}
                  </Button>
                </Group>
              ) : null}
            </Paper>
            <Paper p="md" radius="md">
              <Title order={4} mb="sm">
                {t('deals.history.title')}
              </Title>
              {history.isError ? (
                <QueryError error={history.error} onRetry={() => void history.refetch()} />
              ) : history.isPending ? (
                <Text c="dimmed">{t('app.loading')}</Text>
              ) : (
                <StageHistory items={history.data} />
              )}
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }} order={{ base: 1, lg: 2 }}>
          <Stack gap="md">
            <Paper p="md" radius="md">
              <Title order={4} mb="sm">
                {t('deals.detail.info')}
              </Title>
              <Stack gap="sm">
                <Field label={t('deals.detail.client')}>
                  <Anchor component={Link} to={`/clients/${deal.clientId}`} fw={500}>
                    {deal.clientName}
                  </Anchor>
                </Field>
                {access.beyondOwn('deal', 'write') ? (
                  <Field label={t('deals.detail.owner')}>
                    <OwnerSelect
                      aria-label={t('deals.detail.owner')}
                      size="sm"
                      value={deal.ownerId}
                      extra={deal.ownerId ? { id: deal.ownerId, name: deal.ownerName } : undefined}
                      onChange={(ownerId) => {
                        if (ownerId && ownerId !== deal.ownerId) void save({ ownerId }, deal.version, t('deals.detail.ownerSaved'));
                      }}
                    />
                  </Field>
                ) : (
                  <Field label={t('deals.detail.owner')}>
                    <Text size="sm">{deal.ownerName ?? t('deals.card.noOwner')}</Text>
                  </Field>
                )}
                <Field label={t('deals.detail.source')}>
                  <Text size="sm">{deal.source || t('common.dash')}</Text>
                </Field>
                <Field label={t('deals.detail.createdAt')}>
                  <Text size="sm" className="tabular-nums">
                    {formatDateTimeRu(deal.createdAt)}
                  </Text>
                </Field>
                {deal.closedAt ? (
                  <Field label={t('deals.detail.closedAt')}>
                    <Text size="sm" className="tabular-nums">
                      {formatDateTimeRu(deal.closedAt)}
                    </Text>
                  </Field>
                ) : null}
                {deal.status === 'lost' ? (
                  <Alert
                    color="red"
                    variant="light"
                    title={`${t('deals.detail.lossReason')}: ${reason?.name ?? t('common.dash')}`}
                    data-testid="deal-loss"
                  >
                    {deal.lossComment}
                  </Alert>
                ) : null}
              </Stack>
            </Paper>
            <Paper p="md" radius="md">
              <DealInvoicesPanel dealId={deal.id} />
            </Paper>
            <Paper p="md" radius="md">
              <Title order={4} mb="sm">
                {t('deals.tasks.title')}
              </Title>
              <DealTasks dealId={deal.id} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <LoseDealModal deal={losing ? deal : null} onClose={() => setLosing(false)} />
      {reopening ? <ReopenModal deal={deal} opened={reopening} onClose={() => setReopening(false)} /> : null}
    </>
  );
}

/** «Сделка»: title, stage progress, line items with totals, stage history with time in each stage, tasks. */
export default function DealPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const deal = useDeal(id);
  if (deal.isPending) return <PageLoader />;
  if (deal.isError) {
    if (isApiError(deal.error, 404) || isApiError(deal.error, 400))
      return <StatusPage title={t('errors.notFoundTitle')} text={t('deals.detail.notFound')} />;
    return <QueryError error={deal.error} onRetry={() => void deal.refetch()} />;
  }
  return <DealView key={deal.data.id} deal={deal.data} onReload={() => void deal.refetch()} />;
}
