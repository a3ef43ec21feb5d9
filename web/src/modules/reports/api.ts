import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, downloadFile, fetchAllPages, type Page, type Query } from '../../api/client';
import type { Department, User } from '../../api/types';
import type { Pipeline } from '../../../../common/api/pipelines';
import type { Plan, PlanMetric } from '../../../../common/api/plans';
import type {
  ActivityReport,
  ClientBaseReport,
  CorrelationReport,
  FunnelReport,
  LossReasonsReport,
  PlanFactReport,
  ReviewsReport,
  SalesReport,
  SourcesReport,
} from '../../../../common/api/reports';

/** Data of the «Отчёты» section (GET /api/reports/…, /api/plans). Keys start with `reports`. */
export const REPORTS_KEY = ['reports'] as const;

export interface ReportData {
  funnel: FunnelReport;
  sales: SalesReport;
  activity: ActivityReport;
  'client-base': ClientBaseReport;
  'loss-reasons': LossReasonsReport;
  sources: SourcesReport;
  reviews: ReviewsReport;
  correlation: CorrelationReport;
  'plan-fact': PlanFactReport;
}
export type ReportKind = keyof ReportData;

/** Drops empty values so that the cache key and the URL stay the same for the same report. */
export function cleanQuery(query: Query): Query {
  const out: Query = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') out[key] = value;
  return out;
}

export function useReport<K extends ReportKind>(kind: K, query: Query, enabled = true) {
  const q = cleanQuery(query);
  return useQuery({
    queryKey: [...REPORTS_KEY, kind, q],
    queryFn: ({ signal }) => api.get<ReportData[K]>(`/reports/${kind}`, q, signal),
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 30_000,
    // a 400 (unsupported combination) will not heal by itself
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

// ── dictionaries for the filters ──

export function useReportUsers(enabled = true) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'users'],
    queryFn: ({ signal }) => fetchAllPages<User>('/users', {}, signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useReportDepartments(enabled = true) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'departments'],
    queryFn: async ({ signal }) => (await api.get<Page<Department>>('/departments', undefined, signal)).items,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useReportPipelines() {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'pipelines'],
    queryFn: ({ signal }) => api.get<Pipeline[]>('/pipelines', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

// ── plans ──

export function usePlans(period: string, enabled = true) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'plans', period],
    queryFn: async ({ signal }) => (await api.get<Page<Plan>>('/plans', { period }, signal)).items,
    enabled,
  });
}

export interface PlanChange {
  userId: string;
  metric: PlanMetric;
  /** null: remove the plan. */
  target: number | null;
  planId?: string;
}

/** Saves the changed cells one by one (PUT /plans, DELETE /plans/:id), reporting progress. */
export function useSavePlans() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ period, changes, onProgress }: { period: string; changes: PlanChange[]; onProgress?: (done: number) => void }) => {
      let done = 0;
      for (const change of changes) {
        if (change.target === null) {
          if (change.planId) await api.delete(`/plans/${encodeURIComponent(change.planId)}`);
        } else {
          await api.put<Plan>('/plans', { userId: change.userId, period, metric: change.metric, target: change.target });
        }
        onProgress?.(++done);
      }
      return done;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: REPORTS_KEY }),
  });
}

// ── files ──

export type ExportFormat = 'xlsx' | 'csv' | 'pdf';

/** Downloads a report as a file (`format=xlsx|csv|pdf`; the server writes the export to the audit log). */
export function downloadReport(kind: ReportKind, query: Query, format: ExportFormat): Promise<void> {
  return downloadFile(`/reports/${kind}`, { ...cleanQuery(query), format }, `${kind}-${new Date().toISOString().slice(0, 10)}.${format}`);
}
