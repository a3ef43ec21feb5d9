import type { ModuleDef } from '../../platform/http.js';
import { AuthService } from './auth.service.js';
import { authRoutes, requestAuthenticator } from './auth.routes.js';

/** Login, sessions, CSRF, API tokens; provides the request hook's authenticator. */
export const authModule: ModuleDef = {
  name: 'auth',
  services: (ctx) => (ctx.services.auth = new AuthService(ctx)),
  routes: authRoutes,
  authenticator: (ctx) => requestAuthenticator(ctx.services.auth),
  jobs: (ctx) => {
    ctx.jobs.register('auth.purge_sessions', (_, { trx }) => ctx.services.auth.purgeExpiredSessions(trx));
    ctx.jobs.schedule('auth.purge_sessions', '17 3 * * *', 'auth.purge_sessions');
  },
  // The first admin from VORONKA_ADMIN_EMAIL/PASSWORD when there is no user yet.
  init: async (ctx) => {
    await ctx.services.auth.ensureAdminFromEnv();
  },
};
