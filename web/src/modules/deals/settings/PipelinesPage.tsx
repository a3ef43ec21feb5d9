import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconArchive,
  IconArrowDown,
  IconArrowUp,
  IconCheck,
  IconDots,
  IconLock,
  IconPencil,
  IconPlus,
  IconRestore,
  IconStar,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Pipeline, Stage, StageKind } from '../../../../../common/api/pipelines';
import { applyApiErrorToForm } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import '../i18n';
import { useCreatePipeline, useCreateStage, usePatchPipeline, usePatchStage, usePipelines } from '../api';
import { isSystemCode, KIND_COLOR } from '../format';

/** Inline rename: the name as text with a pencil, or an input with ✓ / ✕. */
function InlineName({
  value,
  onSave,
  label,
  strong,
}: {
  value: string;
  onSave: (name: string) => Promise<unknown>;
  label: string;
  strong?: boolean;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(value);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!text.trim() || text.trim() === value) {
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      await onSave(text.trim());
      setEditing(false);
    } catch {
      // the caller has shown the server's message; keep the input open to fix the name
    } finally {
      setSaving(false);
    }
  };
  if (!editing) {
    return (
      <Group gap={4} wrap="nowrap">
        <Text fw={strong ? 600 : 500} size={strong ? 'lg' : 'sm'}>
          {value}
        </Text>
        <ActionIcon
          size="sm"
          onClick={() => {
            setText(value);
            setEditing(true);
          }}
          aria-label={`${t('pipelinesAdmin.rename')}: ${value}`}
          title={t('pipelinesAdmin.rename')}
        >
          <IconPencil size={15} stroke={1.6} />
        </ActionIcon>
      </Group>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <TextInput
        size="xs"
        value={text}
        aria-label={label}
        autoFocus
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void save();
          if (event.key === 'Escape') setEditing(false);
        }}
      />
      <ActionIcon size="md" variant="filled" color="brand" onClick={() => void save()} loading={saving} aria-label={t('common.save')}>
        <IconCheck size={15} />
      </ActionIcon>
      <ActionIcon size="md" onClick={() => setEditing(false)} aria-label={t('common.cancel')}>
        <IconX size={15} />
      </ActionIcon>
    </Group>
  );
}

