/** The clients list as a file (GET /api/clients?…&format=xlsx|csv): one column definition, names instead of ids. */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import type { Client, ClientListQuery } from '../../../common/api/clients.js';

type Row = Client & { ownerName: string | null };

const columns: ListColumn<Row>[] = [
  { header: 'Название', type: 'text', value: (r) => r.name, width: 34 },
  { header: 'Тип', type: 'text', value: (r) => (r.kind === 'company' ? 'Компания' : 'Физлицо'), width: 11 },
  { header: 'Полное наименование', type: 'text', value: (r) => r.legalName, width: 34 },
  { header: 'ИНН', type: 'text', value: (r) => r.inn, width: 14 },
  { header: 'КПП', type: 'text', value: (r) => r.kpp, width: 11 },
  { header: 'ОГРН', type: 'text', value: (r) => r.ogrn, width: 16 },
  { header: 'Телефон', type: 'text', value: (r) => r.phones.join(', '), width: 18 },
  { header: 'E-mail', type: 'text', value: (r) => r.emails.join(', '), width: 24 },
  { header: 'Регион', type: 'text', value: (r) => r.region, width: 18 },
  { header: 'Адрес', type: 'text', value: (r) => r.address, width: 30 },
  { header: 'Источник', type: 'text', value: (r) => r.source, width: 14 },
  { header: 'Теги', type: 'text', value: (r) => r.tags.join(', '), width: 16 },
  { header: 'Ответственный', type: 'text', value: (r) => r.ownerName, width: 22 },
  { header: 'Статус', type: 'text', value: (r) => (r.status === 'active' ? 'Активный' : 'Отказ'), width: 10 },
  { header: 'Дата создания', type: 'date', value: (r) => r.createdAt, width: 13 },
];

export function clientsExport(
  ctx: Ctx,
  actor: Actor,
  q: Omit<ClientListQuery, 'format'>,
  format: 'xlsx' | 'csv',
): ListExportSpec<Client, Row> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'client',
    filters,
    title: 'Клиенты',
    asciiName: 'clients',
    columns,
    page: (cursor, limit) => ctx.services.clients.list(actor, { ...filters, cursor, limit }),
    prepare: async (items) => {
      const names = await ctx.services.users.names(items.map((c) => c.ownerId));
      return items.map((c) => ({ ...c, ownerName: c.ownerId ? (names.get(c.ownerId) ?? null) : null }));
    },
  };
}
