/**
 * A small seeded PRNG (mulberry32) with the helpers the demo generator needs. Never Math.random:
 * the same seed gives the same data. Each entity (client i, deal j) gets its own stream
 * (`rng.reseed(streamSeed(seed, kind, i))`), so one record's content does not depend on how many
 * numbers earlier records happened to draw (e.g. through branches on the current time).
 */

/** splitmix32-style finaliser: a well-mixed 32-bit value from any 32-bit input. */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seed of stream `index` of kind `kind` (a small integer naming what is generated). */
export function streamSeed(seed: number, kind: number, index: number): number {
  return mix32(mix32(seed ^ Math.imul(kind, 0x27d4eb2d)) ^ Math.imul(index | 0, 0x165667b1) ^ Math.floor(index / 0x100000000));
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): this {
    this.state = seed >>> 0;
    return this;
  }

  /** Uniform in [0, 1). */
  next = (): number => {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn by weight from a table built with `weightTable`. */
  weighted(table: WeightTable): number {
    const r = this.next() * table.total;
    const c = table.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Log-normal with the given median and spread (sigma of the log): positive, long right tail. */
  logNormal(median: number, sigma: number): number {
    // Box–Muller; 1 - next() keeps the log argument above 0.
    const z = Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
    return median * Math.exp(sigma * z);
  }
}

export interface WeightTable {
  cumulative: Float64Array;
  total: number;
}

export function weightTable(weights: readonly number[]): WeightTable {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => {
    total += w;
    cumulative[i] = total;
  });
  return { cumulative, total };
}

/**
 * A `rand` whose first calls return values chosen so that `randomInt(rand, min, max)` (as used by
 * common/requisites.ts generators) yields the given integers; later calls come from `rng`.
 * Lets a generated ИНН carry the client's region code while its check digits stay the library's.
 */
export function leadingInts(rng: Rng, wanted: { value: number; min: number; max: number }[]): () => number {
  let i = 0;
  return () => {
    if (i < wanted.length) {
      const { value, min, max } = wanted[i++];
      return (value - min + 0.5) / (max - min + 1);
    }
    return rng.next();
  };
}