function StageRow({ stage, index, stages }: { stage: Stage; index: number; stages: Stage[] }) {
  const { t } = useTranslation();
  const patch = usePatchStage();
  const run = async (input: { name?: string; position?: number; archived?: boolean }, message?: string) => {
    try {
      await patch.mutateAsync({ id: stage.id, version: stage.version, ...input });
      if (message) notifySuccess(message);
    } catch (error) {
      notifyError(error);
      throw error;
    }
  };
  const closing = stage.kind !== 'open';
  const prev = stages[index - 1];
  const next = stages[index + 1];
  const canUp = !closing && prev !== undefined && prev.kind === 'open';
  const canDown = !closing && next !== undefined && next.kind === 'open';
  return (
    <Table.Tr style={{ opacity: stage.archived ? 0.55 : 1 }} data-testid="stage-row">
      <Table.Td w={40} c="dimmed" className="tabular-nums">
        {index + 1}
      </Table.Td>
      <Table.Td>
        <InlineName value={stage.name} label={t('pipelinesAdmin.stageName')} onSave={(name) => run({ name }, t('pipelinesAdmin.saved'))} />
      </Table.Td>
      <Table.Td>
        {isSystemCode(stage.code) ? (
          <Tooltip label={t('pipelinesAdmin.systemCode')} withArrow>
            <Badge
              variant="outline"
              color="gray"
              radius="sm"
              leftSection={<IconLock size={11} />}
              style={{ textTransform: 'none', fontFamily: 'monospace' }}
            >
              {stage.code}
            </Badge>
          </Tooltip>
        ) : (
          <Text size="xs" c="dimmed" ff="monospace">
            {stage.code}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={KIND_COLOR[stage.kind]}>
          {t(`deals.kind.${stage.kind}`)}
        </Badge>
        {stage.archived ? (
          <Badge variant="light" color="gray" ml={4}>
            {t('pipelinesAdmin.archived')}
          </Badge>
        ) : null}
      </Table.Td>
      <Table.Td>
        {closing ? null : (
          <Group gap={2} wrap="nowrap" justify="flex-end">
            <ActionIcon
              disabled={!canUp || patch.isPending}
              onClick={() => void run({ position: index - 1 }).catch(() => undefined)}
              aria-label={`${t('pipelinesAdmin.moveUp')}: ${stage.name}`}
              title={t('pipelinesAdmin.moveUp')}
            >
              <IconArrowUp size={17} stroke={1.6} />
            </ActionIcon>
            <ActionIcon
              disabled={!canDown || patch.isPending}
              onClick={() => void run({ position: index + 1 }).catch(() => undefined)}
              aria-label={`${t('pipelinesAdmin.moveDown')}: ${stage.name}`}
              title={t('pipelinesAdmin.moveDown')}
            >
              <IconArrowDown size={17} stroke={1.6} />
            </ActionIcon>
            {stage.archived ? (
              <ActionIcon
                onClick={() => void run({ archived: false }, t('pipelinesAdmin.saved')).catch(() => undefined)}
                aria-label={`${t('pipelinesAdmin.stageRestore')}: ${stage.name}`}
                title={t('pipelinesAdmin.stageRestore')}
              >
                <IconRestore size={17} stroke={1.6} />
              </ActionIcon>
            ) : (
              <ActionIcon
                onClick={() => void run({ archived: true }, t('pipelinesAdmin.saved')).catch(() => undefined)}
                aria-label={`${t('pipelinesAdmin.stageArchive')}: ${stage.name}`}
                title={t('pipelinesAdmin.stageArchive')}
              >
                <IconArchive size={17} stroke={1.6} />
              </ActionIcon>
            )}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AddStage({ pipelineId }: { pipelineId: string }) {
  const { t } = useTranslation();
  const create = useCreateStage();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<StageKind>('open');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!name.trim()) return;
    setError(null);
    try {
      await create.mutateAsync({ pipelineId, name: name.trim(), kind });
      notifySuccess(t('pipelinesAdmin.saved'));
      setName('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Group gap="xs" align="flex-start" mt="sm" wrap="wrap">
      <TextInput
        placeholder={t('pipelinesAdmin.newStagePlaceholder')}
        aria-label={t('pipelinesAdmin.newStagePlaceholder')}
        value={name}
        error={error}
        onChange={(event) => setName(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void submit();
        }}
        style={{ flex: '1 1 220px' }}
      />
      <Select
        aria-label={t('pipelinesAdmin.kind')}
        data={(['open', 'won', 'lost'] as const).map((value) => ({ value, label: t(`deals.kind.${value}`) }))}
        value={kind}
        onChange={(value) => setKind((value as StageKind) ?? 'open')}
        w={130}
      />
      <Button leftSection={<IconPlus size={16} />} onClick={() => void submit()} loading={create.isPending} disabled={!name.trim()}>
        {t('pipelinesAdmin.addStage')}
      </Button>
    </Group>
  );
}

function PipelineCard({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const patch = usePatchPipeline();
  const stages = [...pipeline.stages].sort((a, b) => a.position - b.position);
  const run = async (input: { name?: string; archived?: boolean; isDefault?: boolean }) => {
    try {
      await patch.mutateAsync({ id: pipeline.id, version: pipeline.version, ...input });
      notifySuccess(t('pipelinesAdmin.saved'));
    } catch (error) {
      notifyError(error);
      throw error;
    }
  };
  return (
    <Paper p="md" radius="md" data-testid="pipeline-card" style={{ opacity: pipeline.archived ? 0.7 : 1 }}>
      <Group justify="space-between" mb="sm" wrap="nowrap" align="flex-start">
        <Group gap="xs">
          <InlineName value={pipeline.name} strong label={t('pipelinesAdmin.name')} onSave={(name) => run({ name })} />
          {pipeline.isDefault ? (
            <Badge color="brand" variant="light" leftSection={<IconStar size={11} />}>
              {t('pipelinesAdmin.default')}
            </Badge>
          ) : null}
          {pipeline.archived ? (
            <Badge color="gray" variant="light">
              {t('pipelinesAdmin.archived')}
            </Badge>
          ) : null}
        </Group>
        <Menu position="bottom-end">
          <Menu.Target>
            <ActionIcon aria-label={`${t('pipelinesAdmin.actions')}: ${pipeline.name}`} loading={patch.isPending}>
              <IconDots size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {!pipeline.isDefault && !pipeline.archived ? (
              <Menu.Item leftSection={<IconStar size={16} />} onClick={() => void run({ isDefault: true }).catch(() => undefined)}>
                {t('pipelinesAdmin.makeDefault')}
              </Menu.Item>
            ) : null}
            {pipeline.archived ? (
              <Menu.Item leftSection={<IconRestore size={16} />} onClick={() => void run({ archived: false }).catch(() => undefined)}>
                {t('pipelinesAdmin.restore')}
              </Menu.Item>
            ) : (
              <Menu.Item
                leftSection={<IconArchive size={16} />}
                color="red"
                onClick={() => void run({ archived: true }).catch(() => undefined)}
              >
                {t('pipelinesAdmin.archive')}
              </Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Table.ScrollContainer minWidth={560}>
        <Table highlightOnHover={false} verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>№</Table.Th>
              <Table.Th>{t('pipelinesAdmin.stageName')}</Table.Th>
              <Table.Th>{t('pipelinesAdmin.code')}</Table.Th>
              <Table.Th>{t('pipelinesAdmin.kind')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stages.map((stage, index) => (
              <StageRow key={stage.id} stage={stage} index={index} stages={stages} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!pipeline.archived ? <AddStage pipelineId={pipeline.id} /> : null}
    </Paper>
  );
}

function AddPipelineModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreatePipeline();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { name: '' }, validate: { name: (v) => (v.trim() ? null : t('validation.required')) } });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await create.mutateAsync({ name: values.name.trim() });
      notifySuccess(t('pipelinesAdmin.created', { name: values.name.trim() }));
      form.reset();
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={t('pipelinesAdmin.addTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput
            label={t('pipelinesAdmin.name')}
            description={t('pipelinesAdmin.addHint')}
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
    </ResponsiveModal>
  );
}

/** Настройки → Воронки (admin): pipelines and their stages; system codes stay, names and order change. */
export default function PipelinesPage() {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader
        title={t('pipelinesAdmin.title')}
        description={t('pipelinesAdmin.description')}
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={() => setAdding(true)}>
            {t('pipelinesAdmin.add')}
          </Button>
        }
      />
      {pipelines.isPending ? (
        <PageLoader />
      ) : pipelines.isError ? (
        <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />
      ) : pipelines.data.length === 0 ? (
        <Text c="dimmed">{t('pipelinesAdmin.empty')}</Text>
      ) : (
        <Stack gap="md">
          {[...pipelines.data]
            .sort((a, b) => Number(a.archived) - Number(b.archived))
            .map((pipeline) => (
              <PipelineCard key={pipeline.id} pipeline={pipeline} />
            ))}
        </Stack>
      )}
      <AddPipelineModal opened={adding} onClose={() => setAdding(false)} />
    </>
  );
}
