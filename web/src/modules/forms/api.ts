import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchAllPages } from '../../api/client';
import type { User } from '../../api/types';
import type { CreateFormInput, FormSnippet, PatchFormInput, WebForm } from '../../../../common/api/forms';

/** Data of Настройки → Веб-формы. Keys are namespaced with `webForms`. */
export const WEB_FORMS_KEY = ['webForms'] as const;

const enc = encodeURIComponent;

export function useWebForms(enabled = true) {
  return useQuery({
    queryKey: [...WEB_FORMS_KEY, 'list'],
    queryFn: ({ signal }) => fetchAllPages<WebForm>('/forms', {}, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function webFormKey(id: string) {
  return [...WEB_FORMS_KEY, 'form', id] as const;
}

export function useWebForm(id: string | undefined) {
  return useQuery({
    queryKey: webFormKey(id ?? ''),
    queryFn: ({ signal }) => api.get<WebForm>(`/forms/${enc(id!)}`, undefined, signal),
    enabled: Boolean(id),
    retry: (count, error) => !(error && 'status' in error && (error.status === 404 || error.status === 403)) && count < 2,
  });
}

export function useFormSnippet(id: string | undefined, token: string | undefined) {
  return useQuery({
    // the token is in the key: after «Сменить токен» the snippet is fetched again
    queryKey: [...WEB_FORMS_KEY, 'snippet', id ?? '', token ?? ''],
    queryFn: ({ signal }) => api.get<FormSnippet>(`/forms/${enc(id!)}/snippet`, undefined, signal),
    enabled: Boolean(id && token),
  });
}

/** Active managers and heads: who may receive a form's leads. */
export function usePoolUsers(enabled = true) {
  return useQuery({
    queryKey: [...WEB_FORMS_KEY, 'pool-users'],
    queryFn: async ({ signal }) =>
      (await fetchAllPages<User>('/users', { active: true }, signal)).filter(
        (u) => u.active && (u.role === 'manager' || u.role === 'head'),
      ),
    enabled,
    staleTime: 60_000,
  });
}

function useRefreshForms() {
  const queryClient = useQueryClient();
  return (form?: WebForm) => {
    if (form) queryClient.setQueryData(webFormKey(form.id), form);
    void queryClient.invalidateQueries({ queryKey: [...WEB_FORMS_KEY, 'list'] });
  };
}

export function useCreateWebForm() {
  const refresh = useRefreshForms();
  return useMutation({
    mutationFn: (input: CreateFormInput) => api.post<WebForm>('/forms', input),
    onSuccess: (form) => refresh(form),
  });
}

export function useUpdateWebForm() {
  const refresh = useRefreshForms();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: PatchFormInput & { id: string }) => api.patch<WebForm>(`/forms/${enc(id)}`, patch),
    onSuccess: (form) => refresh(form),
    onError: (_error, vars) => void queryClient.invalidateQueries({ queryKey: webFormKey(vars.id) }),
  });
}

export function useRotateFormToken() {
  const refresh = useRefreshForms();
  return useMutation({
    mutationFn: (id: string) => api.post<WebForm>(`/forms/${enc(id)}/rotate-token`),
    onSuccess: (form) => refresh(form),
  });
}
