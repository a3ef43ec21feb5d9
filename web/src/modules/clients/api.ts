import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, fetchAllPages, request, type Page } from '../../api/client';
import type { User } from '../../api/types';
import type { Client, Contact, ContactHit, LossReason } from '../../../../common/api/clients';
import type { TimelineEntry } from '../../../../common/api/timeline';
import type { DealSummary } from '../../../../common/api/deals';
import type { Task, TaskType } from '../../../../common/api/tasks';

export type { Client, Contact, ContactHit, LossReason, TimelineEntry, DealSummary, Task, TaskType };

/** Every query of the section lives under this key, so one invalidation refreshes lists, cards and counts. */
export const CLIENTS_KEY = ['clients'] as const;
const keys = {
  list: (filters: ClientFilters) => [...CLIENTS_KEY, 'list', filters] as const,
  counts: (filters: Pick<ClientFilters, 'ownerId' | 'region'>) => [...CLIENTS_KEY, 'counts', filters] as const,
  one: (id: string) => [...CLIENTS_KEY, 'one', id] as const,
  contacts: (id: string) => [...CLIENTS_KEY, 'contacts', id] as const,
  timeline: (id: string) => [...CLIENTS_KEY, 'timeline', id] as const,
  deals: (id: string) => [...CLIENTS_KEY, 'deals', id] as const,
  tasks: (id: string) => [...CLIENTS_KEY, 'tasks', id] as const,
  search: (q: string, limit: number) => [...CLIENTS_KEY, 'search', q, limit] as const,
};
export const clientKeys = keys;
const USERS_KEY = ['clients-users'] as const;
const REASONS_KEY = ['loss-reasons'] as const;

const enc = encodeURIComponent;

// ── a request that keeps the error `details` (409 duplicate_client names the existing client) ──

/** The existing client's id and name come only when the caller may open it; its owner always (so he can ask him). */
export interface DuplicateDetails {
  existingId?: string;
  existingName?: string;
  field: 'inn' | 'phone' | 'email';
  ownerId?: string | null;
  ownerName?: string | null;
}

/** 409 `duplicate_client`: the server's message and fields, plus which client already has the ИНН/phone/e-mail. */
export class DuplicateClientError extends ApiError {
  readonly duplicate: DuplicateDetails;
  constructor(base: ApiError, duplicate: DuplicateDetails) {
    super(base.status, base.code, base.message, base.fields, base.details);
    this.duplicate = duplicate;
  }
}

export function isDuplicateError(error: unknown): error is DuplicateClientError {
  return error instanceof DuplicateClientError;
}

export function isStaleError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'version_conflict';
}

/** POST/PATCH through the API client; a 409 `duplicate_client` becomes DuplicateClientError with its details. */
async function sendWithDetails<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  try {
    return await request<T>(method, path, { body });
  } catch (error) {
    const details = error instanceof ApiError ? (error.details as Partial<DuplicateDetails> | undefined) : undefined;
    if (error instanceof ApiError && error.code === 'duplicate_client' && details) {
      throw new DuplicateClientError(error, {
        existingId: details.existingId,
        existingName: details.existingName ?? '',
        field: details.field ?? 'inn',
        ownerId: details.ownerId ?? null,
        ownerName: details.ownerName ?? null,
      });
    }
    throw error;
  }
}

// ── lists ──

export interface ClientFilters {
  q?: string;
  status?: 'active' | 'refused';
  ownerId?: string;
  region?: string;
}

const PAGE_SIZE = 50;

export function useClientList(filters: ClientFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(filters),
    queryFn: ({ pageParam, signal }) => api.get<Page<Client>>('/clients', { ...filters, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
    refetchOnWindowFocus: true,
  });
}

export interface ClientCounts {
  total: number;
  active: number;
  refused: number;
}

export function useClientCounts(filters: Pick<ClientFilters, 'ownerId' | 'region'>) {
  return useQuery({
    queryKey: keys.counts(filters),
    queryFn: ({ signal }) => api.get<ClientCounts>('/clients/counts', { ...filters }, signal),
    placeholderData: (previous) => previous,
    refetchOnWindowFocus: true,
  });
}

/** Users, to show owners' names and pick a new owner (every signed-in user may list them). */
export function useUsers() {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: ({ signal }) => fetchAllPages<User>('/users', {}, signal),
    staleTime: 5 * 60_000,
  });
}

export function useUserNames(): Map<string, string> {
  const users = useUsers();
  return new Map((users.data ?? []).map((user) => [user.id, user.name]));
}

export function useLossReasons() {
  return useQuery({
    queryKey: REASONS_KEY,
    queryFn: ({ signal }) => api.get<{ items: LossReason[] }>('/loss-reasons', undefined, signal).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

// ── one client ──

export function useClient(id: string) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: ({ signal }) => api.get<Client>(`/clients/${enc(id)}`, undefined, signal),
    refetchOnWindowFocus: true,
  });
}

export function useContacts(clientId: string) {
  return useQuery({
    queryKey: keys.contacts(clientId),
    queryFn: ({ signal }) => api.get<Page<Contact>>(`/clients/${enc(clientId)}/contacts`, undefined, signal).then((r) => r.items),
    refetchOnWindowFocus: true,
  });
}

