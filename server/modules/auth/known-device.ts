import crypto from 'node:crypto';
import { newToken } from '../../platform/ids.js';

/**
 * The "known device" cookie: set on a successful login, it names a random device id signed (HMAC with the
 * installation secret) together with the account's e-mail, so it cannot be made up or moved to another account.
 * A login attempt carrying a valid one for its account is trusted past the per-IP and per-account limits.
 */
export const DEVICE_COOKIE = 'voronka_device';
export const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

function sign(secret: string, email: string, deviceId: string): string {
  return crypto.createHmac('sha256', secret).update(`voronka-device:${email}:${deviceId}`).digest('base64url');
}

/** The cookie value for this account on this device (a new device id when none is given). */
export function issueDeviceCookie(secret: string, email: string, deviceId: string | null = null): string {
  const id = deviceId ?? newToken(16);
  return `${id}.${sign(secret, email, id)}`;
}

/** The device id when the cookie is valid for this account, else null. */
export function knownDeviceId(secret: string, email: string, cookie: string | undefined | null): string | null {
  if (!cookie || cookie.length > 200) return null;
  const dot = cookie.indexOf('.');
  if (dot <= 0) return null;
  const id = cookie.slice(0, dot);
  const given = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(sign(secret, email, id));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? id : null;
}
