import { z } from 'zod';
import { userSchema, emailSchema } from './users.js';
import { requiredText } from './shared.js';
import { permissionsSchema } from './permissions.js';

export const loginBody = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Введите e-mail')
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().min(1, 'Введите пароль').max(200),
});

/** Login, me and setup: the user, the CSRF token for mutations, and what the user may do (computed by the server). */
export const sessionResponse = z.object({ user: userSchema, csrfToken: z.string(), permissions: permissionsSchema });

export const setupBody = z.object({
  email: emailSchema,
  name: requiredText(200),
  password: z.string().max(200),
});

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const createApiTokenBody = z.object({ name: requiredText(100) });
