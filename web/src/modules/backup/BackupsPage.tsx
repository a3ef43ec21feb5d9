import './i18n';
import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCloudOff, IconDownload, IconLock, IconLockOpen, IconPlayerPlay } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Backup, BackupCopy, BackupStage } from '../../../../common/api/backups';
import { formatDateTimeRu } from '../../../../common/dates';
import { useLiveEvent } from '../../api/events';
import { useAccess } from '../../auth/permissions';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { BACKUPS_KEY, downloadBackup, useBackups, useCreateBackup } from './api';

const STATUS_COLORS = { running: 'blue', done: 'green', failed: 'red' } as const;
const COPY_COLORS = { pending: 'gray', uploading: 'blue', retrying: 'orange', done: 'green', failed: 'red' } as const;

/** 1 234,5 МБ: bytes in the largest unit below 1024, Russian number format. */
export function formatSize(bytes: number | null, units: string, lang: string): string {
  if (bytes === null) return '—';
  const names = units.split('|');
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < names.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(lang === 'en' ? 'en-US' : 'ru-RU', { maximumFractionDigits: i ? 1 : 0 })} ${names[i]}`;
}

interface Running {
  id: string;
  stage: BackupStage;
  percent: number;
}

/** Настройки → Резервные копии (admin; the owner reads it): the list, «Создать сейчас» with progress, download. */
export default function BackupsPage() {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const access = useAccess();
  const mayCreate = access.can('backup', 'write');
  const qc = useQueryClient();
  const backups = useBackups();
  const create = useCreateBackup();
  const [running, setRunning] = useState<Running | null>(null);

  useLiveEvent('backup.progress', (e) => {
    if (e.stage === 'done' || e.stage === 'failed') {
      setRunning((r) => (r && r.id === e.id ? null : r));
      if (running?.id === e.id) {
        notifications.show(
          e.stage === 'done'
            ? { color: 'green', message: t('backup.finished') }
            : { color: 'red', title: t('backup.failedToast'), message: e.error ?? '', autoClose: 10_000 },
        );
      }
      void qc.invalidateQueries({ queryKey: BACKUPS_KEY });
    } else if (e.stage === 'upload') {
      if (e.percent >= 100) void qc.invalidateQueries({ queryKey: BACKUPS_KEY });
    } else {
      setRunning({ id: e.id, stage: e.stage, percent: e.percent });
    }
  });

  const size = (b: Backup) => formatSize(b.size, t('backup.units'), i18n.language);
  const summary = backups.data?.summary;
  const items = backups.data?.items ?? [];
  const runningRow = items.find((b) => b.status === 'running');
  const busy = create.isPending || !!running || !!runningRow;

  const start = () =>
    create.mutate(undefined, {
      onSuccess: ({ id }) => setRunning({ id, stage: 'database', percent: 0 }),
      onError: (err) => notifications.show({ color: 'red', message: err instanceof Error ? err.message : String(err) }),
    });

  const copies = (b: Backup) => (
    <Group gap={6} wrap="wrap">
      {/* A backup still being made, or one that failed, has no file to speak of (not «removed by retention»). */}
      {b.status === 'done' && (
        <Badge variant="light" color={b.available ? 'gray' : 'dark'} radius="sm" style={{ textTransform: 'none' }}>
          {b.available ? t('backup.local') : t('backup.localRemoved')}
        </Badge>
      )}
      {b.copies.map((c: BackupCopy) => (
        <Tooltip
          key={c.target}
          label={[c.target, c.lastError, c.attempts ? t('backup.attempts', { count: c.attempts }) : null].filter(Boolean).join(' · ')}
          multiline
          maw={360}
        >
          <Badge variant="light" color={COPY_COLORS[c.status]} radius="sm" style={{ textTransform: 'none' }} data-testid="backup-copy">
            {hostOf(c.target)}: {t(`backup.copy.${c.status}`)}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
  const status = (b: Backup) => (
    <Tooltip label={b.error ?? t(`backup.trigger.${b.trigger}`)} multiline maw={360}>
      <Badge color={STATUS_COLORS[b.status]} variant="light" radius="sm" style={{ textTransform: 'none' }} data-testid="backup-status">
        {t(`backup.status.${b.status}`)}
      </Badge>
    </Tooltip>
  );
  const encryption = (b: Backup) =>
    b.encrypted ? (
      <Badge color="teal" variant="light" radius="sm" leftSection={<IconLock size={12} />} style={{ textTransform: 'none' }}>
        {t('backup.encrypted')}
      </Badge>
    ) : (
      <Badge color="orange" variant="light" radius="sm" leftSection={<IconLockOpen size={12} />} style={{ textTransform: 'none' }}>
        {t('backup.plain')}
      </Badge>
    );
  const download = (b: Backup) =>
    mayCreate && b.available ? (
      <Button
        size="xs"
        variant="subtle"
        leftSection={<IconDownload size={14} />}
        onClick={() => void downloadBackup(b.id, b.fileName)}
        data-testid="backup-download"
      >
        {t('backup.download')}
      </Button>
    ) : null;

  return (
    <>
      <PageHeader
        title={t('backup.title')}
        description={t('backup.description')}
        actions={
          mayCreate ? (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              onClick={start}
              loading={create.isPending}
              disabled={busy}
              data-testid="backup-create"
            >
              {busy ? t('backup.creating') : t('backup.create')}
            </Button>
          ) : null
        }
      />
      {backups.isPending ? (
        <PageLoader />
      ) : backups.isError ? (
        <QueryError error={backups.error} onRetry={() => void backups.refetch()} />
      ) : (
        <Stack gap="md">
          {running ? (
            <Paper withBorder p="md" radius="md" data-testid="backup-progress">
              <Group justify="space-between" mb={6}>
                <Text size="sm" fw={600}>
                  {t(`backup.stage.${running.stage}`)}
                </Text>
                <Text size="sm" c="dimmed" className="tabular-nums">
                  {running.percent} %
                </Text>
              </Group>
              <Progress value={running.percent} animated striped size="lg" aria-label={t('backup.creating')} />
            </Paper>
          ) : null}
          {summary && !summary.encrypted ? (
            <Alert color="orange" icon={<IconLockOpen size={18} />} title={t('backup.unencryptedTitle')} data-testid="backup-unencrypted">
              {t('backup.unencrypted')}
            </Alert>
          ) : null}
          {summary && summary.targets.length === 0 ? (
            <Alert color="blue" icon={<IconCloudOff size={18} />} title={t('backup.noTargetsTitle')} data-testid="backup-no-targets">
              {t('backup.noTargets')}
            </Alert>
          ) : null}
          {summary?.offsiteStale ? (
            <Alert
              color="red"
              variant="filled"
              icon={<IconAlertTriangle size={18} />}
              title={t('backup.staleTitle')}
              data-testid="backup-stale"
            >
              {summary.lastOffsiteAt ? t('backup.stale', { at: formatDateTimeRu(summary.lastOffsiteAt) }) : t('backup.staleNever')}
            </Alert>
          ) : null}
          {summary ? (
            <Paper withBorder p="md" radius="md">
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
                <Fact
                  label={t('backup.summary.schedule')}
                  value={summary.schedule === 'off' ? t('backup.summary.scheduleOff') : summary.schedule}
                />
                <Fact label={t('backup.summary.keep')} value={String(summary.keep)} />
                <Fact
                  label={t('backup.summary.lastBackup')}
                  value={summary.lastBackupAt ? formatDateTimeRu(summary.lastBackupAt) : t('backup.summary.never')}
                />
                <Fact
                  label={t('backup.summary.lastOffsite')}
                  value={
                    summary.targets.length === 0
                      ? '—'
                      : summary.lastOffsiteAt
                        ? formatDateTimeRu(summary.lastOffsiteAt)
                        : t('backup.summary.never')
                  }
                />
              </SimpleGrid>
              {summary.targets.length ? (
                <Text size="xs" c="dimmed" mt="sm">
                  {t('backup.summary.targets')}: {summary.targets.join(', ')}
                </Text>
              ) : null}
              {summary.encrypted ? (
                <Text size="xs" c="dimmed" mt={4}>
                  {t('backup.encryptedNote')}
                </Text>
              ) : null}
            </Paper>
          ) : null}

          <Paper p={0} radius="md" withBorder>
            {items.length === 0 ? (
              <Text c="dimmed" p="lg" ta="center">
                {t('backup.empty')}
              </Text>
            ) : phone ? (
              <Stack gap={0} data-testid="backup-list">
                {items.map((b) => (
                  <Stack
                    key={b.id}
                    gap={6}
                    p="sm"
                    style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
                    data-testid="backup-row"
                  >
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm" fw={600} className="tabular-nums">
                        {formatDateTimeRu(b.createdAt)}
                      </Text>
                      {status(b)}
                    </Group>
                    <Group gap="xs">
                      <Text size="sm" className="tabular-nums">
                        {size(b)}
                      </Text>
                      {encryption(b)}
                    </Group>
                    {copies(b)}
                    {download(b)}
                  </Stack>
                ))}
              </Stack>
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="xs" highlightOnHover data-testid="backup-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={140}>{t('backup.col.at')}</Table.Th>
                      <Table.Th>{t('backup.col.size')}</Table.Th>
                      <Table.Th>{t('backup.col.encryption')}</Table.Th>
                      <Table.Th>{t('backup.col.copies')}</Table.Th>
                      <Table.Th>{t('backup.col.status')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((b) => (
                      <Table.Tr key={b.id} data-testid="backup-row">
                        <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTimeRu(b.createdAt)}
                        </Table.Td>
                        <Table.Td className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                          {size(b)}
                        </Table.Td>
                        <Table.Td>{encryption(b)}</Table.Td>
                        <Table.Td>{copies(b)}</Table.Td>
                        <Table.Td>{status(b)}</Table.Td>
                        <Table.Td>{download(b)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </Stack>
      )}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} className="tabular-nums">
        {value}
      </Text>
    </Stack>
  );
}

/** «storage.yandexcloud.net» out of a target's label (an URL without credentials), else the label. */
function hostOf(label: string): string {
  try {
    return new URL(label).host || label;
  } catch {
    return label;
  }
}
