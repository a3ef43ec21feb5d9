import { formatPhoneRu } from '../../../../common/phone';
import { formatDateRu, formatDateTimeRu } from '../../../../common/dates';

const DASH = '—';

/** «+7 912 345-67-89» from the stored E.164. */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return DASH;
  return formatPhoneRu(e164);
}

/** «26.11.2026 14:05» in the company time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  try {
    return formatDateTimeRu(value);
  } catch {
    return DASH;
  }
}

/** «26.11.2026». */
export function formatDate(value: string | null | undefined): string {
  if (!value) return DASH;
  try {
    return formatDateRu(value);
  } catch {
    return DASH;
  }
}

/** Keeps digits only (ИНН, КПП, БИК, accounts may be pasted with spaces). */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}
