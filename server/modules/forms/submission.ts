/**
 * Bodies of public form submissions: JSON, application/x-www-form-urlencoded (UTF-8, or windows-1251 /
 * koi8-r when declared or when the bytes are not UTF-8), text/plain (JSON or urlencoded inside), and
 * multipart/form-data (fields kept, files drained and only named). Each becomes `{fields, raw}`:
 * flattened text fields and the body as received, for the lead card.
 */
import iconv from 'iconv-lite';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError } from '../../platform/errors.js';
import { assertJsonWithin, assertPairsWithin } from '../../platform/json-limits.js';
import { cleanText, flattenFields, type Fields } from '../leads/normalize.js';

export interface Submission {
  fields: Fields;
  raw: string;
}

/** Largest accepted submission (bytes); more is 413. */
export const SUBMISSION_BODY_LIMIT = 64 * 1024;

export const MULTIPART_LIMITS = {
  fieldNameSize: 200,
  fieldSize: SUBMISSION_BODY_LIMIT,
  fields: 300,
  fileSize: 2 * 1024 * 1024,
  files: 5,
  parts: 320,
  headerPairs: 200,
};

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function charsetOf(contentType: string | undefined): string | null {
  const m = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return m ? m[1].toLowerCase() : null;
}

/** Decodes bytes by the declared charset; undeclared bytes that are not UTF-8 are read as windows-1251. */
export function decodeBytes(bytes: Buffer, charset: string | null): string {
  if (charset && !/^utf-?8$/i.test(charset) && iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return charset ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1251');
  }
}

/** Percent-decodes one urlencoded component to bytes (`+` is a space; a broken escape stays literal). */
function percentBytes(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25 && i + 2 < end && isHex(buf[i + 1]) && isHex(buf[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(buf[i + 1], buf[i + 2]), 16);
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/** Parses an urlencoded body into pairs; the charset applies to the percent-decoded bytes. */
export function parseUrlencoded(body: Buffer, charset: string | null): [string, string][] {
  assertPairsWithin(body);
  const pairs: [string, string][] = [];
  // Decide the charset once for the whole body: undeclared non-UTF-8 bytes mean a legacy Russian encoding.
  let effective = charset;
  if (!effective) {
    const all = percentBytes(body, 0, body.length);
    try {
      utf8Strict.decode(all);
      effective = 'utf-8';
    } catch {
      effective = 'windows-1251';
    }
  }
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i === body.length || body[i] === 0x26 /* & */) {
      if (i > start) {
        let eq = -1;
        for (let j = start; j < i; j++) {
          if (body[j] === 0x3d) {
            eq = j;
            break;
          }
        }
        const keyEnd = eq === -1 ? i : eq;
        const key = decodeBytes(percentBytes(body, start, keyEnd), effective);
        const value = eq === -1 ? '' : decodeBytes(percentBytes(body, eq + 1, i), effective);
        pairs.push([key, value]);
      }
      start = i + 1;
    }
  }
  return pairs;
}

function pairsToFields(pairs: [string, string][]): Fields {
  const obj: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const key = k.endsWith('[]') ? k.slice(0, -2) : k;
    const prev = obj[key];
    if (prev === undefined) obj[key] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else obj[key] = [prev, v];
  }
  return flattenFields(obj);
}

function rawText(body: Buffer, charset: string | null): string {
  return cleanText(decodeBytes(body, charset));
}

export function parseJsonSubmission(body: Buffer, contentType: string | undefined): Submission {
  const text = decodeBytes(body, charsetOf(contentType));
  // Depth and size are checked on the text, before parsing: flattening never meets a 10,000-deep body.
  assertJsonWithin(text);
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError('malformed_json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('validation_failed', { fields: { _: 'Ожидается JSON-объект с полями формы' } });
  }
  return { fields: flattenFields(parsed), raw: cleanText(text) };
}

export function parseUrlencodedSubmission(body: Buffer, contentType: string | undefined): Submission {
  const charset = charsetOf(contentType);
  return { fields: pairsToFields(parseUrlencoded(body, charset)), raw: rawText(body, charset) };
}

/** text/plain (sent by `no-cors` fetches and sendBeacon): JSON if it looks like JSON, else urlencoded. */
export function parseTextSubmission(body: Buffer, contentType: string | undefined): Submission {
  const head = body.subarray(0, 64).toString('latin1').trimStart();
  return head.startsWith('{') ? parseJsonSubmission(body, contentType) : parseUrlencodedSubmission(body, contentType);
}

/** Reads a multipart body with @fastify/multipart's iterator: text fields kept, files drained (named only). */
export async function readMultipart(req: FastifyRequest): Promise<Submission> {
  const pairs: [string, string][] = [];
  const files: { field: string; filename: string; mimetype: string }[] = [];
  let total = 0;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      files.push({ field: cleanText(part.fieldname), filename: cleanText(part.filename ?? ''), mimetype: part.mimetype });
      part.file.resume();
      await new Promise<void>((resolve, reject) => {
        part.file.on('end', resolve);
        part.file.on('error', reject);
        if (part.file.readableEnded) resolve();
      });
      if ((part.file as any).truncated) throw new AppError('payload_too_large');
      continue;
    }
    const value = typeof part.value === 'string' ? part.value : part.value == null ? '' : String(part.value);
    total += part.fieldname.length + value.length;
    if (total > SUBMISSION_BODY_LIMIT) throw new AppError('payload_too_large');
    if (part.valueTruncated || part.fieldnameTruncated) throw new AppError('payload_too_large');
    pairs.push([part.fieldname, value]);
  }
  const fields = pairsToFields(pairs);
  const rawObj: Record<string, unknown> = { ...Object.fromEntries(pairs.map(([k, v]) => [cleanText(k), cleanText(v)])) };
  if (files.length) rawObj._files = files;
  return { fields, raw: JSON.stringify(rawObj) };
}
