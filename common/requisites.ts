/**
 * Russian company requisites: ИНН, КПП, ОГРН/ОГРНИП, БИК, bank accounts.
 * Each validator returns null when the value is valid, otherwise a short Russian message
 * that the API puts into `error.fields` and the UI shows under the field.
 * Algorithms: shared/INTEGRATIONS.md §4.
 */
import { z } from 'zod';

export type InnKind = 'company' | 'person';

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const ACCOUNT_WEIGHTS = [7, 1, 3];
/** A clearing-currency account may hold one of these letters at position 6; it counts as 0..9. */
const ACCOUNT_LETTERS = 'ABCEHKMPTX';
const ACCOUNT_LETTERS_CYR = 'АВСЕНКМРТХ';

const isDigits = (s: string, len: number): boolean => s.length === len && /^\d+$/.test(s);

function weightedDigit(digits: string, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i];
  return (sum % 11) % 10;
}

function innCheckDigits(first: string): string {
  if (first.length === 9) return String(weightedDigit(first, INN10_WEIGHTS));
  const d11 = String(weightedDigit(first, INN12_WEIGHTS_11));
  return d11 + String(weightedDigit(first + d11, INN12_WEIGHTS_12));
}

export function validateInn(value: string, kind?: InnKind): string | null {
  if (!/^\d*$/.test(value)) return 'ИНН должен состоять только из цифр';
  if (kind === 'company' && value.length !== 10) return 'ИНН организации должен состоять из 10 цифр';
  if (kind === 'person' && value.length !== 12) return 'ИНН физического лица должен состоять из 12 цифр';
  if (value.length !== 10 && value.length !== 12) return 'ИНН должен состоять из 10 или 12 цифр';
  // Region code 00 does not exist; also rules out the all-zero number that passes the checksum.
  if (value.startsWith('00')) return 'Неверный ИНН';
  const body = value.slice(0, value.length === 10 ? 9 : 10);
  if (innCheckDigits(body) !== value.slice(body.length)) return 'Неверная контрольная сумма ИНН';
  return null;
}

export function validateKpp(value: string): string | null {
  if (value.length !== 9) return 'КПП должен состоять из 9 символов';
  if (!/^\d{4}[\dA-Z]{2}\d{3}$/.test(value)) return 'Неверный формат КПП';
  return null;
}

function ogrnCheckDigit(first: string, modulus: bigint): string {
  return String((BigInt(first) % modulus) % 10n);
}

export function validateOgrn(value: string): string | null {
  if (!isDigits(value, 13)) return 'ОГРН должен состоять из 13 цифр';
  // 1 and 5 start an ОГРН; other leading digits are ГРН or ОГРНИП numbers.
  if (value[0] !== '1' && value[0] !== '5') return 'ОГРН должен начинаться с 1 или 5';
  if (ogrnCheckDigit(value.slice(0, 12), 11n) !== value[12]) return 'Неверная контрольная сумма ОГРН';
  return null;
}

export function validateOgrnip(value: string): string | null {
  if (!isDigits(value, 15)) return 'ОГРНИП должен состоять из 15 цифр';
  if (value[0] !== '3') return 'ОГРНИП должен начинаться с 3';
  if (ogrnCheckDigit(value.slice(0, 14), 13n) !== value[14]) return 'Неверная контрольная сумма ОГРНИП';
  return null;
}

/** ОГРН (13 digits) or ОГРНИП (15 digits), told apart by length. */
export function validateOgrnOrOgrnip(value: string): string | null {
  if (value.length === 15) return validateOgrnip(value);
  if (value.length === 13) return validateOgrn(value);
  return 'ОГРН должен состоять из 13 цифр, ОГРНИП — из 15';
}

export function validateBik(value: string): string | null {
  if (!isDigits(value, 9)) return 'БИК должен состоять из 9 цифр';
  // Treasury BIKs (00…–03…) are deliberately refused: invoices need a bank account.
  if (!value.startsWith('04')) return 'БИК банка должен начинаться с 04';
  return null;
}

function accountDigits(account: string): string | null {
  if (account.length !== 20) return null;
  const pos6 = account[5];
  let letter = ACCOUNT_LETTERS.indexOf(pos6);
  if (letter < 0) letter = ACCOUNT_LETTERS_CYR.indexOf(pos6);
  const normalized = letter >= 0 ? account.slice(0, 5) + letter + account.slice(6) : account;
  return /^\d{20}$/.test(normalized) ? normalized : null;
}

/** Σ(dᵢ·wᵢ mod 10) mod 10 over prefix + account; 0 means the control key is right. */
function accountKeyRemainder(prefix: string, digits: string): number {
  const s = prefix + digits;
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += (Number(s[i]) * ACCOUNT_WEIGHTS[i % 3]) % 10;
  return sum % 10;
}

/** Digits 7–9 of a bank's BIK, or "0" + digits 5–6 for a Bank of Russia division (7–9 below 050). */
function settlementPrefix(bik: string): string {
  const bank = bik.slice(6);
  return Number(bank) < 50 ? '0' + bik.slice(4, 6) : bank;
}

const corrPrefix = (bik: string): string => '0' + bik.slice(4, 6);

/** Расчётный счёт checked against the bank's BIK (Bank of Russia control key). */
export function validateAccount(bik: string, account: string): string | null {
  const digits = accountDigits(account);
  if (!digits) return 'Счёт должен состоять из 20 цифр';
  if (validateBik(bik)) return 'Сначала укажите верный БИК';
  if (accountKeyRemainder(settlementPrefix(bik), digits) !== 0) return 'Неверный контрольный ключ счёта (проверьте счёт и БИК)';
  return null;
}

