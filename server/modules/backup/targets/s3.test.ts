import os from 'node:os';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Target, parseS3Url, s3TargetFromUrl } from './s3.js';
import { failure, targetContract } from './target-contract.js';
import { S3RVER_KEY, freePort, randomFile, startS3, type TestServer } from './test-servers.js';

// s3rver (in process) is the outer-edge fake S3 server: see test-servers.ts.
describe('S3 target against s3rver', () => {
  let server: TestServer;
  let target: S3Target;

  beforeAll(async () => {
    server = await startS3();
    target = s3TargetFromUrl(server.url);
  });
  afterAll(() => server?.close());

  targetContract(() => ({
    target,
    emptyTarget: s3TargetFromUrl(server.url.replace('/backups?', '/never-written?')),
    async readRemote(name) {
      const opts = parseS3Url(server.url);
      const client = new S3Client({
        endpoint: opts.endpoint,
        region: opts.region,
        forcePathStyle: true,
        credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
      });
      const object = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: opts.prefix + name }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
  }));

  // s3rver checks the access key but not SigV4 signatures, so a wrong secret cannot be shown here: a wrong key can.
  it('a wrong access key is a clear error that names the target and not the secret', async () => {
    const secret = 'Wr0ng/Secret+Key';
    const wrong = s3TargetFromUrl(server.url.replace(`${S3RVER_KEY}:${S3RVER_KEY}@`, `NOBODY:${encodeURIComponent(secret)}@`));
    const err = await failure(wrong.list());
    expect(err.message).toBe(`S3 s3://127.0.0.1:${server.port}/voronka/voronka/backups/: неверный ключ доступа (InvalidAccessKeyId)`);
    expect(err.message).not.toContain('Wr0ng');
  });

  it('a bucket that does not exist is a clear error', async () => {
    const missing = s3TargetFromUrl(server.url.replace('/voronka/voronka/', '/no-such-bucket/'));
    expect((await failure(missing.list())).message).toContain('бакет не найден (NoSuchBucket)');
    const file = randomFile(os.tmpdir(), `voronka-s3-test-${process.pid}.vbk`, 10);
    expect((await failure(missing.upload(file, 'upload.vbk'))).message).toContain('бакет не найден');
  });

  it('a port nobody listens on is a refused connection', async () => {
    const port = await freePort();
    const refused = s3TargetFromUrl(`s3://K:S@127.0.0.1:${port}/voronka?tls=false`);
    const err = await failure(refused.remove('x.vbk'));
    expect(err.message).toBe(`S3 s3://127.0.0.1:${port}/voronka/: сервер отказал в соединении (ECONNREFUSED)`);
  });
});
