import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sftpTargetFromUrl, type SftpTarget } from './sftp.js';
import { failure, targetContract } from './target-contract.js';
import { freePort, startSshd, type SshdServer } from './test-servers.js';

// A real SSH server: Debian's OpenSSH sshd on a free port, its keys generated for this run.
describe('SFTP target against OpenSSH sshd', () => {
  let server: SshdServer;
  let target: SftpTarget;

  beforeAll(async () => {
    server = await startSshd();
    target = sftpTargetFromUrl(server.url);
  });
  afterAll(() => server?.close());

  targetContract(() => ({
    target,
    emptyTarget: sftpTargetFromUrl(server.url.replace('/backups?', '/never-written?')),
    readRemote: (name) => fs.promises.readFile(path.join(server.dir, name)),
  }));

  it('created the folder with its parents, and leaves no temporary file behind', () => {
    expect(fs.readdirSync(server.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a wrong password is a clear error that names the target and not the password', async () => {
    const url = new URL(server.url);
    url.password = 'Wr0ng-pass';
    url.searchParams.delete('key');
    const err = await failure(sftpTargetFromUrl(url.href).list());
    expect(err.message).toBe(
      `SFTP sftp://127.0.0.1:${server.port}${server.dir}: неверный пользователь, пароль или ключ (сервер отказал во входе)`,
    );
    expect(err.message).not.toContain('Wr0ng');
  });

  it('a server whose host key is not the pinned one is refused, naming the key it presented', async () => {
    const url = new URL(server.url);
    url.searchParams.set('hostKey', `SHA256:${'A'.repeat(43)}`);
    const err = await failure(sftpTargetFromUrl(url.href).list());
    expect(err.message).toContain(`ключ сервера ${server.hostKey} не совпадает с hostKey из VORONKA_BACKUP_SFTP_URL`);
  });

  it('a port nobody listens on is a refused connection', async () => {
    const port = await freePort();
    const url = new URL(server.url);
    url.port = String(port);
    const err = await failure(sftpTargetFromUrl(url.href).list());
    expect(err.message).toBe(`SFTP sftp://127.0.0.1:${port}${server.dir}: сервер отказал в соединении (ECONNREFUSED)`);
  });
});
