import { useMemo, type ReactNode } from 'react';
import { Group, SegmentedControl, Select } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useReportDepartments, useReportPipelines, useReportUsers } from './api';
import { PRESETS, type Preset } from './period';
import { canPickDepartment, canPickManager, type ReportFilters } from './useReportFilters';

/** Roles whose figures appear in reports and who can be picked as «Менеджер». */
const SELLING_ROLES = new Set(['manager', 'head']);

interface Props {
  f: ReportFilters;
  /** Show the period picker (not on plan/fact, which has its month). */
  period?: boolean;
  pipeline?: boolean;
  children?: ReactNode;
}

/** Period presets + custom dates, «Менеджер» (head, owner, admin), «Отдел» (owner, admin), «Воронка». */
export function ReportFiltersBar({ f, period = true, pipeline = true, children }: Props) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const pickManager = canPickManager(f.me.role);
  const pickDepartment = canPickDepartment(f.me.role);
  const users = useReportUsers(pickManager);
  const departments = useReportDepartments(pickDepartment);
  const pipelines = useReportPipelines();

  const managerOptions = useMemo(
    () =>
      (users.data ?? [])
        .filter((u) => SELLING_ROLES.has(u.role) || u.id === f.me.id)
        .filter((u) => (f.me.role === 'head' ? u.departmentId === f.me.departmentId || u.id === f.me.id : true))
        .filter((u) => (f.departmentId ? u.departmentId === f.departmentId : true))
        .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'ru'))
        .map((u) => ({ value: u.id, label: u.active ? u.name : `${u.name} (${t('reports.filters.inactive')})` })),
    [users.data, f.me, f.departmentId, t],
  );

  const presetData = PRESETS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }));
  const choosePreset = (value: string | null) => {
    const preset = (value ?? 'month') as Preset;
    if (preset === 'custom') f.set({ period: 'custom', from: f.range.from, to: f.range.to });
    else f.set({ period: preset, from: null, to: null });
  };

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" className="vr-no-print" data-testid="report-filters">
      {period ? (
        phone ? (
          <Select label={t('reports.period.label')} data={presetData} value={f.preset} onChange={choosePreset} w="100%" />
        ) : (
          <SegmentedControl data={presetData} value={f.preset} onChange={choosePreset} aria-label={t('reports.period.label')} />
        )
      ) : null}
      {period && f.preset === 'custom' ? (
        <DatePickerInput
          type="range"
          label={phone ? t('reports.period.dates') : undefined}
          aria-label={t('reports.period.dates')}
          valueFormat="DD.MM.YYYY"
          allowSingleDateInRange
          value={[f.range.from, f.range.to]}
          onChange={([from, to]) => {
            if (from && to) f.set({ period: 'custom', from: String(from).slice(0, 10), to: String(to).slice(0, 10) });
          }}
          w={{ base: '100%', xs: 240 }}
        />
      ) : null}
      {pickDepartment ? (
        <Select
          label={t('reports.filters.department')}
          placeholder={t('reports.filters.allDepartments')}
          data={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          value={f.departmentId ?? null}
          onChange={(value) => f.set({ dept: value, owner: null })}
          clearable
          allowDeselect
          w={{ base: '100%', xs: 200 }}
        />
      ) : null}
      {pickManager ? (
        <Select
          label={t('reports.filters.manager')}
          placeholder={f.me.role === 'head' ? t('reports.filters.myDepartment') : t('reports.filters.allManagers')}
          data={managerOptions}
          value={f.ownerId ?? null}
          onChange={(value) => f.set({ owner: value })}
          searchable
          clearable
          allowDeselect
          nothingFoundMessage={t('reports.filters.nobody')}
          w={{ base: '100%', xs: 220 }}
        />
      ) : null}
      {pipeline && (pipelines.data?.length ?? 0) > 1 ? (
        <Select
          label={t('reports.filters.pipeline')}
          placeholder={t('reports.filters.allPipelines')}
          data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={f.pipelineId ?? null}
          onChange={(value) => f.set({ pipeline: value })}
          clearable
          allowDeselect
          w={{ base: '100%', xs: 200 }}
        />
      ) : null}
      {children}
    </Group>
  );
}

/** «Период: 01.11.2026 — 26.11.2026» etc. for the printed header. */
export function useFilterLines(f: ReportFilters, opts: { period?: boolean; pipeline?: boolean } = {}): string[] {
  const { t } = useTranslation();
  const users = useReportUsers(canPickManager(f.me.role));
  const departments = useReportDepartments(canPickDepartment(f.me.role));
  const pipelines = useReportPipelines();
  const lines: string[] = [];
  const d = (s: string) => `${s.slice(8, 10)}.${s.slice(5, 7)}.${s.slice(0, 4)}`;
  if (opts.period !== false) lines.push(`${t('reports.print.period')}: ${d(f.range.from)} — ${d(f.range.to)}`);
  if (f.departmentId)
    lines.push(`${t('reports.filters.department')}: ${departments.data?.find((x) => x.id === f.departmentId)?.name ?? '…'}`);
  if (f.ownerId) lines.push(`${t('reports.filters.manager')}: ${users.data?.find((x) => x.id === f.ownerId)?.name ?? '…'}`);
  else if (f.me.role === 'manager') lines.push(`${t('reports.filters.manager')}: ${f.me.name}`);
  else if (f.me.role === 'head' && !f.departmentId) lines.push(t('reports.print.myDepartment'));
  if (opts.pipeline !== false && f.pipelineId)
    lines.push(`${t('reports.filters.pipeline')}: ${pipelines.data?.find((x) => x.id === f.pipelineId)?.name ?? '…'}`);
  return lines;
}
