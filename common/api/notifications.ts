import { z } from 'zod';
import { idSchema } from './shared.js';

/** An in-app notification (the bell). `link` is a path inside the web app, e.g. `/tasks?open=<id>`. */
export const notificationSchema = z.object({
  id: idSchema,
  kind: z.string(),
  title: z.string(),
  text: z.string().nullable(),
  link: z.string().nullable(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsQuery = z.object({
  unread: z.enum(['true', 'false'], { error: () => 'unread: true или false' }).optional(),
});

export const notificationListResponse = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int(),
});

export const readAllResponse = z.object({ updated: z.number().int(), unreadCount: z.number().int() });

/** Data of the live event `{type:'notification', userIds:[userId], data}` sent after the row is committed. */
export const notificationEventSchema = z.object({
  id: idSchema,
  kind: z.string(),
  title: z.string(),
  text: z.string().nullable(),
  link: z.string().nullable(),
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/** Kinds written by the modules (free text in the database; listed here for the UI). */
export const notificationKindLabelsRu: Record<string, string> = {
  task_assigned: 'Новая задача',
  task_reminder: 'Напоминание о задаче',
};
