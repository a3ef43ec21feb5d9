import type { ModuleDef } from '../../platform/http.js';
import { registerExportCommand } from './exports.command.js';

/**
 * Data export: `voronka export` (the whole database as JSON Lines or XLSX, exports.service.ts). The list exports
 * (`GET /api/<list>?format=xlsx|csv`) live with each list's module over platform/list-export.ts; their tests are here.
 */
export const exportsModule: ModuleDef = {
  name: 'exports',
  commands: registerExportCommand,
};
