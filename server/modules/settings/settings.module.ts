import type { ModuleDef } from '../../platform/http.js';
import { SettingsService } from './settings.service.js';
import { settingsRoutes } from './settings.routes.js';

/** Company requisites and settings. */
export const settingsModule: ModuleDef = {
  name: 'settings',
  services: (ctx) => (ctx.services.settings = new SettingsService(ctx)),
  routes: settingsRoutes,
};
