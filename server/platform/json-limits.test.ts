import { describe, expect, it } from 'vitest';
import { assertJsonWithin, jsonShape, type JsonLimits } from './json-limits.js';
import type { AppError } from './errors.js';

/** The `_` field message of the 400 thrown, or null when nothing was thrown. */
function refusal(text: string, limits?: JsonLimits): string | null {
  try {
    assertJsonWithin(text, limits);
    return null;
  } catch (err) {
    return (err as AppError).fields?._ ?? 'no field';
  }
}

describe('JSON shape limits (checked on the text, before parsing)', () => {
  it('counts depth and values, keys and brackets inside strings excluded', () => {
    expect(jsonShape('{}')).toEqual({ depth: 1, values: 1 });
    expect(jsonShape('{"a":1,"b":"x","c":[true,null,{"d":-1.5e3}]}')).toEqual({ depth: 3, values: 8 });
    expect(jsonShape('{"a{[":"]}\\"[{","b":2}')).toEqual({ depth: 1, values: 3 });
    expect(jsonShape('  "str"  ')).toEqual({ depth: 0, values: 1 });
    expect(jsonShape('[[[]]]')).toEqual({ depth: 3, values: 3 });
  });

  it('a 100,000-deep text is measured in one loop and refused', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonShape(deep).depth).toBe(100_000);
    expect(refusal(deep)).toContain('вложенность');
    expect(refusal('{"a":{"b":{"c":1}}}', { maxDepth: 2, maxValues: 10 })).toContain('вложенность');
    expect(refusal('[1,2,3,4]', { maxDepth: 5, maxValues: 4 })).toContain('полей');
    expect(refusal('[1,2,3]', { maxDepth: 5, maxValues: 4 })).toBeNull();
  });
});
