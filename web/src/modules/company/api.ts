import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
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
