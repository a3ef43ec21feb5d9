import i18n from 'i18next';

/**
 * Fetch wrapper for the Voronka HTTP API (DESIGN §4).
 * - JSON in and out, cookies of the same origin (the session cookie);
 * - `X-CSRF-Token` on every non-GET request (the token of the last login / me / setup response);
 * - `Accept-Language` = the UI language, so server messages come in the same language;
 * - errors become `ApiError` parsed from `{ error: { code, message, fields? } }`.
 */

export const API_BASE = '/api';

export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldErrors;
  /** `error.details` of the answer, when the server adds some (e.g. the existing client of a duplicate). */
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, fields?: FieldErrors, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function getCsrfToken() {
  return csrfToken;
}

/** Called when an authenticated request gets 401 (the session expired or was revoked). */
export function setUnauthorizedHandler(handler: (() => void) | null) {
  onUnauthorized = handler;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | QueryValue[]>;

/** `/api` + path + query string; null/undefined/'' values are skipped, arrays repeat the key. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query ?? {})) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (value === undefined || value === null || value === '') continue;
      params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return `${API_BASE}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Requests whose 401 is an answer, not a lost session. */
const AUTH_PROBES = ['/auth/me', '/auth/login', '/setup'];

function uiLanguage(): string {
  return i18n.resolvedLanguage ?? i18n.language ?? 'ru';
}

function buildHeaders(method: string, body: unknown, extra?: Record<string, string>): Headers {
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': uiLanguage() });
  if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers.set('Content-Type', 'application/json');
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  for (const [key, value] of Object.entries(extra ?? {})) headers.set(key, value);
  return headers;
}

function encodeBody(body: unknown): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (body instanceof FormData || body instanceof Blob) return body;
  return JSON.stringify(body);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds an ApiError from a failed response body (the server's `{error:{…}}` shape, or anything else). */
export function toApiError(status: number, payload: unknown): ApiError {
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  if (error && typeof error.message === 'string') {
    const code = typeof error.code === 'string' ? error.code : `http_${status}`;
    let fields: FieldErrors | undefined;
    if (isRecord(error.fields)) {
      fields = {};
      for (const [path, message] of Object.entries(error.fields)) fields[path] = String(message);
    }
    return new ApiError(status, code, error.message, fields, isRecord(error.details) ? error.details : undefined);
  }
  return new ApiError(status, `http_${status}`, i18n.t('errors.http', { status }));
}

/** Every request of the app goes through here: headers, CSRF, network errors, the error shape and a lost session. */
async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const upper = method.toUpperCase();
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: upper,
      credentials: 'same-origin',
      headers: buildHeaders(upper, options.body, options.headers),
      body: encodeBody(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', i18n.t('errors.network'));
  }
  if (!response.ok) {
    if (response.status === 401 && !AUTH_PROBES.includes(path)) onUnauthorized?.();
    throw toApiError(response.status, await readJson(response));
  }
  return response;
}

export async function request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const payload = await readJson(await send(method, path, options));
  // login, me and setup answer with a fresh CSRF token: remember it for the next mutations
  if (isRecord(payload) && typeof payload.csrfToken === 'string') csrfToken = payload.csrfToken;
  return payload as T;
}

/** `attachment; filename*=UTF-8''…` → the file name (the Russian one first, then `filename="…"`). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : null;
}

/** A file from the API (exports, PDFs) with the name the server gives it (Content-Disposition). */
export async function requestFile(path: string, query?: Query, signal?: AbortSignal): Promise<{ blob: Blob; fileName: string | null }> {
  const response = await send('GET', path, { query, signal, headers: { Accept: '*/*' } });
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) };
}

/** Downloads a file from the API and saves it under the server's file name (or `fallbackName`). */
export async function downloadFile(path: string, query: Query | undefined, fallbackName: string): Promise<void> {
  const { blob, fileName } = await requestFile(path, query);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const api = {
  get: <T = unknown>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T = unknown>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T = unknown>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = unknown>(path: string) => request<T>('DELETE', path),
};

/** A list page of DESIGN §4: `{ items, nextCursor }`. */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** Reads every page of a cursor list (for small lists such as users or departments). */
export async function fetchAllPages<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await api.get<Page<T>>(path, { limit: 500, ...query, cursor }, signal);
    items.push(...(page.items ?? []));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}
