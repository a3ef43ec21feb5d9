import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, downloadFile, request, type Page } from '../../api/client';
import { useLiveEvent } from '../../api/events';
import type { DedupeMode, Import, ImportEntity, ImportPreview, ImportSummary } from '../../../../common/api/imports';

export const IMPORTS_KEY = ['imports'] as const;

function form(file: File, fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  data.append('file', file, file.name);
  return data;
}

export function previewImport(file: File, entity: ImportEntity) {
  return request<ImportPreview>('POST', '/imports/preview', { body: form(file, { entity }) });
}

export function startImport(file: File, entity: ImportEntity, mapping: Record<string, number>, dedupe: DedupeMode) {
  return request<{ id: string }>('POST', '/imports', { body: form(file, { entity, dedupe, mapping: JSON.stringify(mapping) }) });
}

export const undoImport = (id: string) => api.post<Import>(`/imports/${id}/undo`);
export const downloadReport = (id: string) => downloadFile(`/imports/${id}/report`, undefined, `import-${id}.xlsx`);

/** One import; refetched on its `import.progress` live events (and every 2 s while it runs, should the stream drop). */
export function useImport(id: string | null) {
  const qc = useQueryClient();
  useLiveEvent(
    'import.progress',
    (e) => {
      if (e.id === id) void qc.invalidateQueries({ queryKey: [...IMPORTS_KEY] });
    },
    id !== null,
  );
  return useQuery({
    queryKey: [...IMPORTS_KEY, 'one', id],
    queryFn: ({ signal }) => api.get<Import>(`/imports/${id}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'running') ? 2000 : false),
  });
}

/** My imports (the admin: everyone's), newest first. */
export function useImportHistory() {
  return useQuery({
    queryKey: [...IMPORTS_KEY, 'list'],
    queryFn: ({ signal }) => api.get<Page<ImportSummary>>('/imports', { limit: 20 }, signal),
  });
}
