/**
 * An S3-compatible bucket (Yandex Object Storage, VK Cloud, Selectel, MinIO, AWS):
 *   s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/folder]?region=ru-central1&tls=true&pathStyle=true
 * Keys are percent-decoded (`/` in a secret is written `%2F`). `tls` (default true) picks https or http, `pathStyle`
 * (default true: every S3-compatible service accepts it, and dotted bucket names keep a valid certificate) picks
 * `host/bucket/key` over `bucket.host/key`; `region` defaults to us-east-1 (the providers' documentation names theirs).
 * A file goes up as one streamed PutObject with its length (S3 allows up to 5 GiB per PutObject; multipart needs
 * @aws-sdk/lib-storage, not installed).
 */
import fs from 'node:fs';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import { booleanParam, configError, decoded, hostPort, networkReason, parseTargetUrl, queryParams, targetError } from './common.js';
import type { BackupTarget, RemoteBackupFile } from './target.js';

const FORM = 's3://КЛЮЧ:СЕКРЕТ@сервер[:порт]/бакет[/папка]?region=…';
const MAX_PUT = 5 * 1024 ** 3;

export interface S3TargetOptions {
  endpoint: string;
  region: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** '' or a folder ending in `/`. */
  prefix: string;
  label: string;
}

export function parseS3Url(raw: string): S3TargetOptions {
  const url = parseTargetUrl('s3', raw, ['s3:'], FORM);
  const accessKeyId = decoded('s3', url.username, 'ключ доступа');
  const secretAccessKey = decoded('s3', url.password, 'секретный ключ');
  if (!accessKeyId || !secretAccessKey) throw configError('s3', `нужны ключ доступа и секретный ключ; ожидается ${FORM}`);
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => decoded('s3', s, 'путь'));
  const bucket = segments.shift();
  if (!bucket) throw configError('s3', `в адресе нет бакета; ожидается ${FORM}`);
  const params = queryParams('s3', url, ['region', 'tls', 'pathStyle']);
  const tls = booleanParam('s3', params, 'tls', true);
  const prefix = segments.length ? `${segments.join('/')}/` : '';
  return {
    endpoint: `${tls ? 'https' : 'http'}://${hostPort(url)}`,
    region: params.get('region') || 'us-east-1',
    pathStyle: booleanParam('s3', params, 'pathStyle', true),
    accessKeyId,
    secretAccessKey,
    bucket,
    prefix,
    label: `s3://${hostPort(url)}/${bucket}/${prefix}`,
  };
}

export class S3Target implements BackupTarget {
  readonly kind = 's3' as const;
  readonly label: string;
  private readonly client: S3Client;

  constructor(private readonly opts: S3TargetOptions) {
    this.label = opts.label;
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: opts.pathStyle,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      // Checksums only where S3 requires them: the newer default (CRC32 trailers on every upload) is refused by many
      // S3-compatible services.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
      // The SDK warns on the console when a streamed upload fails; the error we throw says it instead.
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  }

  async upload(localPath: string, name: string): Promise<void> {
    const { size } = await fs.promises.stat(localPath);
    if (size > MAX_PUT) throw this.error('файл больше 5 ГиБ: S3 не примет его одним запросом', null);
    const body = fs.createReadStream(localPath);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.opts.prefix + name,
          Body: body,
          ContentLength: size,
          ContentType: 'application/octet-stream',
        }),
      );
    } catch (err) {
      throw this.wrap(err);
    } finally {
      body.destroy();
    }
  }

  async list(): Promise<RemoteBackupFile[]> {
    const files: RemoteBackupFile[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, Delimiter: '/', ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(this.opts.prefix.length);
          if (name) files.push({ name, size: object.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (err) {
      throw this.wrap(err);
    }
    return files;
  }

  async remove(name: string): Promise<void> {
    try {
      // S3 answers 204 for a key that is not there: a file already gone is not an error.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.opts.prefix + name }));
    } catch (err) {
      throw this.wrap(err);
    }
  }

  private wrap(err: unknown): Error {
    return this.error(networkReason(err) ?? s3Reason(err as Partial<S3ServiceException>), err);
  }

  private error(reason: string | null, err: unknown): Error {
    return targetError('s3', this.label, reason, err, [this.opts.secretAccessKey]);
  }
}

function s3Reason(err: Partial<S3ServiceException>): string | null {
  const name = err.name ?? '';
  const status = err.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') return 'бакет не найден (NoSuchBucket)';
  if (name === 'InvalidAccessKeyId') return 'неверный ключ доступа (InvalidAccessKeyId)';
  if (name === 'SignatureDoesNotMatch') return 'неверный секретный ключ (SignatureDoesNotMatch)';
  if (name === 'AccessDenied' || status === 403) return `доступ запрещён: у ключа нет прав на этот бакет (${name || 403})`;
  if (name === 'QuotaExceeded' || name === 'EntityTooLarge' || status === 507)
    return `нет места: превышена квота или размер (${name || status})`;
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed')
    return `бакет в другом регионе: проверьте параметр region (${name})`;
  if (status && status >= 500) return `ошибка на стороне сервера (HTTP ${status}${name ? `, ${name}` : ''})`;
  if (status === 404) return `адрес не найден: проверьте сервер и бакет (HTTP 404${name ? `, ${name}` : ''})`;
  return null;
}

export function s3TargetFromUrl(raw: string): S3Target {
  return new S3Target(parseS3Url(raw));
}
