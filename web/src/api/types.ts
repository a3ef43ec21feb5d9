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
  createdAt?: string;
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
  /** Optional, for viewers who cannot list users. */
  headName?: string | null;
  version?: number;
  /** Number of users in the department (the UI falls back to counting users when absent). */
  memberCount?: number;
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
