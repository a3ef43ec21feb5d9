/**
 * One table maps every error code to its HTTP status and its messages (DESIGN §4), module codes included.
 * Its keys are the type `ErrorCode`: `new AppError(code)` takes only a code of the table, so a typo does not compile,
 * and every entry must have a Russian and an English message. A module with a code of its own adds it here.
 * Services throw AppError(code); the error handler in http.ts renders it in the request's language.
 */
export type Lang = 'ru' | 'en';

/** Both languages are required; errors.test.ts checks that neither is empty and that `ru` is Russian. */
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

  // ── module codes ──
  duplicate_client: { status: 409, ru: 'Такой клиент уже есть', en: 'This client already exists' },
  sku_taken: { status: 409, ru: 'Товар с таким артикулом уже есть', en: 'A product with this SKU already exists' },
  lead_contact_required: { status: 400, ru: 'Укажите имя, телефон или e-mail', en: 'A name, phone or e-mail is required' },
  backup_running: {
    status: 409,
    ru: 'Резервная копия уже создаётся: дождитесь её окончания',
    en: 'A backup is already running: wait until it finishes',
  },
  backup_gone: {
    status: 410,
    ru: 'Файла этой резервной копии больше нет на сервере (удалён по сроку хранения или копия не удалась)',
    en: 'The file of this backup is no longer on the server (removed by retention, or the backup failed)',
  },
  form_not_found: { status: 404, ru: 'Форма не найдена или отключена', en: 'Form not found or disabled' },
  origin_not_allowed: { status: 403, ru: 'Отправка формы с этого сайта не разрешена', en: 'Submissions from this origin are not allowed' },
  overpayment: {
    status: 422,
    ru: 'Сумма оплаты больше остатка по счёту',
    en: 'The payment exceeds the amount outstanding on the invoice',
  },
  smtp_not_configured: {
    status: 422,
    ru: 'Отправка почты не настроена: задайте переменную окружения VORONKA_SMTP_URL (например, smtps://логин:пароль@smtp.example.ru:465?from=sales@example.ru) и перезапустите сервер',
    en: 'Outgoing mail is not configured: set the VORONKA_SMTP_URL environment variable (e.g. smtps://user:password@smtp.example.com:465?from=sales@example.com) and restart the server',
  },
  mail_failed: { status: 502, ru: 'Почтовый сервер не принял письмо', en: 'The mail server did not accept the message' },
} as const satisfies Record<string, ErrorSpec>;

/** Every error code: the keys of the table. */
export type ErrorCode = keyof typeof errorTable;

/** A message of its own replaces the table's, in both languages: one without the other does not compile. */
export type AppErrorOptions = { fields?: Record<string, string>; details?: Record<string, unknown> } & (
  { message?: undefined; messageEn?: undefined } | { message: string; messageEn: string }
);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  /** Overrides the table's message (already in Russian; used for rule messages that name specifics). */
  readonly customMessage?: { ru: string; en: string };

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    super(opts.message ?? String(code));
    this.code = code;
    this.fields = opts.fields;
    this.details = opts.details;
    if (opts.message !== undefined) this.customMessage = { ru: opts.message, en: opts.messageEn };
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export function statusOf(code: ErrorCode): number {
  return errorTable[code].status;
}

export function messageOf(code: ErrorCode, lang: Lang): string {
  return errorTable[code][lang];
}

/** Shorthands used by services. */
export const notFound = () => new AppError('not_found');
export const forbidden = () => new AppError('forbidden');
export const versionConflict = () => new AppError('version_conflict');
export const ruleViolation = (message: string, fields: Record<string, string> | undefined, messageEn: string) =>
  new AppError('business_rule', { message, fields, messageEn });
export const fieldError = (field: string, message: string) => new AppError('validation_failed', { fields: { [field]: message } });

/** Picks the response language: English only when the client prefers it. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ru';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ru';
}
