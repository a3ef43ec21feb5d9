import type { TFunction } from 'i18next';

/** Minimal length of a password (DESIGN: the server enforces the same rule). */
export const PASSWORD_MIN_LENGTH = 10;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string, t: TFunction): string | null {
  const email = value.trim();
  if (!email) return t('validation.emailRequired');
  return EMAIL_RE.test(email) ? null : t('validation.emailInvalid');
}

export function validateName(value: string, t: TFunction): string | null {
  return value.trim() ? null : t('validation.nameRequired');
}

/** `optional`: an empty value is fine (e.g. «Новый пароль» in the edit form). */
export function validatePassword(value: string, t: TFunction, optional = false): string | null {
  if (!value) return optional ? null : t('validation.passwordRequired');
  return value.length >= PASSWORD_MIN_LENGTH ? null : t('validation.passwordMin');
}
