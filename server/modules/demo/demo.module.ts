import type { ModuleDef } from '../../platform/http.js';
import { registerDemoCommand } from './demo.command.js';

/** `voronka demo`: deterministic bulk demo data (a CLI command only: no service, no routes). */
export const demoModule: ModuleDef = { name: 'demo', commands: registerDemoCommand };
