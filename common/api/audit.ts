/**
 * HTTP contract of the audit log (`GET /api/audit`, admin and owner): who did what, when and from which address.
 * Every entry the server writes has a stored action name (`client.delete`, `auth.login_failed`, …) listed in
 * `auditActions` with its kind; the API filters and answers by kind, and the UI names the kind in Russian.
 */
import { z } from 'zod';
import { dateRangeQuery, idSchema } from './shared.js';

export const auditKinds = [
  'login',
  'login_failed',
  'logout',
  'export',
  'delete',
  'merge',
  'reassign',
  'role_change',
  'settings_change',
  'token_create',
  'token_revoke',
  'import',
  'import_undo',
  'backup',
  'restore',
  'other',
] as const;
export type AuditKind = (typeof auditKinds)[number];

/** Every stored action name → its kind. The audit writer accepts only these names. */
export const auditActions = {
  'auth.login': 'login',
  'auth.login_failed': 'login_failed',
  'auth.logout': 'logout',
  export: 'export',
  delete: 'delete',
  'client.delete': 'delete',
  'contact.delete': 'delete',
  'payment.delete': 'delete',
  'plan.delete': 'delete',
  'automation_rule.delete': 'delete',
  'client.merge': 'merge',
  'client.reassign_all': 'reassign',
  'user.create': 'role_change',
  'user.update': 'role_change',
  'department.create': 'role_change',
  'department.update': 'role_change',
  'settings.company.update': 'settings_change',
  'automation_rule.create': 'settings_change',
  'automation_rule.update': 'settings_change',
  'pipeline.create': 'settings_change',
  'pipeline.update': 'settings_change',
  'stage.create': 'settings_change',
  'stage.update': 'settings_change',
  'api_token.create': 'token_create',
  'api_token.revoke': 'token_revoke',
  'import.start': 'import',
  'import.undo': 'import_undo',
  'backup.create': 'backup',
  'backup.download': 'backup',
  'backup.restore': 'restore',
} as const satisfies Record<string, AuditKind>;
export type AuditAction = keyof typeof auditActions;

/** The kind of a stored action name (`other` for a name this version does not know). */
export function kindOfAction(action: string): AuditKind {
  return (auditActions as Record<string, AuditKind>)[action] ?? 'other';
}

/** The stored action names of one kind (what `?action=` matches). */
export function actionsOfKind(kind: AuditKind): AuditAction[] {
  return (Object.keys(auditActions) as AuditAction[]).filter((a) => auditActions[a] === kind);
}

export const auditKindLabelsRu: Record<AuditKind, string> = {
  login: 'Вход',
  login_failed: 'Неудачный вход',
  logout: 'Выход',
  export: 'Экспорт',
  delete: 'Удаление',
  merge: 'Объединение',
  reassign: 'Передача клиентов',
  role_change: 'Изменение роли',
  settings_change: 'Изменение настроек',
  token_create: 'Выпуск API-токена',
  token_revoke: 'Отзыв API-токена',
  import: 'Импорт',
  import_undo: 'Отмена импорта',
  backup: 'Резервная копия',
  restore: 'Восстановление из копии',
  other: 'Другое',
};

export const auditKindLabelsEn: Record<AuditKind, string> = {
  login: 'Sign-in',
  login_failed: 'Failed sign-in',
  logout: 'Sign-out',
  export: 'Export',
  delete: 'Deletion',
  merge: 'Merge',
  reassign: 'Clients handed over',
  role_change: 'Role change',
  settings_change: 'Settings change',
  token_create: 'API token issued',
  token_revoke: 'API token revoked',
  import: 'Import',
  import_undo: 'Import undone',
  backup: 'Backup',
  restore: 'Restore from backup',
  other: 'Other',
};

/** `from`/`to`: local days of the company zone, both included (the shared bounded date range). */
export const auditQuery = dateRangeQuery.extend({
  action: z.enum(auditKinds, { error: () => `Действие: одно из ${auditKinds.join(', ')}` }).optional(),
  userId: idSchema.optional(),
  entity: z.string().trim().min(1).max(64, 'Не более 64 символов').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntrySchema = z.object({
  id: idSchema,
  /** ISO instant. */
  at: z.string(),
  action: z.enum(auditKinds),
  /** The stored action name, e.g. `client.delete`. */
  event: z.string(),
  userId: idSchema.nullable(),
  userName: z.string().nullable(),
  entity: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPage = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof auditPage>;
