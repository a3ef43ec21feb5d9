import type { ModuleDef } from '../../platform/http.js';
import { IMPORT_BATCH_JOB, ImportsService } from './imports.service.js';
import { importsRoutes } from './imports.routes.js';
import { importCommand } from './imports.cli.js';

/** Imports of clients, deals and products from XLSX/CSV: preview, mapping, dedupe, batches as jobs, report, undo. */
export const importsModule: ModuleDef = {
  name: 'imports',
  services: (ctx) => (ctx.services.imports = new ImportsService(ctx)),
  routes: importsRoutes,
  jobs: (ctx) =>
    ctx.jobs.register(IMPORT_BATCH_JOB, (payload, { trx }) => ctx.services.imports.runBatch(trx, payload.importId), {
      onGiveUp: (payload, { trx, error }) => ctx.services.imports.batchGaveUp(trx, payload.importId, error),
    }),
  init: (ctx) => ctx.services.imports.cleanTemp(),
  commands: importCommand,
};
