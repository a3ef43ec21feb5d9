/**
 * The caller's effective permissions, as the server computes them (server/platform/permissions.ts) and sends with
 * the session (`POST /auth/login`, `GET /auth/me`, `POST /setup`). The web UI shows or hides actions from these and
 * never from role lists of its own.
 */
import { z } from 'zod';
import { roleSchema } from './users.js';

export const resourceValues = [
  'client',
  'deal',
  'task',
  'lead',
  'invoice',
  'product',
  'production_order',
  'review',
  'report',
  'user',
  'department',
  'settings',
  'pipeline',
  'automation',
  'form',
  'audit',
  'backup',
] as const;
export type Resource = (typeof resourceValues)[number];

/** all: every record; department: records owned in the user's department; own: owned/assigned; none. */
export const scopeValues = ['all', 'department', 'own', 'none'] as const;
export type Scope = (typeof scopeValues)[number];
export type Action = 'read' | 'write';

/** Rights that are not a scope on records: who may do one particular thing. */
export const abilityValues = [
  /** Reassign, merge and delete clients; create one despite a duplicate. */
  'client.manage',
  /** Return a won or lost deal to work. */
  'deal.reopen',
  /** Cancel and reissue invoices. */
  'invoice.cancel',
  /** Delete a recorded payment. */
  'payment.delete',
  /** Move a production order one step back. */
  'production_order.step_back',
  /** Import clients, deals and products from XLSX/CSV, and undo an import. */
  'data.import',
] as const;
export type Ability = (typeof abilityValues)[number];

const scopeSchema = z.enum(scopeValues);

export const permissionsSchema = z.object({
  /** Per resource: which records the caller reads and changes. */
  scopes: z.record(z.enum(resourceValues), z.object({ read: scopeSchema, write: scopeSchema })),
  /** The abilities the caller has. */
  abilities: z.array(z.enum(abilityValues)),
  /** Roles whose users may own clients and deals (the choices of an owner picker). */
  ownerRoles: z.array(roleSchema),
});
export type Permissions = z.infer<typeof permissionsSchema>;
