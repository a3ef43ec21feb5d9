import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, type Page } from '../../api/client';
import type { Invoice, InvoiceStatus, InvoicesSummary, InvoiceSummary, Payment } from '../../../../common/api/invoices';

export type { Invoice, InvoiceStatus, InvoicesSummary, InvoiceSummary, Payment };

/**
 * Data of «Счета»: the register, its sums, one invoice with its payments, and the actions on it.
 * Every key starts with `invoices`, so one invalidation refreshes the register, the card and the deal panel.
 */
export const INVOICES_KEY = ['invoices'] as const;
const keys = {
  list: (filters: InvoiceFilters) => [...INVOICES_KEY, 'list', filters] as const,
  summary: (filters: InvoiceFilters) => [...INVOICES_KEY, 'summary', filters] as const,
  one: (id: string) => [...INVOICES_KEY, 'one', id] as const,
  payments: (id: string) => [...INVOICES_KEY, 'payments', id] as const,
  deal: (dealId: string) => [...INVOICES_KEY, 'deal', dealId] as const,
};

/** Deals move when an invoice is issued or paid: refresh what the deals section keeps too. */
const DEALS_KEY = ['deals'] as const;

const enc = encodeURIComponent;
export const PAGE_SIZE = 50;

export interface InvoiceFilters {
  status?: InvoiceStatus;
  q?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
  dealId?: string;
  clientId?: string;
}

/** The list's filters as the API takes them (the register, its summary and its export). */
export function toQuery(filters: InvoiceFilters) {
  return {
    status: filters.status,
    q: filters.q,
    from: filters.from,
    to: filters.to,
    overdue: filters.overdue ? 'true' : undefined,
    dealId: filters.dealId,
    clientId: filters.clientId,
  };
}

export function useInvoiceList(filters: InvoiceFilters) {
  return useInfiniteQuery({
    queryKey: keys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<InvoiceSummary>>('/invoices', { ...toQuery(filters), limit: PAGE_SIZE, cursor: pageParam ?? undefined }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? null,
    placeholderData: keepPreviousData,
  });
}

export function useInvoiceSummary(filters: InvoiceFilters) {
  return useQuery({
    queryKey: keys.summary(filters),
    queryFn: ({ signal }) => api.get<InvoicesSummary>('/invoices/summary', toQuery(filters), signal),
    placeholderData: keepPreviousData,
  });
}

/** The invoices of one deal (the panel on the deal card), newest first. */
export function useDealInvoices(dealId: string) {
  return useQuery({
    queryKey: keys.deal(dealId),
    queryFn: async ({ signal }) => (await api.get<Page<InvoiceSummary>>('/invoices', { dealId, limit: 100 }, signal)).items,
  });
}

export function useInvoice(id: string) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: ({ signal }) => api.get<Invoice>(`/invoices/${enc(id)}`, undefined, signal),
  });
}

export function usePayments(id: string) {
  return useQuery({
    queryKey: keys.payments(id),
    queryFn: async ({ signal }) => (await api.get<{ items: Payment[] }>(`/invoices/${enc(id)}/payments`, undefined, signal)).items,
  });
}

/** The client's e-mails, to prefill «Отправить клиенту». */
export function useClientEmails(clientId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...INVOICES_KEY, 'clientEmails', clientId],
    queryFn: async ({ signal }) => (await api.get<{ emails?: string[] }>(`/clients/${enc(clientId)}`, undefined, signal)).emails ?? [],
    enabled,
    retry: false,
    staleTime: 60_000,
  });
}

/** After any change: the card gets the server's copy at once, lists and deals refresh. */
function useAfterChange() {
  const queryClient = useQueryClient();
  return (invoice?: Invoice) => {
    if (invoice) queryClient.setQueryData(keys.one(invoice.id), invoice);
    void queryClient.invalidateQueries({ queryKey: INVOICES_KEY });
    void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
  };
}

export function useIssueInvoice() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: (dealId: string) => api.post<Invoice>(`/deals/${enc(dealId)}/invoices`, {}),
    onSuccess: after,
  });
}

export function useSendInvoice() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: ({ id, email }: { id: string; email?: string }) => api.post<Invoice>(`/invoices/${enc(id)}/send`, email ? { email } : {}),
    onSuccess: after,
  });
}

export interface PaymentInput {
  id: string;
  amount: number;
  paidAt: string;
  reference?: string;
  confirmCredit?: boolean;
}

export function useAddPayment() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: ({ id, ...body }: PaymentInput) => api.post<Invoice>(`/invoices/${enc(id)}/payments`, body),
    onSuccess: after,
  });
}

export function useDeletePayment() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: (paymentId: string) => api.delete<Invoice>(`/payments/${enc(paymentId)}`),
    onSuccess: after,
  });
}

export function useCancelInvoice() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; reason?: string; version: number }) =>
      api.post<Invoice>(`/invoices/${enc(id)}/cancel`, body),
    onSuccess: after,
    onError: () => after(),
  });
}

export function useReissueInvoice() {
  const after = useAfterChange();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; reason?: string; version: number }) =>
      api.post<Invoice>(`/invoices/${enc(id)}/reissue`, body),
    onSuccess: after,
    onError: () => after(),
  });
}

export const pdfUrl = (id: string) => apiUrl(`/invoices/${enc(id)}/pdf`);
