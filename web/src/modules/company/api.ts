import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages } from '../../api/client';
import type { User } from '../../../../common/api/users';
import type { CompanySettings, TaxMode } from '../../../../common/api/settings';

export type { CompanySettings, TaxMode };

export const COMPANY_KEY = ['settings', 'company'] as const;

/** The seller's requisites (everyone signed in reads them; the images come along). */
export function useCompanySettings() {
  return useQuery({
    queryKey: COMPANY_KEY,
    queryFn: ({ signal }) => api.get<CompanySettings>('/settings/company', undefined, signal),
  });
}

/** PUT body: every field but the derived ones; `logo`/`facsimile` omitted = unchanged, null = removed. */
export type CompanySettingsInput = Omit<CompanySettings, 'defaultVatRate' | 'updatedAt' | 'logo' | 'facsimile'> & {
  logo?: string | null;
  facsimile?: string | null;
};

export function useSaveCompanySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CompanySettingsInput) => api.put<CompanySettings>('/settings/company', input),
    onSuccess: (saved) => queryClient.setQueryData(COMPANY_KEY, saved),
  });
}

/** Who may be the head of sales in the settings: active heads, owners and admins. */
export function useSalesHeadCandidates() {
  return useQuery({
    queryKey: ['settings', 'company', 'sales-head-candidates'],
    queryFn: async ({ signal }) =>
      (await fetchAllPages<User>('/users', { active: true }, signal)).filter((u) => ['head', 'owner', 'admin'].includes(u.role)),
    staleTime: 60_000,
  });
}
