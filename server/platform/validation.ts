/**
 * Zod issues → `fields` with Russian messages (English on request). Zod's own locales supply the
 * default texts; a message a schema set itself (already Russian) is kept as written.
 */
import { z } from 'zod';
import type { Lang } from './errors.js';

z.config(z.locales.ru());
const ruLocale = z.locales.ru().localeError;
const enLocale = z.locales.en().localeError;

interface ValidationItem {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function fieldsFromValidation(items: ValidationItem[], lang: Lang): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const item of items) {
    const path = (item.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.') || '_';
    if (fields[path]) continue;
    fields[path] = localise(item, lang);
  }
  return fields;
}

function localise(item: ValidationItem, lang: Lang): string {
  const message = item.message ?? '';
  if (lang === 'ru') return message;
  // Re-render in English only when the message is zod's default Russian text.
  const issue = { code: item.keyword, ...(item.params ?? {}), path: [] } as any;
  try {
    const ru = messageText(ruLocale(issue));
    if (ru && ru === message) return messageText(enLocale(issue)) || message;
  } catch {
    /* fall back to the original text */
  }
  return message;
}

function messageText(m: unknown): string {
  if (typeof m === 'string') return m;
  if (m && typeof m === 'object' && 'message' in m) return String((m as { message: unknown }).message);
  return '';
}
