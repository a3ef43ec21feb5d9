/**
 * Login throttling, checked before the password (guessing costs nothing to us). Three counters of failed logins
 * in a sliding window (15 min), kept in memory per instance:
 * - per **account + origin** (origin = the known device, else the IP): the first 5 failures are free, then each
 *   attempt must wait a delay that doubles per failure (30 s, 1 min, 2 min … up to 15 min) → 429 + Retry-After;
 * - per **IP** (20 failures, whatever the accounts) and per **account** (10 failures from anywhere): past these,
 *   only a *trusted* origin may still try — a device that logged into this account before (signed cookie) or an IP
 *   it logged in from. So an attacker who knows the admin's e-mail slows himself down, not the admin.
 */
export interface LoginLimits {
  windowMs: number;
  /** Free failures per account + origin before the delays start. */
  freePerPair: number;
  /** First delay; doubles with each further failure of the pair. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures per IP (any account) before untrusted attempts from it are refused. */
  perIp: number;
  /** Failures on an account (any origin) before untrusted origins are refused. */
  perAccount: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60 * 1000,
  freePerPair: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60 * 1000,
  perIp: 20,
  perAccount: 10,
};

/** Who is trying: the account, the client's address, and the known-device id when its cookie is valid. */
export interface LoginOrigin {
  email: string;
  ip: string;
  deviceId?: string | null;
}

export class LoginLimiter {
  private failures = new Map<string, number[]>();
  readonly limits: LoginLimits;

  constructor(limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  private pairKey(o: LoginOrigin): string {
    return o.deviceId ? `p:${o.email}|d:${o.deviceId}` : `p:${o.email}|i:${o.ip}`;
  }

  /** Milliseconds this account + origin must still wait (growing delays), 0 when it may try now. */
  pairWait(o: LoginOrigin, now = Date.now()): number {
    const list = this.recent(this.pairKey(o), now);
    const over = list.length - this.limits.freePerPair;
    if (over < 0) return 0;
    const delay = Math.min(this.limits.baseDelayMs * 2 ** over, this.limits.maxDelayMs);
    return Math.max(0, list[list.length - 1]! + delay - now);
  }

  /** Milliseconds until an untrusted origin may try again (IP or account over its limit), 0 when it may. */
  untrustedWait(o: LoginOrigin, now = Date.now()): number {
    let wait = 0;
    for (const [key, limit] of [
      [`i:${o.ip}`, this.limits.perIp],
      [`a:${o.email}`, this.limits.perAccount],
    ] as const) {
      const list = this.recent(key, now);
      if (list.length >= limit) wait = Math.max(wait, list[list.length - limit]! + this.limits.windowMs - now);
    }
    return wait;
  }

  /** True when an untrusted login from this IP for any account is refused (the old per-IP rule). */
  isBlocked(email: string, ip: string, now = Date.now()): boolean {
    return this.pairWait({ email, ip }, now) > 0 || this.untrustedWait({ email, ip }, now) > 0;
  }

  recordFailure(o: LoginOrigin | string, ip?: string, now = Date.now()): void {
    const origin = typeof o === 'string' ? { email: o, ip: ip! } : o;
    for (const key of [this.pairKey(origin), `i:${origin.ip}`, `a:${origin.email}`])
      this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood
  }

  /** A correct password clears the failures of its own account + origin (not the account's: others may be attacking). */
  recordSuccess(o: LoginOrigin): void {
    this.failures.delete(this.pairKey(o));
  }
}
