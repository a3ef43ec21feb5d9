import { describe, expect, it } from 'vitest';
import { AppError, errorTable, messageOf, ruleViolation, statusOf, type ErrorCode } from './errors.js';

describe('error table', () => {
  it('every code has an HTTP error status, a Russian and an English message', () => {
    for (const [code, spec] of Object.entries(errorTable)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.ru.trim(), code).not.toBe('');
      expect(spec.ru, code).toMatch(/[а-яё]/i);
      expect(spec.en.trim(), code).not.toBe('');
      expect(spec.en, code).not.toMatch(/[а-яё]/i);
    }
  });

  it('AppError carries the status and messages of its code', () => {
    const err = new AppError('duplicate_client');
    expect(err.status).toBe(409);
    expect(statusOf('mail_failed')).toBe(502);
    expect(messageOf('sku_taken', 'ru')).toBe('Товар с таким артикулом уже есть');
    expect(messageOf('sku_taken', 'en')).toBe('A product with this SKU already exists');
  });

  it('a code missing from the table does not compile (npm run typecheck fails when an expect-error stops erring)', () => {
    const never = () => {
      // @ts-expect-error a typo in a code
      new AppError('not_foud');
      // @ts-expect-error a code nobody put in the table
      statusOf('teapot');
      // @ts-expect-error ErrorCode is the table's keys, not any string
      const code: ErrorCode = 'whatever';
      // @ts-expect-error a message of its own without the English one
      new AppError('business_rule', { message: 'Только по-русски' });
      // @ts-expect-error a rule violation without the English message
      ruleViolation('Только по-русски', undefined);
      return code;
    };
    expect(typeof never).toBe('function');
  });
});
