/**
 * Shapes of the HTTP contract used by the shell (DESIGN §4).
 * TODO: switch to the zod-inferred types of common/ once they exist.
 */

export const ROLES = ['admin', 'owner', 'head', 'manager', 'accountant', 'production'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
  version?: number;
}

export interface AuthResponse {
  user: User;
  csrfToken: string;
}

export interface SetupStatus {
  needed: boolean;
}

export interface Department {
  id: string;
  name: string;
  headId: string | null;
  version?: number;
  /** Optional server-side count; the UI falls back to counting users. */
  userCount?: number;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiToken {
  id: string;
  token: string;
}
