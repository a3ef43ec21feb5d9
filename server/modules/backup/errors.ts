/**
 * Why a backup file cannot be restored (or a backup cannot be made), each with its own Russian message for the
 * operator at the command line. Restore checks everything before it changes anything: these are thrown before.
 */
export const backupFileErrors = {
  not_backup: 'Это не резервная копия Воронки (нет заголовка копии или описи manifest.json)',
  passphrase_required: 'Копия зашифрована: задайте парольную фразу в VORONKA_BACKUP_PASSPHRASE',
  wrong_passphrase: 'Неверная парольная фраза: копию не расшифровать (VORONKA_BACKUP_PASSPHRASE не та, с которой копия создана)',
  truncated: 'Файл копии обрезан (неполный): скачайте или скопируйте его заново',
  damaged: 'Файл копии повреждён или изменён: не совпадает контрольная сумма',
  checksum: 'Файл внутри копии не совпадает с описью (sha256): копия повреждена или изменена',
  newer_schema: 'Копия сделана более новой версией Воронки, чем эта',
  unsupported_format: 'Формат копии новее, чем понимает эта версия Воронки: обновите Воронку',
  integrity: 'Восстановленная база не прошла проверку целостности (PRAGMA integrity_check)',
  server_running: 'С этой базой работает запущенный сервер Воронки: остановите его и повторите',
  cancelled: 'Восстановление отменено: замена базы требует подтверждения на терминале или флага --force',
  tool_missing: 'Не найдена нужная программа PostgreSQL',
  tool_version: 'Версия программ PostgreSQL не подходит к серверу',
  into_url: 'Неверный адрес для --into: ожидается postgres://… или sqlite://…',
} as const;

export type BackupFileErrorCode = keyof typeof backupFileErrors;

export class BackupFileError extends Error {
  constructor(
    readonly code: BackupFileErrorCode,
    detail?: string,
  ) {
    super(detail ? `${backupFileErrors[code]}: ${detail}` : backupFileErrors[code]);
    this.name = 'BackupFileError';
  }
}
