import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/errors.js';

// Frequent passwords (incl. Russian keyboard walks) that pass the length rule; compared lower-cased.
const COMMON = new Set(
  [
    '1234567890',
    '12345678910',
    '0987654321',
    '1111111111',
    '0000000000',
    '1234512345',
    '1q2w3e4r5t',
    'qwertyuiop',
    'qwerty1234',
    'qwerty12345',
    'password12',
    'password123',
    'password1234',
    'passw0rd12',
    'iloveyou12',
    'asdfghjkl1',
    'zxcvbnm123',
    '1qaz2wsx3edc',
    'qazwsxedcrfv',
    'abcdefghij',
    'abc1234567',
    'йцукенгшщз',
    'йцукенгшщзхъ',
    'пароль1234',
    'пароль12345',
    'парольпароль',
    'qwertyqwerty',
    'adminadmin',
    'administrator',
    'admin12345',
    'admin123456',
    'welcome123',
    'letmein123',
    'football12',
    'monkey1234',
    'dragon1234',
    'superman12',
    'trustno1234',
    'princess12',
    'sunshine12',
    'q1w2e3r4t5',
    'q1w2e3r4t5y6',
    '1q2w3e4r5t6y',
    'zaq12wsxcde3',
    '123qweasdzxc',
    'qweasdzxc123',
    'voronka123',
    'voronka2026',
    'crm1234567',
    'changeme123',
    'default123',
    'secret1234',
    'master1234',
    'michael123',
    'shadow1234',
    'baseball12',
    '12345qwert',
    'qwert12345',
    'asdf123456',
    '1234qwerasdf',
    'zxcvbnm,./',
    'qwerty123456',
    'aaaaaaaaaa',
  ].map((p) => p.toLowerCase()),
);

export const MIN_PASSWORD_LENGTH = 10;

/** Returns null when the password is acceptable, otherwise a Russian message for the `password` field. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Пароль должен быть не короче ${MIN_PASSWORD_LENGTH} символов`;
  if (password.length > 200) return 'Пароль слишком длинный (не более 200 символов)';
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) return 'Этот пароль слишком распространён, выберите другой';
  return null;
}

export function assertPasswordPolicy(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
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
