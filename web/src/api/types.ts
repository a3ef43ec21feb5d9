/**
 * Shapes of the HTTP contract used by the shell (DESIGN §4): the zod-inferred types of common/, never copies.
 */
import type { z } from 'zod';
import type { apiTokenSchema, sessionResponse } from '../../../common/api/auth';
import { roleValues } from '../../../common/roles';

export type { Department, User, RoleName as Role } from '../../../common/api/users';

export const ROLES = roleValues;

/** Login, me and setup. */
export type AuthResponse = z.infer<typeof sessionResponse>;

/** `GET /setup`. */
export interface SetupStatus {
  needed: boolean;
}

export type ApiToken = z.infer<typeof apiTokenSchema>;

/** `POST /api-tokens` (the token is shown only here). */
export interface CreatedApiToken {
  id: string;
  token: string;
}
