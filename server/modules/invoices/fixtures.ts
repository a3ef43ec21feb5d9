/**
 * Test and benchmark fixtures for invoices: valid seller requisites and small generated PNG images
 * (a logo and a round "stamp" for the facsimile), so tests need no binary files.
 */
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { generateValidAccount } from '../../../common/requisites.js';
import type { PutCompanySettingsInput } from '../../../common/api/settings.js';

/** A deterministic rand() for the requisite generators. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const TEST_BIK = '044525225';

/** Requisites that pass every checksum (ПАО Сбербанк's БИК and corr. account, a generated settlement account). */
export function testCompany(overrides: Partial<PutCompanySettingsInput> = {}): PutCompanySettingsInput {
  return {
    name: 'ООО «Воронка-Тест»',
    inn: '7707083893',
    kpp: '773601001',
    ogrn: '1027700132195',
    address: '117312, г. Москва, ул. Вавилова, д. 19',
    bankName: 'ПАО Сбербанк, г. Москва',
    bik: TEST_BIK,
    account: generateValidAccount(seeded(42), TEST_BIK),
    corrAccount: '30101810400000000225',
    director: 'Иванов Иван Иванович',
    chiefAccountant: 'Петрова Анна Сергеевна',
    taxMode: 'vat22',
    invoicePrefix: '',
    paymentTermDays: 5,
    ...overrides,
  };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA PNG of w × h drawn by `pixel(x, y)` → [r, g, b, a]. */
export function png(w: number, h: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc((w * 4 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 4 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (w * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const dataUrl = (buf: Buffer, type = 'png') => `data:image/${type};base64,${buf.toString('base64')}`;

/** A small logo: a blue funnel-ish gradient bar. */
export function testLogo(): string {
  return dataUrl(
    png(240, 60, (x, y) => {
      const inside = y > 8 && y < 52 && x > 4 && x < 236 - Math.abs(30 - y) * 2;
      return inside ? [30, 80 + Math.round((x / 240) * 120), 200, 255] : [255, 255, 255, 0];
    }),
  );
}

/** A round blue "stamp" with a transparent background, as a facsimile. */
export function testFacsimile(): string {
  const size = 160;
  const c = size / 2;
  return dataUrl(
    png(size, size, (x, y) => {
      const d = Math.hypot(x - c, y - c);
      const ring = (d > 70 && d < 76) || (d > 52 && d < 55);
      const stroke = Math.abs(y - (c + 10 * Math.sin(x / 9))) < 1.6 && x > 20 && x < 140;
      return ring || stroke ? [20, 50, 170, 220] : [255, 255, 255, 0];
    }),
  );
}

/** Text of a PDF via poppler's `pdftotext` (null when poppler-utils is not installed). */
export function pdfText(pdf: Buffer): string | null {
  try {
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 16 * 1024 * 1024 }).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
