/**
 * The roles (DESIGN §6), without zod: the web shell imports them, and zod in its always-loaded chunk probes
 * `new Function` (a violation under the CSP that forbids eval).
 */
export const roleValues = ['admin', 'owner', 'head', 'manager', 'accountant', 'production'] as const;
export type RoleName = (typeof roleValues)[number];
