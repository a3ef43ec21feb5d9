import type { ModuleDef } from '../../platform/http.js';
import { healthRoutes } from './health.routes.js';

/** GET /api/health. */
export const healthModule: ModuleDef = { name: 'health', routes: healthRoutes };
