import type { ModuleDef } from '../../platform/http.js';
import { eventsRoutes } from './events.routes.js';

/** The live-event stream GET /api/events (SSE); the bus itself is platform/events.ts. */
export const eventsModule: ModuleDef = { name: 'events', routes: eventsRoutes };
