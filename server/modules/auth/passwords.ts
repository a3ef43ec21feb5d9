import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.js';

/**
 * Common passwords: the 49 000 most frequent leaked passwords shipped by @zxcvbn-ts/language-common (the list
 * zxcvbn uses), plus Russian ones it lacks. Read on first use (a plain JSON array in the package's src/, ~10 ms;
 * the package's own entry decompresses for ~0.5 s).
 */
let commonList: Set<string> | null = null;
function common(): Set<string> {
  if (commonList) return commonList;
  const require = createRequire(import.meta.url);
  let list: string[];
  try {
    const file = path.join(path.dirname(require.resolve('@zxcvbn-ts/language-common/package.json')), 'src', 'passwords.json');
    list = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    list = require('@zxcvbn-ts/language-common').dictionary['passwords-common'];
  }
  commonList = new Set([...list, ...RUSSIAN_COMMON].map((p) => p.toLowerCase()));
  return commonList;
}

// Frequent Russian passwords (the list above has no Cyrillic); keyboard walks on the Russian layout are caught by
// mapping to the Latin one (йцукен → qwerty, пароль → gfhjkm).
const RUSSIAN_COMMON = [
  'пароль',
  'парольпароль',
  'пароль1234',
  'пароль12345',
  'привет',
  'любовь',
  'наташа',
  'максим',
  'солнышко',
  'администратор',
  'админ',
  'воронка',
  'voronka',
  'crm',
];

const RU_TO_LATIN_KEYS: Record<string, string> = Object.fromEntries(
  [...'йцукенгшщзхъфывапролджэячсмитьбюё'].map((ch, i) => [ch, "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"[i]!]),
);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

/** The forms of a password an attacker's list would try: as typed, on the wrong layout, without decorations. */
function variants(password: string): string[] {
  const lower = password.toLowerCase();
  const latin = [...lower].map((ch) => RU_TO_LATIN_KEYS[ch] ?? ch).join('');
  const out = new Set<string>();
  for (const form of [lower, latin]) {
    out.add(form);
    // Digits and signs around a word ("Password2026!", "!!qwerty") add little: check the word itself.
    const core = form.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (core.length >= 3) {
      out.add(core);
      out.add([...core].map((ch) => LEET[ch] ?? ch).join('')); // p@ssw0rd → password
    }
    // A short unit repeated ("abcabcabc", "qwertyqwerty").
    const unit = /^(.+?)\1+$/u.exec(form)?.[1];
    if (unit) out.add(unit.length <= 3 ? '' : unit);
  }
  return [...out];
}

/** Made only of runs like "abc", "12345", "9876" (digits wrap: "7890", "0987"): nothing a guesser needs a list for. */
function isSequences(password: string): boolean {
  const codes = [...password.toLowerCase()].map((ch) => ch.codePointAt(0)!);
  const step = (a: number, b: number) => {
    const digits = a >= 48 && a <= 57 && b >= 48 && b <= 57;
    const d = digits ? (((b - a) % 10) + 10) % 10 : b - a;
    return digits ? (d === 1 ? 1 : d === 9 ? -1 : 0) : d === 1 || d === -1 ? d : 0;
  };
  let run = 1;
  let dir = 0;
  for (let i = 1; i <= codes.length; i++) {
    const d = i < codes.length ? step(codes[i - 1]!, codes[i]!) : 0;
    if (d !== 0 && (run === 1 || d === dir)) {
      dir = d;
      run++;
      continue;
    }
    if (run < 3) return false;
    run = 1;
    dir = 0;
  }
  return true;
}

/** Letters only, lower case, ё as е: "Иван.Петров-1990" → "иванпетров". */
const letters = (s: string) =>
  s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}]/gu, '');

/** True when the password is the user's e-mail, its local part or his full name, give or take digits and signs. */
function isPersonal(password: string, who: { email?: string | null; name?: string | null }): boolean {
  const email = (who.email ?? '').trim().toLowerCase();
  const name = (who.name ?? '').trim();
  if (email && password.toLowerCase().includes(email)) return true;
  const local = email.split('@')[0] ?? '';
  // The whole name and the whole local part: one word of a name ("Анна Бухгалтер" → "Бухгалтер-2026!") is allowed.
  const own = [local, name].map(letters).filter((w) => w.length >= 3);
  const pw = letters(password);
  return pw.length > 0 && own.includes(pw);
}

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Returns null when the password is acceptable, otherwise a Russian message for the `password` field.
 * `who`: the account's e-mail and name, which the password must not repeat.
 */
export function passwordProblem(password: string, who: { email?: string | null; name?: string | null } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Пароль должен быть не короче ${MIN_PASSWORD_LENGTH} символов`;
  if (password.length > 200) return 'Пароль слишком длинный (не более 200 символов)';
  const list = common();
  if (isPersonal(password, who)) return 'Пароль не должен совпадать с e-mail или именем пользователя';
  if (isSequences(password) || variants(password).some((v) => v === '' || list.has(v)))
    return 'Этот пароль слишком распространён, выберите другой';
  return null;
}

export function assertPasswordPolicy(
  password: string,
  field = 'password',
  who: { email?: string | null; name?: string | null } = {},
): void {
  const problem = passwordProblem(password, who);
  if (problem) throw new AppError('validation_failed', { fields: { [field]: problem } });
}

export function hashPassword(password: string): Promise<string> {
  // argon2id (the library's default algorithm) with its default memory/time cost.
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
