/**
 * Recognises a lead in whatever a site posts: Tilda, Contact Form 7, Elementor, plain HTML forms, JSON.
 * Pure functions: flatten the payload to `key → text`, clean the text, then find name, phone, e-mail,
 * comment, UTM tags, page URL and referrer under their usual names.
 */
import { normalizePhone } from '../../../common/phone.js';

export type Fields = Record<string, string>;

// C0 controls except \t and \n, DEL, and C1 controls (what mis-decoded windows-1251 leaves behind).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Text safe to store on both databases: well-formed UTF-16, \r\n → \n, control characters (but \n and \t) removed. */
export function cleanText(input: string): string {
  let s = input;
  if (typeof (s as any).toWellFormed === 'function') s = (s as any).toWellFormed();
  return s.replace(/\r\n?/g, '\n').replace(CONTROL_RE, '');
}

const MAX_FIELDS = 500;
const MAX_DEPTH = 8;

/**
 * Flattens a parsed body into `key → text`: nested objects become `a[b][c]` (as PHP/Elementor post them),
 * arrays of plain values are joined with ", ". Keys and values are cleaned.
 */
export function flattenFields(body: unknown): Fields {
  const out: Fields = {};
  let count = 0;
  const put = (key: string, value: string) => {
    if (count >= MAX_FIELDS) return;
    const k = cleanText(key).slice(0, 200);
    if (!k) return;
    if (k in out) out[k] = out[k] ? `${out[k]}, ${value}` : value;
    else {
      out[k] = value;
      count++;
    }
  };
  const walk = (value: unknown, key: string, depth: number) => {
    if (value === null || value === undefined) return put(key, '');
    if (typeof value === 'string') return put(key, cleanText(value));
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return put(key, String(value));
    if (depth >= MAX_DEPTH) return put(key, cleanText(JSON.stringify(value) ?? ''));
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) {
        return put(
          key,
          value
            .map((v) => (v === null || v === undefined ? '' : cleanText(String(v))))
            .filter(Boolean)
            .join(', '),
        );
      }
      value.forEach((v, i) => walk(v, `${key}[${i}]`, depth + 1));
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, key ? `${key}[${k}]` : k, depth + 1);
    }
  };
  if (body && typeof body === 'object' && !Array.isArray(body)) walk(body, '', 0);
  else if (body !== undefined && body !== null) walk(body, 'value', 0);
  return out;
}

/** Lower case, ё→е, CF7's `your-` prefix dropped, separators unified to `_`. */
export function canonicalKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/^your[-_ ]/, '')
    .replace(/[\s\-.:]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const set = (...xs: string[]) => new Set(xs);
const ALIASES = {
  name: set(
    'name',
    'fio',
    'fullname',
    'full_name',
    'имя',
    'фио',
    'ваше_имя',
    'имя_фамилия',
    'contact_name',
    'client_name',
    'customer_name',
    'username',
    'user_name',
    'contact_person',
    'контактное_лицо',
  ),
  firstName: set('first_name', 'firstname', 'fname', 'given_name'),
  lastName: set('last_name', 'lastname', 'lname', 'surname', 'family_name', 'фамилия'),
  phone: set(
    'phone',
    'tel',
    'telephone',
    'phone_number',
    'phonenumber',
    'mobile',
    'mobile_phone',
    'cellphone',
    'телефон',
    'номер_телефона',
    'ваш_телефон',
    'моб_телефон',
    'тел',
  ),
  email: set(
    'email',
    'e_mail',
    'mail',
    'email_address',
    'emailaddress',
    'почта',
    'электронная_почта',
    'e_mail_адрес',
    'ваш_email',
    'ваш_e_mail',
  ),
  comment: set(
    'comment',
    'comments',
    'message',
    'text',
    'msg',
    'question',
    'textarea',
    'body',
    'description',
    'сообщение',
    'комментарий',
    'вопрос',
    'текст',
    'ваше_сообщение',
    'ваш_вопрос',
    'ваш_комментарий',
  ),
  company: set('company', 'company_name', 'organization', 'organisation', 'org', 'компания', 'организация', 'название_компании'),
  inn: set('inn', 'инн'),
  region: set('region', 'city', 'регион', 'город', 'область'),
  pageUrl: set('page_url', 'pageurl', 'page', 'url', 'page_href', 'current_url', 'source_url', 'location', 'landing_page', 'страница'),
  referrer: set('referrer', 'referer', 'document_referrer', 'http_referer', 'http_referrer'),
  formName: set('formname', 'form_name', 'form[name]'),
} as const;
type Role = keyof typeof ALIASES;

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];

