import { describe, expect, it } from 'vitest';
import { formatPhoneRu, normalizePhone, phoneDigits } from './phone.js';

describe('normalizePhone', () => {
  it.each([
    ['8 (912) 345-67-89', '+79123456789'],
    ['89123456789', '+79123456789'],
    ['+7 912 345 67 89', '+79123456789'],
    ['+7(912)345-67-89', '+79123456789'],
    ['7 912 345-67-89', '+79123456789'],
    ['912 345 67 89', '+79123456789'],
    ['  8-912-345-67-89  ', '+79123456789'],
    ['8 (495) 123-45-67', '+74951234567'],
    ['8 800 555-35-35', '+78005553535'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+375 29 123-45-67', '+375291234567'],
    ['+7 701 234 56 78', '+77012345678'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('drops an extension', () => {
    expect(normalizePhone('8 912 345-67-89 доб. 12')).toBe('+79123456789');
  });

  it.each(['', '   ', 'нет телефона', '12345', '8912345678', '+7 000 000-00-00', '8 912 345 67 89 00'])('refuses %j', (input) =>
    expect(normalizePhone(input)).toBeNull(),
  );

  it('uses the default country for national numbers', () => {
    expect(normalizePhone('029 123-45-67', 'BY')).toBe('+375291234567');
    expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
  });
});

describe('formatPhoneRu', () => {
  it('formats +7 numbers as +7 XXX XXX-XX-XX', () => {
    expect(formatPhoneRu('+79123456789')).toBe('+7 912 345-67-89');
    expect(formatPhoneRu('+74951234567')).toBe('+7 495 123-45-67');
    expect(formatPhoneRu('+78005553535')).toBe('+7 800 555-35-35');
    expect(formatPhoneRu('+77012345678')).toBe('+7 701 234-56-78');
  });
  it('uses the international format elsewhere', () => {
    expect(formatPhoneRu('+442079460958')).toBe('+44 20 7946 0958');
    expect(formatPhoneRu('+14155552671')).toBe('+1 415 555 2671');
  });
  it('returns what it cannot parse unchanged', () => {
    expect(formatPhoneRu('не номер')).toBe('не номер');
  });
  it('round-trips with normalizePhone', () => {
    expect(normalizePhone(formatPhoneRu('+79123456789'))).toBe('+79123456789');
  });
});

describe('phoneDigits', () => {
  it('keeps digits only and turns a Russian leading 8 into 7', () => {
    expect(phoneDigits('8 (912) 345-67-89')).toBe('79123456789');
    expect(phoneDigits('+7 912 345-67-89')).toBe('79123456789');
    expect(phoneDigits('+44 20 7946 0958')).toBe('442079460958');
  });
  it('leaves partial input alone (search while typing)', () => {
    expect(phoneDigits('8912')).toBe('8912');
    expect(phoneDigits('345-67')).toBe('34567');
    expect(phoneDigits('')).toBe('');
  });
});
