/**
 * In-process token buckets for the public form endpoint: a bucket per (form, IP) and per form, each holding
 * `perMinute` tokens and refilling at `perMinute / 60` per second. Limits are per instance: with N instances
 * behind a balancer a client can get up to N times as many (documented in docs/API.md).
 */
interface Bucket {
  tokens: number;
  at: number;
  capacity: number;
}

const MAX_KEYS = 100_000;

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  /** Takes one token from `key`; returns 0 when allowed, else the seconds to wait. */
  take(key: string, perMinute: number, now = Date.now()): number {
    let b = this.buckets.get(key);
    if (!b || b.capacity !== perMinute) {
      if (!b && this.buckets.size >= MAX_KEYS) this.sweep(now);
      b = { tokens: perMinute, at: now, capacity: perMinute };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / perMinute));
  }

  /** Gives a token back (the request was refused by a later check). */
  refund(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(b.capacity, b.tokens + 1);
  }

  /** Drops buckets that have refilled completely (they carry no state). */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 60_000) * b.capacity >= b.capacity) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_KEYS) this.buckets.clear();
  }

  clear(): void {
    this.buckets.clear();
  }
}