export function useTimeline(clientId: string) {
  return useInfiniteQuery({
    queryKey: keys.timeline(clientId),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<TimelineEntry>>(`/clients/${enc(clientId)}/timeline`, { limit: 30, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchOnWindowFocus: true,
  });
}

export function useClientDeals(clientId: string) {
  return useQuery({
    queryKey: keys.deals(clientId),
    queryFn: ({ signal }) => api.get<Page<DealSummary>>('/deals', { clientId, limit: 20 }, signal),
    refetchOnWindowFocus: true,
    retry: false,
  });
}

export function useClientTasks(clientId: string) {
  return useQuery({
    queryKey: keys.tasks(clientId),
    queryFn: ({ signal }) => api.get<Page<Task>>('/tasks', { clientId, status: 'open', limit: 20 }, signal),
    refetchOnWindowFocus: true,
    retry: false,
  });
}

export interface SearchResult {
  clients: Client[];
  contacts: ContactHit[];
  deals: DealSummary[];
}

export function useSearch(q: string, limit = 20) {
  const query = q.trim();
  return useQuery({
    queryKey: keys.search(query, limit),
    queryFn: ({ signal }) => api.get<SearchResult>('/search', { q: query, limit }, signal),
    enabled: query.length > 0,
    placeholderData: (previous) => previous,
  });
}

// ── mutations ──

export interface ClientBody {
  kind: 'company' | 'person';
  name: string;
  legalName?: string | null;
  inn?: string | null;
  kpp?: string | null;
  ogrn?: string | null;
  bik?: string | null;
  account?: string | null;
  corrAccount?: string | null;
  bankName?: string | null;
  phones?: string[];
  emails?: string[];
  region?: string | null;
  address?: string | null;
  source?: string | null;
  tags?: string[];
  ownerId?: string;
  force?: boolean;
}

export function invalidateClients(queryClient: QueryClient) {
  return queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => void invalidateClients(queryClient);
}

export function useCreateClient() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ClientBody) => sendWithDetails<Client>('POST', '/clients', body),
    onSuccess: invalidate,
  });
}

export type ClientPatch = Partial<ClientBody> & { negativeFeedback?: boolean; version: number };

/** PATCH with `version`; on any error the card is reloaded (a 409 stale version shows the fresh data). */
export function useUpdateClient(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ClientPatch) => sendWithDetails<Client>('PATCH', `/clients/${enc(id)}`, patch),
    onSuccess: (client) => {
      queryClient.setQueryData(keys.one(id), client);
      void invalidateClients(queryClient);
    },
    onError: (error) => {
      if (isStaleError(error)) void queryClient.invalidateQueries({ queryKey: keys.one(id) });
    },
  });
}

function useClientAction<Input>(id: string, call: (input: Input) => Promise<Client>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (client) => {
      queryClient.setQueryData(keys.one(id), client);
      void invalidateClients(queryClient);
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: keys.one(id) }),
  });
}

export function useRefuse(id: string) {
  return useClientAction(id, (input: { reasonId: string | null; comment: string; version: number }) =>
    api.post<Client>(`/clients/${enc(id)}/refusal`, input),
  );
}

export function useReactivate(id: string) {
  return useClientAction(id, (input: { version: number }) => api.post<Client>(`/clients/${enc(id)}/reactivate`, input));
}

export function useReassign(id: string) {
  return useClientAction(id, (input: { ownerId: string }) => api.post<Client>(`/clients/${enc(id)}/reassign`, input));
}

export function useMerge(id: string) {
  return useClientAction(id, (input: { sourceId: string }) => api.post<Client>(`/clients/${enc(id)}/merge`, input));
}

/** Clients deleted from this tab: their `client.deleted` live event needs no «удалён кем-то» notice. */
export const deletedHere = new Set<string>();

export function useDeleteClient(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => {
      deletedHere.add(id);
      return api.delete(`/clients/${enc(id)}`).catch((error: unknown) => {
        deletedHere.delete(id);
        throw error;
      });
    },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: keys.one(id) });
      void invalidateClients(queryClient);
    },
  });
}

export function useAddComment(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.post<TimelineEntry>(`/clients/${enc(clientId)}/comments`, { text }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.timeline(clientId) }),
  });
}

export interface ContactBody {
  name: string;
  position?: string | null;
  phones?: string[];
  emails?: string[];
}

export function useSaveContact(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, ...body }: ContactBody & { id?: string; version?: number }) =>
      id ? api.patch<Contact>(`/contacts/${enc(id)}`, { ...body, version }) : api.post<Contact>(`/clients/${enc(clientId)}/contacts`, body),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.contacts(clientId) }),
  });
}

export function useDeleteContact(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/contacts/${enc(id)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.contacts(clientId) }),
  });
}

export interface TaskBody {
  title: string;
  type: TaskType;
  dueAt: string;
  clientId: string;
}

export function useCreateTask(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TaskBody) => api.post<Task>('/tasks', body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.tasks(clientId) }),
  });
}
