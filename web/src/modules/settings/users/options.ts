import type { TFunction } from 'i18next';
import { ROLES, type Department, type User } from '../../../api/types';
import { roleLabelKey } from '../../../auth/roles';

export interface Option {
  value: string;
  label: string;
}

export function roleOptions(t: TFunction): Option[] {
  return ROLES.map((role) => ({ value: role, label: t(roleLabelKey(role)) }));
}

export function departmentOptions(departments: readonly Department[] | undefined): Option[] {
  return (departments ?? []).map((department) => ({ value: department.id, label: department.name }));
}

/** Heads of sales for the «Руководитель» select (plus the current head, whatever his role now). */
export function headOptions(users: readonly User[] | undefined, currentHeadId?: string | null): Option[] {
  return (users ?? [])
    .filter((user) => (user.role === 'head' && user.active) || user.id === currentHeadId)
    .map((user) => ({ value: user.id, label: user.name }));
}
