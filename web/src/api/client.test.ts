import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../i18n';
import { ApiError, api, apiUrl, fileNameOf, getCsrfToken, requestFile, setCsrfToken, setUnauthorizedHandler, toApiError } from './client';

function jsonResponse(status: number, body: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('apiUrl', () => {
  it('prefixes /api and skips empty query values', () => {
    expect(apiUrl('/clients', { q: 'Ромашка', status: undefined, ownerId: null, region: '', limit: 50 })).toBe(
      '/api/clients?q=%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0&limit=50',
    );
    expect(apiUrl('users')).toBe('/api/users');
    expect(apiUrl('/deals', { stageId: ['a', 'b'] })).toBe('/api/deals?stageId=a&stageId=b');
  });
});

describe('toApiError', () => {
  it('reads the server error shape', () => {
    const error = toApiError(400, { error: { code: 'invalid', message: 'Проверьте поля', fields: { email: 'Некорректный e-mail' } } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid', message: 'Проверьте поля', fields: { email: 'Некорректный e-mail' } });
  });

  it('survives a body that is not ours', () => {
    const error = toApiError(502, '<html>Bad gateway</html>');
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
    expect(error.message).toContain('502');
    expect(error.fields).toBeUndefined();
  });
});

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken(null);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    setUnauthorizedHandler(null);
  });

  it('remembers the CSRF token of login and sends it on mutations only', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { user: { id: '1' }, csrfToken: 'tok-1' }));
    await api.post('/auth/login', { email: 'a@b.ru', password: 'x' });
    expect(getCsrfToken()).toBe('tok-1');

    fetchMock.mockResolvedValueOnce(jsonResponse(200, { items: [], nextCursor: null }));
    await api.get('/users');
    let init = fetchMock.mock.calls[1][1]!;
    expect(new Headers(init.headers).get('X-CSRF-Token')).toBeNull();
    expect(init.credentials).toBe('same-origin');

    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: '2' }));
    await api.patch('/users/2', { name: 'Иван', version: 1 });
    init = fetchMock.mock.calls[2][1]!;
    const headers = new Headers(init.headers);
    expect(init.method).toBe('PATCH');
    expect(headers.get('X-CSRF-Token')).toBe('tok-1');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Accept-Language')).toBe('ru');
    expect(init.body).toBe(JSON.stringify({ name: 'Иван', version: 1 }));
  });

  it('throws ApiError with fields', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, { error: { code: 'email_taken', message: 'Пользователь с таким e-mail уже есть', fields: { email: 'занят' } } }),
    );
    await expect(api.post('/users', {})).rejects.toMatchObject({ status: 409, code: 'email_taken', fields: { email: 'занят' } });
  });

  it('turns a network failure into ApiError status 0', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api.get('/users')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('reports a lost session, but not the 401 of an auth probe', async () => {
    const lost = vi.fn();
    setUnauthorizedHandler(lost);
    fetchMock.mockImplementation(async () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Войдите' } }));
    await expect(api.get('/auth/me')).rejects.toBeInstanceOf(ApiError);
    expect(lost).not.toHaveBeenCalled();
    await expect(api.get('/users')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('keeps the error details (the existing client of a duplicate)', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, { error: { code: 'duplicate_client', message: 'Клиент уже есть', details: { existingId: 'c1', field: 'inn' } } }),
    );
    await expect(api.post('/clients', {})).rejects.toMatchObject({ code: 'duplicate_client', details: { existingId: 'c1', field: 'inn' } });
  });

  it('files go through the same path: the server file name, the error shape, a lost session', async () => {
    const lost = vi.fn();
    setUnauthorizedHandler(lost);
    fetchMock.mockResolvedValueOnce(
      new Response('PK…', {
        status: 200,
        headers: { 'content-disposition': `attachment; filename="invoices.xlsx"; filename*=UTF-8''${encodeURIComponent('Счета.xlsx')}` },
      }),
    );
    const file = await requestFile('/invoices', { format: 'xlsx', status: undefined });
    expect(file.fileName).toBe('Счета.xlsx');
    expect(await file.blob.text()).toBe('PK…');
    expect(fetchMock.mock.calls[0][0]).toBe('/api/invoices?format=xlsx');
    expect(new Headers(fetchMock.mock.calls[0][1]!.headers).get('Accept-Language')).toBe('ru');

    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, { error: { code: 'validation_failed', message: 'Неверный период', fields: { to: 'Дата' } } }),
    );
    await expect(requestFile('/reports/funnel', { format: 'csv' })).rejects.toMatchObject({ status: 400, fields: { to: 'Дата' } });
    expect(lost).not.toHaveBeenCalled();

    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'unauthorized', message: 'Войдите' } }));
    await expect(requestFile('/reports/funnel', { format: 'pdf' })).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('returns undefined for an empty 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(api.delete('/api-tokens/1')).resolves.toBeUndefined();
  });
});

describe('fileNameOf', () => {
  it('prefers the UTF-8 name, then the plain one', () => {
    expect(fileNameOf(`attachment; filename="a.pdf"; filename*=UTF-8''${encodeURIComponent('Счёт № 1.pdf')}`)).toBe('Счёт № 1.pdf');
    expect(fileNameOf('inline; filename="report.csv"')).toBe('report.csv');
    expect(fileNameOf(null)).toBeNull();
  });
});
