/**
 * Counts failed logins per account and per IP in a sliding window; past the limit the login answers 429
 * (before checking the password, so guessing costs nothing to us). Kept in memory per instance.
 */
export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(private opts = { perAccount: 5, perIp: 20, windowMs: 15 * 60 * 1000 }) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.opts.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  isBlocked(email: string, ip: string, now = Date.now()): boolean {
    return this.recent(`a:${email}`, now).length >= this.opts.perAccount || this.recent(`i:${ip}`, now).length >= this.opts.perIp;
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    for (const key of [`a:${email}`, `i:${ip}`]) this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood
  }

  recordSuccess(email: string): void {
    this.failures.delete(`a:${email}`);
  }
}
