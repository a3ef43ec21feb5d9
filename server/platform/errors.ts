/**
 * One table maps every error code to its HTTP status and its messages (DESIGN §4).
 * Services throw AppError(code); the error handler in http.ts renders it in the request's language.
 */
export type Lang = 'ru' | 'en';

interface ErrorSpec {
  status: number;
  ru: string;
  en: string;
}

export const errorTable = {
  validation_failed: { status: 400, ru: 'Проверьте введённые данные', en: 'Please check the data you entered' },
  malformed_json: { status: 400, ru: 'Тело запроса не является корректным JSON', en: 'The request body is not valid JSON' },
  bad_request: { status: 400, ru: 'Некорректный запрос', en: 'Bad request' },
  unauthenticated: { status: 401, ru: 'Требуется вход в систему', en: 'Authentication required' },
  invalid_credentials: { status: 401, ru: 'Неверный e-mail или пароль', en: 'Wrong e-mail or password' },
  csrf_failed: {
    status: 403,
    ru: 'Нет CSRF-токена или он неверный: обновите страницу',
    en: 'Missing or invalid CSRF token: reload the page',
  },
  forbidden: { status: 403, ru: 'Недостаточно прав', en: 'You are not allowed to do this' },
  not_found: { status: 404, ru: 'Не найдено', en: 'Not found' },
  route_not_found: { status: 404, ru: 'Такого адреса API нет', en: 'No such API route' },
  conflict: { status: 409, ru: 'Конфликт данных', en: 'Conflict' },
  version_conflict: {
    status: 409,
    ru: 'Запись уже изменил кто-то другой: обновите страницу и повторите',
    en: 'Someone else has changed this record: reload and try again',
  },
  email_taken: { status: 409, ru: 'Пользователь с таким e-mail уже есть', en: 'A user with this e-mail already exists' },
  setup_done: { status: 409, ru: 'Первоначальная настройка уже выполнена', en: 'Setup has already been completed' },
  payload_too_large: { status: 413, ru: 'Слишком большой запрос', en: 'Request body is too large' },
  unsupported_media_type: { status: 415, ru: 'Неподдерживаемый тип содержимого', en: 'Unsupported content type' },
  business_rule: { status: 422, ru: 'Действие невозможно', en: 'The action is not possible' },
  rate_limited: { status: 429, ru: 'Слишком много попыток, повторите позже', en: 'Too many attempts, try again later' },
  unavailable: { status: 503, ru: 'Сервис временно перегружен, повторите позже', en: 'Service is temporarily overloaded, try again later' },
  internal: { status: 500, ru: 'Внутренняя ошибка сервера', en: 'Internal server error' },
} satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorTable | (string & {});

/** Registers module-specific codes (a module calls this at import time). */
export function defineErrors(specs: Record<string, ErrorSpec>): void {
  Object.assign(errorTable, specs);
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  /** Overrides the table's message (already in Russian; used for rule messages that name specifics). */
  readonly customMessage?: { ru: string; en?: string };

  constructor(
    code: ErrorCode,
    opts: { fields?: Record<string, string>; details?: Record<string, unknown>; message?: string; messageEn?: string } = {},
  ) {
    super(opts.message ?? String(code));
    this.code = code;
    this.fields = opts.fields;
    this.details = opts.details;
    if (opts.message) this.customMessage = { ru: opts.message, en: opts.messageEn };
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export function statusOf(code: ErrorCode): number {
  return (errorTable as Record<string, ErrorSpec>)[code]?.status ?? 500;
}

export function messageOf(code: ErrorCode, lang: Lang): string {
  const spec = (errorTable as Record<string, ErrorSpec>)[code];
  return spec ? spec[lang] : errorTable.internal[lang];
}

/** Shorthands used by services. */
export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const versionConflict = () => new AppError('version_conflict');
export const ruleViolation = (message: string, fields?: Record<string, string>, messageEn?: string) =>
  new AppError('business_rule', { message, fields, messageEn });
export const fieldError = (field: string, message: string) => new AppError('validation_failed', { fields: { [field]: message } });

/** Picks the response language: English only when the client prefers it. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ru';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ru';
}
