/**
 * Настройки → Импорт: choose what to load, drop a file, check the preview and the mapping, choose what to do with
 * duplicates, follow the progress, read the result, download the report or undo; the history below.
 * Why one file over 500 lines: the steps share one state (file, preview, mapping, the running import) and hand it on.
 */
import './i18n';
import { useRef, useState, type DragEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  Radio,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileSpreadsheet, IconUpload, IconArrowBackUp } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { importFields, type DedupeMode, type Import, type ImportEntity, type ImportPreview } from '../../../../common/api/imports';
import { isApiError } from '../../api/client';
import { formatDateTime, formatNumber } from '../../ui/format';
import { PageHeader } from '../../ui/PageHeader';
import { IMPORTS_KEY, downloadReport, previewImport, startImport, undoImport, useImport, useImportHistory } from './api';

const REQUIRED: Record<ImportEntity, string[]> = { clients: ['name'], deals: ['title', 'client'], products: ['name'] };
const STATUS_COLOR = { queued: 'gray', running: 'blue', done: 'green', failed: 'red', undone: 'orange' } as const;

function errorText(err: unknown): string {
  if (isApiError(err)) return [err.message, ...Object.values(err.fields ?? {})].join(' — ');
  return String((err as Error)?.message ?? err);
}

/** Настройки → Импорт (also «Импорт» on the clients list): upload, preview, mapping, dedupe, progress, result, history. */
export default function ImportPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const importId = params.get('id');
  const [entity, setEntity] = useState<ImportEntity>('clients');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, number | null>>({});
  const [dedupe, setDedupe] = useState<DedupeMode>('skip');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const openImport = (id: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id) next.set('id', id);
        else next.delete('id');
        return next;
      },
      { replace: false },
    );

  const reset = () => {
    setFile(null);
    setPreview(null);
    setMapping({});
    setError(null);
    openImport(null);
  };

  const choose = async (f: File | undefined | null, forEntity: ImportEntity = entity) => {
    if (!f) return;
    setFile(f);
    setPreview(null);
    setError(null);
    setBusy(true);
    try {
      const p = await previewImport(f, forEntity);
      setPreview(p);
      const m: Record<string, number | null> = {};
      for (const field of importFields[forEntity]) m[field] = p.columns.find((c) => c.guess === field)?.index ?? null;
      setMapping(m);
    } catch (err) {
      setError(errorText(err));
      setFile(null);
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files?.[0]);
  };

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const m: Record<string, number> = {};
      for (const [k, v] of Object.entries(mapping)) if (v !== null) m[k] = v;
      const { id } = await startImport(file, entity, m, dedupe);
      setFile(null);
      setPreview(null);
      openImport(id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const missing = REQUIRED[entity].filter((f) => mapping[f] === null || mapping[f] === undefined);
  const columnOptions = (preview?.columns ?? []).map((c) => ({
    value: String(c.index),
    label: `${c.index + 1}. ${c.header || '—'}`,
  }));

  return (
    <>
      <PageHeader title={t('imports.title')} description={t('imports.description')} />
      <Stack gap="md">
        {importId ? (
          <ImportResult id={importId} onNew={reset} />
        ) : (
          <Paper p="md" withBorder>
            <Stack gap="md">
              <SegmentedControl
                value={entity}
                onChange={(v) => {
                  const next = v as ImportEntity;
                  setEntity(next);
                  if (file) void choose(file, next);
                }}
                data={(['clients', 'deals', 'products'] as const).map((e) => ({ value: e, label: t(`imports.entity.${e}`) }))}
                fullWidth
              />
              {!preview ? (
                <div
                  role="button"
                  tabIndex={0}
                  data-testid="import-drop"
                  onClick={() => input.current?.click()}
                  onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && input.current?.click()}
                  onDragOver={(e) => {
                    e.preventDefault();
                    setDragging(true);
                  }}
                  onDragLeave={() => setDragging(false)}
                  onDrop={onDrop}
                  style={{
                    border: `2px dashed var(--mantine-color-${dragging ? 'blue-5' : 'gray-4'})`,
                    borderRadius: 8,
                    padding: '32px 16px',
                    textAlign: 'center',
                    cursor: 'pointer',
                    background: dragging ? 'var(--mantine-color-blue-0)' : undefined,
                  }}
                >
                  <Stack align="center" gap={6}>
                    {busy ? <Loader size="md" /> : <IconUpload size={36} stroke={1.5} />}
                    <Text fw={500}>{busy ? t('imports.reading') : t('imports.drop')}</Text>
                    <Text size="sm" c="dimmed">
                      {t('imports.dropHint')}
                    </Text>
                  </Stack>
                  <input
                    ref={input}
                    type="file"
                    hidden
                    data-testid="import-file"
                    accept=".xlsx,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    onChange={(e) => {
                      void choose(e.target.files?.[0]);
                      e.target.value = '';
                    }}
                  />
                </div>
              ) : (
                <PreviewAndMapping
                  preview={preview}
                  fileName={file?.name ?? ''}
                  entity={entity}
                  mapping={mapping}
                  columnOptions={columnOptions}
                  onMap={(field, v) => setMapping((m) => ({ ...m, [field]: v }))}
                />
              )}
              {preview ? (
                <Stack gap={6}>
                  <Text fw={500} size="sm">
                    {t('imports.dedupe.label')}
                  </Text>
                  <Radio.Group value={dedupe} onChange={(v) => setDedupe(v as DedupeMode)} data-testid="import-dedupe">
                    <Group gap="md" wrap="wrap">
                      {(['skip', 'update', 'create'] as const).map((d) => (
                        <Radio key={d} value={d} label={t(`imports.dedupe.${d}`)} />
                      ))}
                    </Group>
                  </Radio.Group>
                  <Text size="xs" c="dimmed">
                    {t('imports.dedupe.hint')}
                  </Text>
                </Stack>
              ) : null}
              {error ? (
                <Alert color="red" data-testid="import-error">
                  {error}
                </Alert>
              ) : null}
              {preview ? (
                <Group justify="space-between" wrap="wrap">
                  <Button variant="default" onClick={reset}>
                    {t('imports.another')}
                  </Button>
                  <Button leftSection={<IconUpload size={18} />} onClick={() => void start()} loading={busy} disabled={missing.length > 0}>
                    {t('imports.start')}
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Paper>
        )}
        <History onOpen={openImport} />
      </Stack>
    </>
  );
}

