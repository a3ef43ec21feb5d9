import type { BackupConfig } from '../../../config.js';
import type { BackupTarget } from './target.js';

/** The off-server targets the configuration names (`VORONKA_BACKUP_S3_URL`, `…_WEBDAV_URL`, `…_SFTP_URL`). */
export function createTargets(config: BackupConfig): BackupTarget[] {
  const named = [
    config.s3Url && 'VORONKA_BACKUP_S3_URL',
    config.webdavUrl && 'VORONKA_BACKUP_WEBDAV_URL',
    config.sftpUrl && 'VORONKA_BACKUP_SFTP_URL',
  ];
  const first = named.find(Boolean);
  // The protocols land one by one; until then a configured target is refused loudly, never silently skipped.
  if (first) throw new Error(`${first}: копирование резервных копий по этому адресу пока не поддерживается`);
  return [];
}
