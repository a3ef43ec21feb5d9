import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages, type Page, type Query } from '../../api/client';
import type { User } from '../../api/types';
import type { Client } from '../../../../common/api/clients';
import type { ConvertLeadResult, CreateLeadInput, Lead, LeadDetail, LeadStatus } from '../../../../common/api/leads';

/** Data of the «Лиды» section. Keys are namespaced with `leads`. */
export const LEADS_KEY = ['leads'] as const;

const enc = encodeURIComponent;

/** The inbox tabs: the four statuses plus «Неразобранные» and «Просрочено». */
export const LEAD_TABS = ['new', 'in_work', 'converted', 'junk', 'unassigned', 'overdue'] as const;
export type LeadTab = (typeof LEAD_TABS)[number];

export function isLeadTab(value: unknown): value is LeadTab {
  return typeof value === 'string' && (LEAD_TABS as readonly string[]).includes(value);
}

export interface LeadFilters {
  assigneeId?: string;
  formId?: string;
  q?: string;
}

/** The list query of a tab: «Неразобранные» are new leads nobody has; «Просрочено» — new ones past their SLA. */
export function tabQuery(tab: LeadTab): Query {
  if (tab === 'unassigned') return { status: 'new', unassigned: 'true' };
  if (tab === 'overdue') return { overdue: 'true' };
  return { status: tab satisfies LeadStatus };
}

/** The list's filters as the API takes them (the list, its counts and its export). */
export function filterQuery(filters: LeadFilters): Query {
  return { assigneeId: filters.assigneeId, formId: filters.formId, q: filters.q?.trim() || undefined };
}

const PAGE = 50;

export function useLeadList(tab: LeadTab, filters: LeadFilters) {
  return useInfiniteQuery({
    queryKey: [...LEADS_KEY, 'list', tab, filters],
    queryFn: ({ signal, pageParam }) =>
      api.get<Page<Lead>>('/leads', { ...tabQuery(tab), ...filterQuery(filters), limit: PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    // Live events refresh the inbox; polling is the safety net (a missed event, a sleeping laptop).
    refetchInterval: 60_000,
  });
}

const COUNT_LIMIT = 100;

/** A tab's count for its badge: up to 100 exactly, then «99+». */
export function useLeadCount(tab: LeadTab, filters: LeadFilters, enabled = true) {
  return useQuery({
    queryKey: [...LEADS_KEY, 'count', tab, filters],
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<Lead>>('/leads', { ...tabQuery(tab), ...filterQuery(filters), limit: COUNT_LIMIT }, signal);
      return { count: page.items.length, more: Boolean(page.nextCursor) };
    },
    enabled,
    refetchInterval: 60_000,
  });
}

export function leadKey(id: string) {
  return [...LEADS_KEY, 'lead', id] as const;
}

export function useLead(id: string | undefined) {
  return useQuery({
    queryKey: leadKey(id ?? ''),
    queryFn: ({ signal }) => api.get<LeadDetail>(`/leads/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
    retry: (count, error) => !(error && 'status' in error && (error.status === 404 || error.status === 403)) && count < 2,
  });
}

/** Active managers and heads: the assignee filter and the «Назначить» picker. */
export function useLeadUsers(enabled = true) {
  return useQuery({
    queryKey: [...LEADS_KEY, 'users'],
    queryFn: async ({ signal }) =>
      (await fetchAllPages<User>('/users', { active: true }, signal)).filter(
        (u) => u.active && (u.role === 'manager' || u.role === 'head'),
      ),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Clients matching `q` (name, ИНН, phone, e-mail) for «Привязать к существующему клиенту». */
export function useClientSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...LEADS_KEY, 'clients', q],
    queryFn: async ({ signal }) => (await api.get<Page<Client>>('/clients', { q: q.trim() || undefined, limit: 20 }, signal)).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

function useRefreshLeads() {
  const queryClient = useQueryClient();
  return (lead?: LeadDetail | Lead) => {
    if (lead && 'fields' in lead) queryClient.setQueryData(leadKey(lead.id), lead);
    else if (lead) void queryClient.invalidateQueries({ queryKey: leadKey(lead.id) });
    void queryClient.invalidateQueries({ queryKey: [...LEADS_KEY, 'list'] });
    void queryClient.invalidateQueries({ queryKey: [...LEADS_KEY, 'count'] });
  };
}

/** After a 409/422 the screen reloads, so the next try has the current state. */
function useReloadLead() {
  const queryClient = useQueryClient();
  return (id: string) => {
    void queryClient.invalidateQueries({ queryKey: leadKey(id) });
    void queryClient.invalidateQueries({ queryKey: [...LEADS_KEY, 'list'] });
  };
}

export function useTakeLead() {
  const refresh = useRefreshLeads();
  const reload = useReloadLead();
  return useMutation({
    mutationFn: (lead: Pick<Lead, 'id' | 'version'>) => api.post<LeadDetail>(`/leads/${enc(lead.id)}/take`, { version: lead.version }),
    onSuccess: (lead) => refresh(lead),
    onError: (_e, lead) => reload(lead.id),
  });
}

export function useJunkLead() {
  const refresh = useRefreshLeads();
  const reload = useReloadLead();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<LeadDetail>(`/leads/${enc(id)}/junk`, { reason }),
    onSuccess: (lead) => refresh(lead),
    onError: (_e, vars) => reload(vars.id),
  });
}

export function useConvertLead() {
  const refresh = useRefreshLeads();
  const reload = useReloadLead();
  return useMutation({
    mutationFn: ({ id, clientId, title }: { id: string; clientId?: string; title?: string }) =>
      api.post<ConvertLeadResult>(`/leads/${enc(id)}/convert`, { ...(clientId ? { clientId } : {}), ...(title ? { title } : {}) }),
    onSuccess: (result) => refresh(result.lead),
    onError: (_e, vars) => reload(vars.id),
  });
}

export function useAssignLead() {
  const refresh = useRefreshLeads();
  const reload = useReloadLead();
  return useMutation({
    mutationFn: ({ id, assigneeId, version }: { id: string; assigneeId: string; version?: number }) =>
      api.patch<LeadDetail>(`/leads/${enc(id)}`, { assigneeId, version }),
    onSuccess: (lead) => refresh(lead),
    onError: (_e, vars) => reload(vars.id),
  });
}

export function useCreateLead() {
  const refresh = useRefreshLeads();
  return useMutation({
    mutationFn: (input: CreateLeadInput) => api.post<LeadDetail>('/leads', input),
    onSuccess: (lead) => refresh(lead),
  });
}
