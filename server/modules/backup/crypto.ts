/**
 * Encryption of backup files: AES-256-GCM in chunks (the STREAM construction), key from the passphrase by scrypt.
 *
 * File = header + chunks. Header (HEADER_SIZE bytes):
 *   magic «VORONKA-BACKUP-ENC1» (19) · scrypt log2 N (1) · r (1) · p (1) · salt (16) · nonce prefix (7) ·
 *   chunk size u32 BE (4) · key check (16) · file length u64 BE (8)
 * Every chunk holds up to `chunk size` plaintext bytes, encrypted with nonce = prefix ‖ chunk number u32 ‖ last-flag
 * byte and the header (without the length) as associated data, followed by its 16-byte tag. The last chunk (possibly
 * empty) carries last-flag 1, so a file cut at a chunk boundary is detected as well as a cut inside one; a changed
 * byte anywhere fails a tag. The key check (HMAC of a constant under a second derived key) tells a wrong passphrase
 * from a damaged file before any chunk is read; the length (written when the file is complete) tells a truncated
 * file from an altered one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { BackupFileError } from './errors.js';

export const ENC_MAGIC = Buffer.from('VORONKA-BACKUP-ENC1', 'ascii');
const SALT = 16;
const PREFIX = 7;
const CHECK = 16;
const TAG = 16;
/** Bytes of the header covered by the tags (everything but the trailing file length). */
const AAD_SIZE = ENC_MAGIC.length + 3 + SALT + PREFIX + 4 + CHECK;
export const HEADER_SIZE = AAD_SIZE + 8;
const DEFAULT_CHUNK = 64 * 1024;
const SCRYPT = { logN: 15, r: 8, p: 1 };

interface Keys {
  enc: Buffer;
  check: Buffer;
}

function deriveKeys(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Keys {
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) throw new BackupFileError('damaged');
  const N = 2 ** logN;
  const out = crypto.scryptSync(passphrase.normalize('NFC'), salt, 64, { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 });
  return { enc: out.subarray(0, 32), check: out.subarray(32) };
}

const keyCheck = (keys: Keys) => crypto.createHmac('sha256', keys.check).update('voronka-backup-key-check').digest().subarray(0, CHECK);

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX);
  n[11] = last ? 1 : 0;
  return n;
}

/** A transform that encrypts; `header` must be written first (it is pushed by the stream itself). */
export class EncryptStream extends Transform {
  private buf: Buffer[] = [];
  private size = 0;
  private index = 0;
  private readonly keys: Keys;
  private readonly aad: Buffer;
  private readonly prefix: Buffer;
  private readonly chunk: number;

  constructor(passphrase: string, opts: { chunkSize?: number } = {}) {
    super();
    this.chunk = opts.chunkSize ?? DEFAULT_CHUNK;
    const salt = crypto.randomBytes(SALT);
    this.prefix = crypto.randomBytes(PREFIX);
    this.keys = deriveKeys(passphrase, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p);
    const chunkSize = Buffer.alloc(4);
    chunkSize.writeUInt32BE(this.chunk);
    this.aad = Buffer.concat([
      ENC_MAGIC,
      Buffer.from([SCRYPT.logN, SCRYPT.r, SCRYPT.p]),
      salt,
      this.prefix,
      chunkSize,
      keyCheck(this.keys),
    ]);
    // The length is unknown until the end: zero here, set by `finishEncryptedFile`.
    this.push(Buffer.concat([this.aad, Buffer.alloc(8)]));
  }

  private seal(plain: Buffer, last: boolean): Buffer {
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys.enc, nonce(this.prefix, this.index++, last));
    cipher.setAAD(this.aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf.push(data);
    this.size += data.length;
    // Keep at least one byte back: only the flush knows which chunk is the last.
    if (this.size > this.chunk) {
      let all = Buffer.concat(this.buf);
      while (all.length > this.chunk) {
        this.push(this.seal(all.subarray(0, this.chunk), false));
        all = all.subarray(this.chunk);
      }
      this.buf = [all];
      this.size = all.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.push(this.seal(Buffer.concat(this.buf), true));
    done();
  }
}

/** Writes the final length into the header of a complete encrypted file. */
export async function finishEncryptedFile(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r+');
  try {
    const { size } = await fh.stat();
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(size));
    await fh.write(len, 0, 8, AAD_SIZE);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface EncryptedHeader {
  aad: Buffer;
  keys: Keys;
  prefix: Buffer;
  chunk: number;
}

/**
 * Reads and checks an encrypted file's header: the length (truncated?), then the passphrase (key check).
 * Throws BackupFileError with its own code for each.
 */
export async function openEncrypted(file: string, passphrase: string | null): Promise<EncryptedHeader> {
  const fh = await fs.promises.open(file, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(HEADER_SIZE);
    const { bytesRead } = await fh.read(head, 0, HEADER_SIZE, 0);
    if (bytesRead < HEADER_SIZE) throw new BackupFileError('truncated');
  } finally {
    await fh.close();
  }
  const declared = Number(head.readBigUInt64BE(AAD_SIZE));
  if (declared === 0) throw new BackupFileError('truncated');
  if (size < declared) throw new BackupFileError('truncated');
  if (size > declared) throw new BackupFileError('damaged');
  if (!passphrase) throw new BackupFileError('passphrase_required');
  let o = ENC_MAGIC.length;
  const [logN, r, p] = [head[o], head[o + 1], head[o + 2]];
  o += 3;
  const salt = head.subarray(o, (o += SALT));
  const prefix = head.subarray(o, (o += PREFIX));
  const chunk = head.readUInt32BE(o);
  o += 4;
  const check = head.subarray(o, o + CHECK);
  if (chunk < 1024 || chunk > 16 * 1024 * 1024) throw new BackupFileError('damaged');
  const keys = deriveKeys(passphrase, salt, logN, r, p);
  if (!crypto.timingSafeEqual(keyCheck(keys), check)) throw new BackupFileError('wrong_passphrase');
  return { aad: head.subarray(0, AAD_SIZE), keys, prefix, chunk };
}

/** A transform that decrypts the chunks (the input starts after the header); a bad tag or a cut file throws. */
export class DecryptStream extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private index = 0;
  private readonly sealed: number;

  constructor(private header: EncryptedHeader) {
    super();
    this.sealed = header.chunk + TAG;
  }

  private open(sealed: Buffer, last: boolean): Buffer {
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.header.keys.enc, nonce(this.header.prefix, this.index, last));
    decipher.setAAD(this.header.aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
    this.index++;
    return plain;
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    try {
      while (this.buf.length > this.sealed) {
        this.push(this.open(this.buf.subarray(0, this.sealed), false));
        this.buf = this.buf.subarray(this.sealed);
      }
    } catch {
      return done(new BackupFileError('damaged'));
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.buf.length < TAG) return done(new BackupFileError('truncated'));
    try {
      this.push(this.open(this.buf, true));
      done();
    } catch {
      // A whole chunk that opens as a middle one: the file ended where more chunks were due.
      try {
        this.open(this.buf, false);
        done(new BackupFileError('truncated'));
      } catch {
        done(new BackupFileError('damaged'));
      }
    }
  }
}

/** Whether a file starts like an encrypted backup. */
export async function isEncrypted(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(ENC_MAGIC.length);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(ENC_MAGIC);
  } finally {
    await fh.close();
  }
}
