import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { companySettingsSchema, putCompanySettingsBody } from '../../../common/api/settings.js';

/** Two images of 500 KB as base64 plus the requisites fit in 2 MB. */
const SETTINGS_BODY_LIMIT = 2 * 1024 * 1024;

export function settingsRoutes(app: App, ctx: Ctx) {
  const settings = ctx.services.settings;
  const tags = ['Настройки'];

  app.get(
    '/settings/company',
    { schema: { tags, summary: 'Реквизиты и настройки компании (для счетов)', response: { 200: companySettingsSchema } } },
    async (req) => settings.getCompany(actorOf(req)),
  );

  app.put(
    '/settings/company',
    {
      bodyLimit: SETTINGS_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Изменить реквизиты компании (администратор); version устаревшая → 409',
        body: putCompanySettingsBody,
        response: { 200: companySettingsSchema },
      },
    },
    async (req) => settings.putCompany(actorOf(req), req.body),
  );
}
