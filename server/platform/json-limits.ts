/**
 * Limits on the shape of a JSON text, checked on the text itself before it is parsed: nesting depth and the number
 * of values. One pass over the characters with counters, no recursion, so a body nested 10,000 levels deep costs a
 * loop, not a stack overflow in whatever walks it later (flattening, stringifying, validating).
 */
import { AppError } from './errors.js';

export interface JsonLimits {
  /** Deepest nesting of objects and arrays allowed. */
  maxDepth: number;
  /** Most values allowed (every scalar, object and array counts one). */
  maxValues: number;
}

/** Generous for any real payload (a form posts tens of fields a few levels deep). */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxValues: 5000 };

/** Depth and value count of a JSON text (approximate on invalid JSON, which the parser refuses anyway). */
export function jsonShape(text: string): { depth: number; values: number } {
  // Per open container: 1 = object, 0 = array (a byte each; bounded by the text's length).
  const containers: number[] = [];
  let maxDepth = 0;
  let values = 0;
  let inString = false;
  // What the next token is: a value (counted), a key (not counted), or neither (inside a scalar, after a close).
  let next: 'value' | 'key' | 'none' = 'value';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      values++;
      containers.push(c === 0x7b ? 1 : 0);
      if (containers.length > maxDepth) maxDepth = containers.length;
      next = c === 0x7b ? 'key' : 'value';
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      containers.pop();
      next = 'none';
    } else if (c === 0x2c /* , */) {
      next = containers[containers.length - 1] === 1 ? 'key' : 'value';
    } else if (c === 0x3a /* : */) {
      next = 'value';
    } else {
      if (c === 0x22) inString = true;
      if (next === 'value') values++;
      next = 'none';
    }
  }
  return { depth: maxDepth, values };
}

/** Throws 400 (Russian, naming the body `_`) when a JSON text is nested deeper or holds more values than allowed. */
export function assertJsonWithin(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  const shape = jsonShape(text);
  if (shape.depth > limits.maxDepth) {
    throw new AppError('validation_failed', {
      fields: { _: `Слишком глубокая вложенность данных: не более ${limits.maxDepth} уровней` },
    });
  }
  if (shape.values > limits.maxValues) {
    throw new AppError('validation_failed', { fields: { _: `Слишком много полей: не более ${limits.maxValues}` } });
  }
}

/** The same count for urlencoded bodies: pairs are separated by `&`. */
export function assertPairsWithin(body: Buffer, maxPairs: number = DEFAULT_JSON_LIMITS.maxValues): void {
  let pairs = 1;
  for (let i = body.indexOf(0x26); i !== -1; i = body.indexOf(0x26, i + 1)) {
    if (++pairs > maxPairs) {
      throw new AppError('validation_failed', { fields: { _: `Слишком много полей: не более ${maxPairs}` } });
    }
  }
}
