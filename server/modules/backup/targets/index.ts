import type { BackupConfig } from '../../../config.js';
import { s3TargetFromUrl } from './s3.js';
import { sftpTargetFromUrl } from './sftp.js';
import type { BackupTarget } from './target.js';
import { webdavTargetFromUrl } from './webdav.js';

/**
 * The off-server targets the configuration names (`VORONKA_BACKUP_S3_URL`, `…_WEBDAV_URL`, `…_SFTP_URL`), in that
 * order. An invalid URL throws here, at startup, with the variable's name and what is wrong (never the URL itself).
 */
export function createTargets(config: BackupConfig): BackupTarget[] {
  const targets: BackupTarget[] = [];
  if (config.s3Url) targets.push(s3TargetFromUrl(config.s3Url));
  if (config.webdavUrl) targets.push(webdavTargetFromUrl(config.webdavUrl));
  if (config.sftpUrl) targets.push(sftpTargetFromUrl(config.sftpUrl));
  return targets;
}
