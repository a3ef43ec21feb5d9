import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, targetContract } from './target-contract.js';
import { freePort, startWebdav, type WebdavServer } from './test-servers.js';
import { webdavTargetFromUrl, type WebdavTarget } from './webdav.js';

// A real WebDAV server: `rclone serve webdav` (Debian's rclone) over a temporary folder.
describe('WebDAV target against rclone serve webdav', () => {
  let server: WebdavServer;
  let target: WebdavTarget;

  beforeAll(async () => {
    server = await startWebdav();
    target = webdavTargetFromUrl(server.url);
  });
  afterAll(() => server?.close());

  targetContract(() => ({
    target,
    emptyTarget: webdavTargetFromUrl(server.url.replace('/backups/', '/never-written/')),
    readRemote: (name) => fs.promises.readFile(path.join(server.dir, 'voronka', 'backups', name)),
  }));

  it('created the folder with its parents, and leaves no temporary file behind', () => {
    expect(fs.readdirSync(path.join(server.dir, 'voronka', 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a wrong password is a clear error that names the target and not the password', async () => {
    const wrong = webdavTargetFromUrl(server.url.replace(encodeURIComponent(server.password), 'Wr0ng%2Fpass'));
    const err = await failure(wrong.list());
    expect(err.message).toBe(`WebDAV http://127.0.0.1:${server.port}/voronka/backups/: неверный пользователь или пароль (HTTP 401)`);
    expect(err.message).not.toContain('Wr0ng');
    const file = path.join(server.dir, '..', 'local.vbk');
    fs.writeFileSync(file, 'x');
    expect((await failure(wrong.upload(file, 'local.vbk'))).message).toContain('неверный пользователь или пароль');
  });

  it('a port nobody listens on is a refused connection', async () => {
    const port = await freePort();
    const err = await failure(webdavTargetFromUrl(`http://u:secret@127.0.0.1:${port}/backups/`).list());
    expect(err.message).toBe(`WebDAV http://127.0.0.1:${port}/backups/: сервер отказал в соединении (ECONNREFUSED)`);
  });
});
