import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../auth/useAuth';
import type { Query } from '../../api/client';
import { isPreset, resolveRange, type Preset, type Range } from './period';

export type ReportView = 'table' | 'chart';

/** Who may pick a manager (head: within his department) and a department (owner, admin). */
export function canPickManager(role: string) {
  return role === 'head' || role === 'owner' || role === 'admin';
}
export function canPickDepartment(role: string) {
  return role === 'owner' || role === 'admin';
}
export function canSetPlans(role: string) {
  return role === 'head' || role === 'owner' || role === 'admin';
}

/**
 * The report filters live in the address (shareable, kept when switching reports): `period` (preset), `from`, `to`
 * (custom), `owner`, `dept`, `pipeline`, `view` (table | chart), plus report-specific keys read with `param`.
 */
export function useReportFilters(defaultPreset: Exclude<Preset, 'custom'> = 'month') {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const presetParam = params.get('period');
  const preset: Preset = isPreset(presetParam) ? presetParam : defaultPreset;
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const range: Range = useMemo(() => resolveRange(preset, fromParam, toParam), [preset, fromParam, toParam]);
  const ownerId = canPickManager(me.role) ? (params.get('owner') ?? undefined) : undefined;
  const departmentId = canPickDepartment(me.role) ? (params.get('dept') ?? undefined) : undefined;
  const pipelineId = params.get('pipeline') ?? undefined;
  const view: ReportView = params.get('view') === 'chart' ? 'chart' : 'table';

  /** Sets (or with null/'' removes) address keys, keeping the others. */
  const set = useCallback(
    (patch: Record<string, string | null | undefined>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const param = useCallback((key: string) => params.get(key), [params]);

  /** The query every report takes: period and people filters (+ the pipeline when the report uses it). */
  const query = useCallback(
    (withPipeline = true): Query => ({
      from: range.from,
      to: range.to,
      ownerId,
      departmentId,
      pipelineId: withPipeline ? pipelineId : undefined,
    }),
    [range, ownerId, departmentId, pipelineId],
  );

  return { me, preset, range, ownerId, departmentId, pipelineId, view, set, param, query, search: params.toString() };
}

export type ReportFilters = ReturnType<typeof useReportFilters>;
