/** The tasks list as a file (GET /api/tasks?…&format=xlsx|csv): assignee, client and deal by name. */
import type { Ctx } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import type { ListColumn, ListExportSpec } from '../../platform/list-export.js';
import { taskTypeLabelsRu, type Task } from '../../../common/api/tasks.js';
import type { TaskListQuery } from './tasks.service.js';

type Row = Task & { assigneeName: string | null; authorName: string | null; clientName: string | null; dealTitle: string | null };

const columns: ListColumn<Row>[] = [
  { header: 'Задача', type: 'text', value: (r) => r.title, width: 34 },
  { header: 'Тип', type: 'text', value: (r) => taskTypeLabelsRu[r.type], width: 11 },
  { header: 'Срок', type: 'datetime', value: (r) => r.dueAt, width: 17 },
  { header: 'Статус', type: 'text', value: (r) => (r.status === 'done' ? 'Выполнена' : 'Открыта'), width: 11 },
  { header: 'Просрочена', type: 'boolean', value: (r) => r.overdue, width: 11 },
  { header: 'Ответственный', type: 'text', value: (r) => r.assigneeName, width: 22 },
  { header: 'Автор', type: 'text', value: (r) => r.authorName, width: 22 },
  { header: 'Клиент', type: 'text', value: (r) => r.clientName, width: 28 },
  { header: 'Сделка', type: 'text', value: (r) => r.dealTitle, width: 28 },
  { header: 'Описание', type: 'text', value: (r) => r.description, width: 34 },
  { header: 'Результат', type: 'text', value: (r) => r.result, width: 30 },
  { header: 'Дата выполнения', type: 'date', value: (r) => r.doneAt, width: 13 },
  { header: 'Дата создания', type: 'date', value: (r) => r.createdAt, width: 13 },
];

export function tasksExport(ctx: Ctx, actor: Actor, q: TaskListQuery, format: 'xlsx' | 'csv'): ListExportSpec<Task, Row> {
  const { limit: _limit, cursor: _cursor, ...filters } = q;
  return {
    format,
    entity: 'task',
    filters,
    title: 'Задачи',
    asciiName: 'tasks',
    columns,
    page: (cursor, limit) => ctx.services.tasks.list(actor, { ...filters, cursor, limit }),
    prepare: async (items) => {
      const [users, clients, deals] = await Promise.all([
        ctx.services.users.names(items.flatMap((t) => [t.assigneeId, t.authorId])),
        ctx.services.clients.names(items.map((t) => t.clientId)),
        ctx.services.deals.titles(items.map((t) => t.dealId)),
      ]);
      return items.map((t) => ({
        ...t,
        assigneeName: users.get(t.assigneeId) ?? null,
        authorName: t.authorId ? (users.get(t.authorId) ?? null) : null,
        clientName: t.clientId ? (clients.get(t.clientId) ?? null) : null,
        dealTitle: t.dealId ? (deals.get(t.dealId) ?? null) : null,
      }));
    },
  };
}
