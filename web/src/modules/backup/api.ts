import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, downloadFile } from '../../api/client';
import type { BackupList } from '../../../../common/api/backups';

export const BACKUPS_KEY = ['backups'] as const;

/** The backups with their off-server copies and the protection summary, newest first. */
export function useBackups() {
  return useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: ({ signal }) => api.get<BackupList>('/backups', { limit: 50 }, signal),
  });
}

/** «Создать сейчас»: 202 with the new backup's id; progress comes as `backup.progress` live events. */
export function useCreateBackup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ id: string }>('/backups'),
    onSuccess: () => void qc.invalidateQueries({ queryKey: BACKUPS_KEY }),
  });
}

export function downloadBackup(id: string, fileName: string) {
  return downloadFile(`/backups/${id}/download`, undefined, fileName);
}