function PreviewAndMapping(props: {
  preview: ImportPreview;
  fileName: string;
  entity: ImportEntity;
  mapping: Record<string, number | null>;
  columnOptions: { value: string; label: string }[];
  onMap: (field: string, v: number | null) => void;
}) {
  const { t } = useTranslation();
  const { preview, entity } = props;
  const delimiter = preview.delimiter === '\t' ? 'Tab' : `«${preview.delimiter ?? ''}»`;
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <IconFileSpreadsheet size={20} />
        <Text fw={500} style={{ wordBreak: 'break-all' }}>
          {props.fileName}
        </Text>
        <Text size="sm" c="dimmed">
          {preview.format === 'xlsx'
            ? t('imports.metaXlsx')
            : t('imports.meta', { format: 'CSV', encoding: preview.encoding ?? '', delimiter })}
          {preview.totalRowsEstimate ? ` · ${t('imports.estimate', { count: preview.totalRowsEstimate })}` : ''}
        </Text>
      </Group>
      <div>
        <Title order={5} mb={4}>
          {t('imports.previewTitle')}
        </Title>
        <ScrollArea type="auto" offsetScrollbars>
          <Table striped withTableBorder fz="xs" data-testid="import-preview">
            <Table.Thead>
              <Table.Tr>
                {preview.columns.map((c) => (
                  <Table.Th key={c.index} style={{ whiteSpace: 'nowrap' }}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.rows.map((r, i) => (
                <Table.Tr key={i}>
                  {r.map((cell, j) => (
                    <Table.Td key={j} style={{ whiteSpace: 'nowrap', maxWidth: 240, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      {cell}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </div>
      <div>
        <Title order={5}>{t('imports.mappingTitle')}</Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('imports.mappingHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm" verticalSpacing="xs">
          {importFields[entity].map((field) => {
            const required = REQUIRED[entity].includes(field);
            const value = props.mapping[field];
            return (
              <Select
                key={field}
                label={t(`imports.field.${field}`)}
                description={required ? t('imports.required') : undefined}
                withAsterisk={required}
                data={[{ value: '', label: t('imports.notMapped') }, ...props.columnOptions]}
                value={value === null || value === undefined ? '' : String(value)}
                onChange={(v) => props.onMap(field, v === null || v === '' ? null : Number(v))}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
                data-testid={`map-${field}`}
              />
            );
          })}
        </SimpleGrid>
      </div>
    </Stack>
  );
}

function Counter({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <Paper p="xs" withBorder>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {formatNumber(value)}
      </Text>
    </Paper>
  );
}

function ImportResult({ id, onNew }: { id: string; onNew: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useImport(id);
  const [busy, setBusy] = useState(false);
  if (q.isLoading || !q.data) {
    return q.error ? <Alert color="red">{errorText(q.error)}</Alert> : <Loader />;
  }
  const imp: Import = q.data;
  const running = imp.status === 'queued' || imp.status === 'running';
  const pct = imp.total ? Math.round((imp.processed / imp.total) * 100) : running ? 0 : 100;

  const undo = () =>
    modals.openConfirmModal({
      title: t('imports.undoTitle'),
      children: <Text size="sm">{t('imports.undoText')}</Text>,
      labels: { confirm: t('imports.undo'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        setBusy(true);
        try {
          await undoImport(id);
          notifications.show({ color: 'green', message: t('imports.undone') });
        } catch (err) {
          notifications.show({ color: 'red', message: errorText(err), autoClose: 10_000 });
        } finally {
          setBusy(false);
          await qc.invalidateQueries({ queryKey: [...IMPORTS_KEY] });
        }
      },
    });

  return (
    <Paper p="md" withBorder data-testid="import-result">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="wrap">
            <IconFileSpreadsheet size={20} />
            <Text fw={500} style={{ wordBreak: 'break-all' }}>
              {imp.fileName}
            </Text>
            <Badge variant="light">{t(`imports.entity.${imp.entity}`)}</Badge>
          </Group>
          <Badge color={STATUS_COLOR[imp.status]} data-testid="import-status">
            {t(`imports.status.${imp.status}`)}
          </Badge>
        </Group>
        <div>
          <Progress value={pct} size="lg" animated={running} striped={running} data-testid="import-progress" />
          <Text size="sm" c="dimmed" mt={4}>
            {t('imports.progress', { processed: formatNumber(imp.processed), total: formatNumber(imp.total) })}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <Counter label={t('imports.created')} value={imp.created} color="green" />
          <Counter label={t('imports.updated')} value={imp.updated} color="blue" />
          <Counter label={t('imports.skipped')} value={imp.skipped} color="gray" />
          <Counter label={t('imports.errors')} value={imp.errorCount} color={imp.errorCount ? 'red' : 'gray'} />
        </SimpleGrid>
        {imp.failure ? <Alert color="red">{imp.failure}</Alert> : null}
        {imp.errors.length ? (
          <div>
            <Title order={5} mb={4}>
              {t('imports.errorsTitle')}
            </Title>
            <ScrollArea.Autosize mah={320} type="auto">
              <Table striped fz="sm" data-testid="import-errors">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('imports.col.row')}</Table.Th>
                    <Table.Th>{t('imports.col.field')}</Table.Th>
                    <Table.Th>{t('imports.col.message')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {imp.errors.map((e) => (
                    <Table.Tr key={e.row}>
                      <Table.Td>{e.row}</Table.Td>
                      <Table.Td>{e.field ? t(`imports.field.${e.field}`, { defaultValue: e.field }) : '—'}</Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {imp.errorCount > imp.errors.length ? (
              <Text size="xs" c="dimmed">
                {t('imports.errorsMore', { shown: imp.errors.length, count: imp.errorCount })}
              </Text>
            ) : null}
          </div>
        ) : null}
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Button variant="default" onClick={onNew}>
            {t('imports.newImport')}
          </Button>
          <Group gap="xs" wrap="wrap">
            <Button variant="light" leftSection={<IconDownload size={18} />} onClick={() => void downloadReport(id)} disabled={running}>
              {t('imports.report')}
            </Button>
            <Button
              color="red"
              variant="light"
              leftSection={<IconArrowBackUp size={18} />}
              onClick={undo}
              loading={busy}
              disabled={imp.status !== 'done' && imp.status !== 'failed'}
            >
              {t('imports.undo')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}

function History({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const q = useImportHistory();
  const items = q.data?.items ?? [];
  return (
    <Paper p="md" withBorder>
      <Title order={4} mb="sm">
        {t('imports.history')}
      </Title>
      {q.isLoading ? (
        <Loader size="sm" />
      ) : items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('imports.historyEmpty')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table striped highlightOnHover fz="sm" data-testid="import-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.hcol.at')}</Table.Th>
                <Table.Th>{t('imports.hcol.file')}</Table.Th>
                <Table.Th>{t('imports.hcol.status')}</Table.Th>
                <Table.Th>{t('imports.hcol.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} style={{ cursor: 'pointer' }} onClick={() => onOpen(i.id)}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(i.createdAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {i.fileName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`imports.entity.${i.entity}`)}
                      {i.userName ? ` · ${i.userName}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[i.status]} variant="light">
                      {t(`imports.status.${i.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {t('imports.resultShort', { created: i.created, updated: i.updated, skipped: i.skipped, errors: i.errorCount })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
