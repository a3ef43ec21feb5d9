/** The leads list as a file (GET /api/leads?…&format=xlsx|csv). */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import { leadChannelLabelsRu, leadStatusLabelsRu, type Lead, type LeadListQuery } from '../../../common/api/leads.js';

const columns: ListColumn<Lead>[] = [
  { header: 'Дата', type: 'datetime', value: (r) => r.createdAt, width: 17 },
  { header: 'Статус', type: 'text', value: (r) => leadStatusLabelsRu[r.status], width: 14 },
  { header: 'Канал', type: 'text', value: (r) => leadChannelLabelsRu[r.channel], width: 12 },
  { header: 'Имя', type: 'text', value: (r) => r.name, width: 24 },
  { header: 'Телефон', type: 'text', value: (r) => r.phone ?? r.phoneRaw, width: 18 },
  { header: 'E-mail', type: 'text', value: (r) => r.email, width: 24 },
  { header: 'Компания', type: 'text', value: (r) => r.company, width: 24 },
  { header: 'ИНН', type: 'text', value: (r) => r.inn, width: 14 },
  { header: 'Регион', type: 'text', value: (r) => r.region, width: 16 },
  { header: 'Комментарий', type: 'text', value: (r) => r.comment, width: 30 },
  { header: 'Форма', type: 'text', value: (r) => r.formName, width: 18 },
  { header: 'Источник', type: 'text', value: (r) => r.source, width: 14 },
  { header: 'utm_source', type: 'text', value: (r) => r.utm.source, width: 14 },
  { header: 'utm_campaign', type: 'text', value: (r) => r.utm.campaign, width: 14 },
  { header: 'Ответственный', type: 'text', value: (r) => r.assigneeName, width: 22 },
  { header: 'Просрочен', type: 'boolean', value: (r) => r.overdue, width: 11 },
  { header: 'Первый ответ, мин', type: 'number', value: (r) => r.firstResponseMinutes, width: 12 },
  { header: 'Причина (спам)', type: 'text', value: (r) => r.junkReason, width: 18 },
];

export function leadsExport(ctx: Ctx, actor: Actor, q: Omit<LeadListQuery, 'format'>, format: 'xlsx' | 'csv'): ListExportSpec<Lead> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'lead',
    filters,
    title: 'Лиды',
    asciiName: 'leads',
    columns,
    page: (cursor, limit) => ctx.services.leads.list(actor, { ...filters, cursor, limit }),
  };
}