/** Корреспондентский счёт of the bank: 30101…, ends with BIK digits 7–9, keyed with "0" + BIK digits 5–6. */
export function validateCorrAccount(bik: string, account: string): string | null {
  if (!isDigits(account, 20)) return 'Корр. счёт должен состоять из 20 цифр';
  if (validateBik(bik)) return 'Сначала укажите верный БИК';
  if (!account.startsWith('30101')) return 'Корр. счёт должен начинаться с 30101';
  if (account.slice(17) !== bik.slice(6)) return 'Корр. счёт должен оканчиваться на три последние цифры БИК';
  if (accountKeyRemainder(corrPrefix(bik), account) !== 0) return 'Неверный контрольный ключ корр. счёта';
  return null;
}

// ---- zod schemas (trim surrounding spaces; the value must then be exact) ----

function withValidator<T extends z.ZodString>(schema: T, validate: (v: string) => string | null): T {
  return schema.superRefine((value, ctx) => {
    const message = validate(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

export const innSchema = withValidator(z.string().trim(), (v) => validateInn(v));
export const companyInnSchema = withValidator(z.string().trim(), (v) => validateInn(v, 'company'));
export const personInnSchema = withValidator(z.string().trim(), (v) => validateInn(v, 'person'));
/** Letters are upper-cased first: users type «77ab01001» as often as «77AB01001». */
export const kppSchema = withValidator(z.string().trim().toUpperCase(), validateKpp);
/** ОГРН (13) or ОГРНИП (15). */
export const ogrnSchema = withValidator(z.string().trim(), validateOgrnOrOgrnip);
export const bikSchema = withValidator(z.string().trim(), validateBik);
/** Format only: the control key needs the BIK, see bankDetailsSchema. */
export const accountSchema = withValidator(z.string().trim().toUpperCase(), (v) =>
  accountDigits(v) ? null : 'Счёт должен состоять из 20 цифр',
);
export const corrAccountSchema = withValidator(z.string().trim(), (v) =>
  isDigits(v, 20) ? null : 'Корр. счёт должен состоять из 20 цифр',
);

/** A bank block with the account and corr. account keyed against the BIK; issues land on their own paths. */
export const bankDetailsSchema = z
  .object({ bik: bikSchema, account: accountSchema, corrAccount: corrAccountSchema.optional() })
  .superRefine((v, ctx) => {
    const account = validateAccount(v.bik, v.account);
    if (account) ctx.addIssue({ code: 'custom', message: account, path: ['account'] });
    if (v.corrAccount !== undefined) {
      const corr = validateCorrAccount(v.bik, v.corrAccount);
      if (corr) ctx.addIssue({ code: 'custom', message: corr, path: ['corrAccount'] });
    }
  });

// ---- generators for demo data and tests (rand: () => number in [0, 1)) ----

function randomDigits(rand: () => number, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += String(Math.min(9, Math.floor(rand() * 10)));
  return s;
}

const randomInt = (rand: () => number, min: number, max: number): number => Math.min(max, min + Math.floor(rand() * (max - min + 1)));

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function generateValidInn(rand: () => number, kind: InnKind): string {
  // Region 01–89, then the tax office and the record number.
  const body = pad2(randomInt(rand, 1, 89)) + randomDigits(rand, kind === 'company' ? 7 : 8);
  return body + innCheckDigits(body);
}

/** ОГРН for a company (13 digits) or ОГРНИП for an entrepreneur (15 digits). */
export function generateValidOgrn(rand: () => number, kind: InnKind = 'company'): string {
  const year = pad2(randomInt(rand, 2, 25));
  const region = pad2(randomInt(rand, 1, 89));
  if (kind === 'person') {
    const body = '3' + year + region + randomDigits(rand, 9);
    return body + ogrnCheckDigit(body, 13n);
  }
  const body = (rand() < 0.5 ? '1' : '5') + year + region + randomDigits(rand, 7);
  return body + ogrnCheckDigit(body, 11n);
}

/** КПП of the head office: tax office of the ИНН (its first 4 digits), reason 01, number 001. */
export function generateValidKpp(rand: () => number, inn?: string): string {
  const office = inn && inn.length >= 4 ? inn.slice(0, 4) : pad2(randomInt(rand, 1, 89)) + randomDigits(rand, 2);
  return office + '01001';
}

/** Fills the key digit (position 9) so that the account passes the check with the given prefix. */
function withKey(prefix: string, account: string): string {
  const zeroKey = account.slice(0, 8) + '0' + account.slice(9);
  const remainder = accountKeyRemainder(prefix, zeroKey);
  // Position 9 of the account is position 12 of the checked string: weight 3, and 3·7 ≡ 1 (mod 10).
  const key = ((10 - remainder) * 7) % 10;
  return account.slice(0, 8) + key + account.slice(9);
}

/** Расчётный счёт in roubles (balance account 40702 by default) that passes validateAccount with this BIK. */
export function generateValidAccount(rand: () => number, bik: string, balance = '40702'): string {
  return withKey(settlementPrefix(bik), balance + '810' + '0' + randomDigits(rand, 11));
}

/** Корр. счёт of the bank with this BIK: 30101 810 K 00000000 + BIK digits 7–9. */
export function generateCorrAccount(bik: string): string {
  return withKey(corrPrefix(bik), '30101810' + '0' + '00000000' + bik.slice(6));
}
