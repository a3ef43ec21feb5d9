import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupConfig } from '../../../config.js';
import { targetError } from './common.js';
import { createTargets } from './index.js';
import { parseS3Url } from './s3.js';
import { parseSftpUrl } from './sftp.js';
import { parseWebdavUrl } from './webdav.js';

const base: BackupConfig = { dir: '/tmp/b', keep: 7, schedule: 'off', passphrase: null, s3Url: null, webdavUrl: null, sftpUrl: null };
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-target-urls-'));
const keyFile = path.join(keyDir, 'id_ed25519');
fs.writeFileSync(keyFile, 'not read until a connection');
afterAll(() => fs.rmSync(keyDir, { recursive: true, force: true }));
const fingerprint = `SHA256:${'x'.repeat(43)}`;

/** The startup error of a configuration, checked to name its variable and never to repeat the URL's secret. */
function refused(config: Partial<BackupConfig>, secret = 'S3cr3t'): string {
  try {
    createTargets({ ...base, ...config });
  } catch (err) {
    const message = (err as Error).message;
    expect(message).not.toContain(secret);
    return message;
  }
  throw new Error('адрес принят');
}

describe('createTargets: the URLs of VORONKA_BACKUP_*_URL', () => {
  it('builds nothing when no URL is configured, and each configured target in order', () => {
    expect(createTargets(base)).toEqual([]);
    const targets = createTargets({
      ...base,
      s3Url: 's3://AK:S3cr3t@storage.yandexcloud.net/voronka?region=ru-central1',
      webdavUrl: 'https://me:S3cr3t@webdav.yandex.ru/voronka-backups',
      sftpUrl: `sftp://backup:S3cr3t@backup.example.ru:2222/srv/voronka?hostKey=${fingerprint}`,
    });
    expect(targets.map((t) => [t.kind, t.label])).toEqual([
      ['s3', 's3://storage.yandexcloud.net/voronka/'],
      ['webdav', 'https://webdav.yandex.ru/voronka-backups/'],
      ['sftp', 'sftp://backup.example.ru:2222/srv/voronka'],
    ]);
  });

  it('S3: keys are percent-decoded; tls, pathStyle, region and the folder are read', () => {
    expect(parseS3Url('s3://AK%40x:a%2Fb%2Bc%25d+e@minio.local:9000/bucket/daily/voronka?tls=false&pathStyle=true&region=ru-1')).toEqual({
      endpoint: 'http://minio.local:9000',
      region: 'ru-1',
      pathStyle: true,
      accessKeyId: 'AK@x',
      secretAccessKey: 'a/b+c%d+e',
      bucket: 'bucket',
      prefix: 'daily/voronka/',
      label: 's3://minio.local:9000/bucket/daily/voronka/',
    });
    const defaults = parseS3Url('s3://AK:SK@s3.ru-1.storage.selcloud.ru/b');
    expect([defaults.endpoint, defaults.region, defaults.pathStyle, defaults.prefix]).toEqual([
      'https://s3.ru-1.storage.selcloud.ru',
      'us-east-1',
      true,
      '',
    ]);
    expect(parseS3Url('s3://AK:SK@hb.ru-msk.vkcloud-storage.ru/b?pathStyle=false').pathStyle).toBe(false);
  });

  it('WebDAV: user and password are percent-decoded; the folder always ends with /', () => {
    expect(parseWebdavUrl('https://me%40ya.ru:p%3Aw%2Fd@webdav.yandex.ru/Резервные%20копии')).toEqual({
      origin: 'https://webdav.yandex.ru',
      username: 'me@ya.ru',
      password: 'p:w/d',
      folder: '/Резервные копии/',
      label: 'https://webdav.yandex.ru/%D0%A0%D0%B5%D0%B7%D0%B5%D1%80%D0%B2%D0%BD%D1%8B%D0%B5%20%D0%BA%D0%BE%D0%BF%D0%B8%D0%B8/',
    });
  });

  it('SFTP: password or key file, pinned host keys, absolute or home-relative folders', () => {
    const withKey = parseSftpUrl(
      `sftp://backup@h/~/voronka/daily?key=${encodeURIComponent(keyFile)}&hostKey=${fingerprint},SHA256:${'y'.repeat(43)}=`,
    );
    expect(withKey).toMatchObject({ host: 'h', port: 22, username: 'backup', password: null, keyFile, folder: 'voronka/daily' });
    expect(withKey.hostKeys).toEqual(['x'.repeat(43), 'y'.repeat(43)]);
    expect(withKey.label).toBe('sftp://h/~/voronka/daily');
    expect(parseSftpUrl(`sftp://u:p%40ss@h/?hostKey=${fingerprint}`)).toMatchObject({ password: 'p@ss', folder: '/' });
    expect(parseSftpUrl(`sftp://u:p@h/~?hostKey=${fingerprint}`).folder).toBe('.');
  });

  it('refuses invalid URLs at startup, naming the variable and never the secret', () => {
    expect(refused({ s3Url: 'S3cr3t and no scheme' })).toMatch(/^VORONKA_BACKUP_S3_URL: это не адрес; ожидается s3:\/\//);
    expect(refused({ s3Url: 'https://AK:S3cr3t@storage.yandexcloud.net/b' })).toMatch(
      /^VORONKA_BACKUP_S3_URL: адрес должен начинаться с s3:\/\//,
    );
    expect(refused({ s3Url: 's3://AK:S3cr3t@storage.yandexcloud.net/' })).toMatch(/^VORONKA_BACKUP_S3_URL: в адресе нет бакета/);
    expect(refused({ s3Url: 's3://storage.yandexcloud.net/b' })).toMatch(/^VORONKA_BACKUP_S3_URL: нужны ключ доступа и секретный ключ/);
    expect(refused({ s3Url: 's3://AK:S3cr3t@h/b?regoin=ru-central1' })).toBe(
      'VORONKA_BACKUP_S3_URL: неизвестный параметр «regoin»; допустимы: region, tls, pathStyle',
    );
    expect(refused({ s3Url: 's3://AK:S3cr3t@h/b?tls=no' })).toBe('VORONKA_BACKUP_S3_URL: параметр tls должен быть true или false');
    expect(refused({ s3Url: 's3://AK:S3cr3t%zz@h/b' })).toMatch(/^VORONKA_BACKUP_S3_URL: секретный ключ: неверная %-последовательность/);
    expect(refused({ webdavUrl: 'ftp://me:S3cr3t@h/x' })).toMatch(/^VORONKA_BACKUP_WEBDAV_URL: адрес должен начинаться с https: или http:/);
    expect(refused({ sftpUrl: `sftp://h/x?hostKey=${fingerprint}` })).toMatch(/^VORONKA_BACKUP_SFTP_URL: в адресе нет пользователя/);
    expect(refused({ sftpUrl: `sftp://u@h/x?hostKey=${fingerprint}` })).toMatch(/^VORONKA_BACKUP_SFTP_URL: нужен пароль .* или файл ключа/);
    expect(refused({ sftpUrl: `sftp://u@h/x?key=/nonexistent/key&hostKey=${fingerprint}` })).toBe(
      'VORONKA_BACKUP_SFTP_URL: файл ключа /nonexistent/key не найден или не читается',
    );
    expect(refused({ sftpUrl: 'sftp://u:S3cr3t@backup.example.ru:2222/x' })).toBe(
      'VORONKA_BACKUP_SFTP_URL: закрепите ключ сервера: добавьте ?hostKey=SHA256:… (отпечаток печатает «ssh-keyscan -p 2222 backup.example.ru | ssh-keygen -lf -»; сверьте его с сервером)',
    );
    expect(refused({ sftpUrl: 'sftp://u:S3cr3t@h/x?hostKey=MD5:ab:cd' })).toMatch(
      /^VORONKA_BACKUP_SFTP_URL: hostKey «MD5:ab:cd» — не отпечаток SHA256/,
    );
  });

  it('an error nobody classified keeps the library message, with every secret (and its %-encoded form) removed', () => {
    const err = targetError('webdav', 'https://h/f/', null, new Error('PUT https://u:p%2Fw%40d@h/f/ failed: p/w@d rejected'), ['p/w@d']);
    expect(err.message).toBe('WebDAV https://h/f/: ошибка: PUT https://u:***@h/f/ failed: *** rejected');
  });
});