export interface Extracted {
  name: string | null;
  phoneRaw: string | null;
  /** E.164 or null when the number is not valid. */
  phone: string | null;
  email: string | null;
  comment: string | null;
  company: string | null;
  inn: string | null;
  region: string | null;
  pageUrl: string | null;
  referrer: string | null;
  formName: string | null;
  utm: Record<UtmKey, string | null>;
  /** Tilda's transaction id (idempotency). */
  tranId: string | null;
  /** Tilda's connection check (`test=test`): answer success, store nothing. */
  isTildaTest: boolean;
  /** Canonical key → value, for assignment rules on any form field. */
  byKey: Fields;
}

const clip = (s: string | null, max: number): string | null => {
  if (s === null) return null;
  const t = s.trim();
  if (!t) return null;
  return t.length > max ? t.slice(0, max) : t;
};

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** A plausible e-mail in lower case, or null. */
export function normalizeEmail(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim().toLowerCase();
  return t.length <= 254 && EMAIL_RE.test(t) ? t : null;
}

/** Reads Tilda's `TILDAUTM` cookie (`utm_source=x|||utm_medium=y`) from its `COOKIES` field. */
function tildaUtm(cookies: string | undefined): Partial<Record<UtmKey, string>> {
  const out: Partial<Record<UtmKey, string>> = {};
  if (!cookies) return out;
  const m = /(?:^|;\s*)TILDAUTM=([^;]*)/.exec(cookies);
  if (!m) return out;
  let value = m[1];
  try {
    value = decodeURIComponent(value);
  } catch {
    /* keep as is */
  }
  for (const part of value.split('|||')) {
    const [k, ...rest] = part.split('=');
    const key = k?.trim().toLowerCase().replace(/^utm_/, '') as UtmKey;
    if ((UTM_KEYS as readonly string[]).includes(key) && rest.length) out[key] = rest.join('=');
  }
  return out;
}

/**
 * Finds the lead's data in flattened fields. Known names win over Elementor's `fields[id][…]` guesses;
 * the first non-empty value per role is taken, in the order the fields came.
 */
