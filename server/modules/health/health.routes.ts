import { z } from 'zod';
import { sql } from 'kysely';
import type { App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

export function healthRoutes(app: App, ctx: Ctx) {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: {
        tags: ['Служебное'],
        summary: 'Состояние сервера',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() }) },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(ctx.db);
      } catch {
        throw new AppError('unavailable');
      }
      return { status: 'ok' as const, database: ctx.database.dialect, version: ctx.config.version };
    },
  );
}
