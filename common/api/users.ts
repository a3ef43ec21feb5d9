import { z } from 'zod';
import { idSchema, requiredText, versionSchema } from './shared.js';
import { roleValues, type RoleName } from '../roles.js';

export { roleValues, type RoleName };
export const roleSchema = z.enum(roleValues, { error: () => `Роль: одно из ${roleValues.join(', ')}` });

export const roleLabelsRu: Record<RoleName, string> = {
  admin: 'Администратор',
  owner: 'Собственник',
  head: 'Руководитель отдела продаж',
  manager: 'Менеджер по продажам',
  accountant: 'Бухгалтер',
  production: 'Производство',
};

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .email('Некорректный e-mail')
  .transform((s) => s.toLowerCase());

export const userSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  departmentId: idSchema.nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const createUserBody = z.object({
  email: emailSchema,
  name: requiredText(200),
  role: roleSchema,
  password: z.string().max(200),
  departmentId: idSchema.nullable().optional(),
});

export const patchUserBody = z.object({
  name: requiredText(200).optional(),
  role: roleSchema.optional(),
  departmentId: idSchema.nullable().optional(),
  active: z.boolean().optional(),
  password: z.string().max(200).optional(),
  version: versionSchema.optional(),
});

export const departmentSchema = z.object({
  id: idSchema,
  name: z.string(),
  headId: idSchema.nullable(),
  memberCount: z.number().int(),
  version: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export const createDepartmentBody = z.object({
  name: requiredText(200),
  headId: idSchema.nullable().optional(),
});

export const patchDepartmentBody = z.object({
  name: requiredText(200).optional(),
  headId: idSchema.nullable().optional(),
  version: versionSchema.optional(),
});
