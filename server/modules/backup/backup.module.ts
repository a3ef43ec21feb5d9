import type { ModuleDef } from '../../platform/http.js';
import { BackupService, RUN_JOB, SCHEDULE_JOB, UPLOAD_JOB } from './backup.service.js';
import { backupRoutes } from './backup.routes.js';
import { registerBackupCommands } from './backup.cli.js';

/**
 * Backups and restore: `/api/backups`, the schedule (`VORONKA_BACKUP_SCHEDULE`, one run per tick across instances),
 * off-server copies by retried jobs, and the `voronka backup` / `voronka restore` commands.
 */
export const backupModule: ModuleDef = {
  name: 'backup',
  services: (ctx) => (ctx.services.backup = new BackupService(ctx)),
  jobs: (ctx) => {
    const backup = ctx.services.backup;
    // Long work outside any transaction (a backup or an upload takes minutes; SQLite has one connection).
    ctx.jobs.registerLong(RUN_JOB, (payload) => backup.run(payload.id));
    ctx.jobs.registerLong(UPLOAD_JOB, (payload, { job }) => backup.upload(payload, job.attempts));
    ctx.jobs.registerLong(SCHEDULE_JOB, () => backup.scheduled());
    const schedule = ctx.config.backup.schedule.trim();
    if (schedule.toLowerCase() === 'off') return;
    try {
      ctx.jobs.schedule(SCHEDULE_JOB, schedule, SCHEDULE_JOB);
    } catch (err) {
      throw new Error(
        `VORONKA_BACKUP_SCHEDULE: «${schedule}» — не выражение cron (${(err as Error).message}); «off» отключает расписание`,
        {
          cause: err,
        },
      );
    }
  },
  // The off-server targets are built at startup: a URL that does not parse stops the server with the variable's name.
  init: async (ctx) => void ctx.services.backup.offsite(),
  routes: backupRoutes,
  commands: registerBackupCommands,
};