export function extractLead(fields: Fields): Extracted {
  const found: Partial<Record<Role, string>> = {};
  const byKey: Fields = {};
  const take = (role: Role, value: string) => {
    if (!value.trim() || found[role] !== undefined) return;
    found[role] = value;
  };
  const roleOf = (canon: string): Role | null => {
    for (const role of Object.keys(ALIASES) as Role[]) if (ALIASES[role].has(canon)) return role;
    return null;
  };
  const utm: Record<UtmKey, string | null> = { source: null, medium: null, campaign: null, term: null, content: null };
  // Elementor advanced webhook: fields[<id>][value|title|type|raw_value]
  const elementor = new Map<string, { value?: string; title?: string; type?: string }>();

  for (const [key, value] of Object.entries(fields)) {
    let m = /^fields\[([^\]]+)\]\[(value|title|type|raw_value)\]$/i.exec(key);
    if (m) {
      const e = elementor.get(m[1]) ?? {};
      const part = m[2].toLowerCase();
      if (part === 'value') e.value = value;
      else if (part === 'raw_value') e.value = e.value ?? value;
      else if (part === 'title') e.title = value;
      else e.type = value.toLowerCase();
      elementor.set(m[1], e);
      continue;
    }
    m = /^meta\[([^\]]+)\]\[value\]$/i.exec(key);
    if (m) {
      const meta = canonicalKey(m[1]);
      if (meta === 'page_url') take('pageUrl', value);
      continue;
    }
    if (/^form\[name\]$/i.test(key)) {
      take('formName', value);
      continue;
    }
    // Elementor front end: form_fields[<id>]; other builders: data[<name>], fields[<name>]
    m = /^(?:form_fields|fields|data|form)\[([^\]]+)\]$/i.exec(key);
    const canon = canonicalKey(m ? m[1] : key);
    if (!(canon in byKey)) byKey[canon] = value;
    const utmMatch = /^utm_(source|medium|campaign|term|content)$/.exec(canon);
    if (utmMatch) {
      const k = utmMatch[1] as UtmKey;
      if (!utm[k] && value.trim()) utm[k] = value.trim();
      continue;
    }
    const role = roleOf(canon);
    if (role) take(role, value);
  }

  for (const [id, e] of elementor) {
    if (e.value === undefined) continue;
    const canonId = canonicalKey(id);
    if (!(canonId in byKey)) byKey[canonId] = e.value;
    if (e.title) {
      const t = canonicalKey(e.title);
      if (!(t in byKey)) byKey[t] = e.value;
    }
    const role =
      roleOf(canonId) ??
      (e.title ? roleOf(canonicalKey(e.title)) : null) ??
      (e.type === 'tel' ? 'phone' : e.type === 'email' ? 'email' : e.type === 'textarea' ? 'comment' : null);
    if (role) take(role, e.value);
    const utmMatch = /^utm_(source|medium|campaign|term|content)$/.exec(canonId);
    if (utmMatch && !utm[utmMatch[1] as UtmKey] && e.value.trim()) utm[utmMatch[1] as UtmKey] = e.value.trim();
  }

  const fromTilda = tildaUtm(fields.COOKIES ?? fields.cookies);
  for (const k of UTM_KEYS) if (!utm[k] && fromTilda[k]) utm[k] = cleanText(fromTilda[k]!).trim() || null;
  for (const k of UTM_KEYS) utm[k] = clip(utm[k], 500);

  let name = found.name ?? null;
  if (!name) name = [found.firstName, found.lastName].filter(Boolean).join(' ').trim() || null;
  const phoneRaw = clip(found.phone ?? null, 100);
  const emailRaw = found.email ?? null;
  const tranId = clip(fields.tranid ?? fields.TRANID ?? null, 200);
  const isTildaTest = fields.test === 'test' && Object.keys(fields).every((k) => k === 'test' || !fields[k].trim());

  return {
    name: clip(name, 300),
    phoneRaw,
    phone: phoneRaw ? normalizePhone(phoneRaw) : null,
    email: normalizeEmail(emailRaw),
    comment: clip(found.comment ?? null, 20000),
    company: clip(found.company ?? null, 300),
    inn: clip((found.inn ?? '').replace(/\D/g, '') || null, 12),
    region: clip(found.region ?? null, 200),
    pageUrl: clip(found.pageUrl ?? null, 2000),
    referrer: clip(found.referrer ?? null, 2000),
    formName: clip(found.formName ?? null, 300),
    utm,
    tranId,
    isTildaTest,
    byKey,
  };
}

/** Normalised text for search: lower case, ё→е, phone digits added. */
export function leadSearchText(l: {
  name?: string | null;
  phone?: string | null;
  phoneRaw?: string | null;
  email?: string | null;
  company?: string | null;
  comment?: string | null;
  inn?: string | null;
}): string {
  const parts = [l.name, l.email, l.company, l.inn, l.phone?.replace(/\D/g, ''), l.phoneRaw?.replace(/\D/g, ''), l.comment?.slice(0, 500)];
  return parts.filter(Boolean).join(' ').toLowerCase().replace(/ё/g, 'е').slice(0, 2000);
}
