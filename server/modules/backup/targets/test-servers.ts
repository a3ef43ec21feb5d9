/**
 * Real servers for the target tests, started as the tests need them and stopped after (tests only):
 * - SFTP: Debian's OpenSSH server (`/usr/sbin/sshd -D -e -f cfg`) on a free port, with a host key and a user key
 *   generated into a temporary folder;
 * - WebDAV: `rclone serve webdav` over a temporary folder, with a user and password;
 * - S3: s3rver in process. It is the one outer-edge fake (a small S3 re-implementation, not a real object store):
 *   MinIO is not packaged by Debian.
 * A missing program is a failure with the package to install (.ci/run installs both), never a skipped test.
 * Each server can be stopped and started again on the same port (a target that refuses, then comes back); starting
 * a running one does nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SSHD = '/usr/sbin/sshd';
const RCLONE = 'rclone';

export interface TestServer {
  port: number;
  /** Where the server keeps what it is sent (SFTP: the folder the URL names; WebDAV and S3: the served root). */
  dir: string;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function requireProgram(command: string, pkg: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`Для тестов копий вне сервера нужна программа ${command}: apt-get install ${pkg} (.ci/run ставит её).`);
  return found;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `ready` until it answers true; fails early if `child` exits, with what it printed. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, child?: ChildProcess & { output?: string }): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what}: процесс завершился (${child.exitCode}): ${child.output ?? ''}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: не готов за 20 с. ${child?.output ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True once something on the port answers with a first line starting with `prefix` (or anything, without one). */
function answers(port: number, prefix?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
    if (!prefix) socket.once('connect', () => done(true));
    else socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith(prefix)));
  });
}

function startChild(command: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess & { output: string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env }) as ChildProcess & { output: string };
  child.output = '';
  const keep = (chunk: Buffer) => {
    child.output = (child.output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

function running(child: ChildProcess | null): child is ChildProcess {
  return !!child && child.exitCode === null && child.signalCode === null;
}

async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `voronka-${label}-`));
}

export interface SshdServer extends TestServer {
  user: string;
  keyFile: string;
  /** `SHA256:…` of the server's host key, as `ssh-keygen -lf` prints it. */
  hostKey: string;
}

export async function startSshd(): Promise<SshdServer> {
  if (!fs.existsSync(SSHD)) requireProgram('sshd', 'openssh-server');
  requireProgram('ssh-keygen', 'openssh-client');
  const root = tempDir('sshd');
  const keygen = (file: string) => {
    const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'voronka-test', '-f', file], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`ssh-keygen: ${result.stderr}`);
  };
  keygen(path.join(root, 'host_key'));
  keygen(path.join(root, 'user_key'));
  fs.copyFileSync(path.join(root, 'user_key.pub'), path.join(root, 'authorized_keys'));
  const hostKey = spawnSync('ssh-keygen', ['-lf', path.join(root, 'host_key.pub')], { encoding: 'utf8' }).stdout.split(' ')[1]!;
  // sshd started by root wants its privilege-separation folder (created by the package's service, which is not running).
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = os.userInfo().username;
  const port = await freePort();
  const dir = path.join(root, 'remote', 'backups');
  fs.writeFileSync(
    path.join(root, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(root, 'host_key')}`,
      'PidFile none',
      `AuthorizedKeysFile ${path.join(root, 'authorized_keys')}`,
      // The temporary folder's modes are not what StrictModes expects of a home; the keys are ours.
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  let child: (ChildProcess & { output: string }) | null = null;
  const server: SshdServer = {
    port,
    dir,
    user,
    keyFile: path.join(root, 'user_key'),
    hostKey,
    url: `sftp://${user}@127.0.0.1:${port}${dir}?key=${encodeURIComponent(path.join(root, 'user_key'))}&hostKey=${encodeURIComponent(hostKey)}`,
    async start() {
      if (running(child)) return;
      child = startChild(SSHD, ['-D', '-e', '-f', path.join(root, 'sshd_config')]);
      await waitUntil('sshd', () => answers(port, 'SSH-2.0'), child);
    },
    async stop() {
      await stopChild(child);
      child = null;
    },
    async close() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface WebdavServer extends TestServer {
  user: string;
  password: string;
}

export async function startWebdav(): Promise<WebdavServer> {
  const rclone = requireProgram(RCLONE, 'rclone');
  const root = tempDir('webdav');
  const dir = path.join(root, 'served');
  fs.mkdirSync(dir);
  const config = path.join(root, 'rclone.conf');
  fs.writeFileSync(config, '');
  const user = 'voronka';
  const password = `p@ss:${crypto.randomBytes(6).toString('hex')}/%`;
  const port = await freePort();
  let child: (ChildProcess & { output: string }) | null = null;
  const server: WebdavServer = {
    port,
    dir,
    user,
    password,
    url: `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/voronka/backups/`,
    async start() {
      if (running(child)) return;
      child = startChild(rclone, [
        'serve',
        'webdav',
        dir,
        '--addr',
        `127.0.0.1:${port}`,
        '--user',
        user,
        '--pass',
        password,
        '--config',
        config,
      ]);
      await waitUntil('rclone serve webdav', () => answers(port), child);
    },
    async stop() {
      await stopChild(child);
      child = null;
    },
    async close() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

interface S3rverInstance {
  run(): Promise<net.AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export const S3RVER_KEY = 'S3RVER';

export async function startS3(bucket = 'voronka'): Promise<TestServer> {
  // s3rver ships no types; it is CommonJS.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const root = tempDir('s3');
  const port = await freePort();
  let instance: S3rverInstance | null = null;
  const server: TestServer = {
    port,
    dir: root,
    url: `s3://${S3RVER_KEY}:${S3RVER_KEY}@127.0.0.1:${port}/${bucket}/voronka/backups?tls=false&region=ru-central1`,
    async start() {
      if (instance) return;
      instance = new S3rver({
        address: '127.0.0.1',
        port,
        silent: true,
        directory: root,
        configureBuckets: [{ name: bucket, configs: [] }],
      });
      await instance.run();
      await waitUntil('s3rver', () => answers(port));
    },
    async stop() {
      await instance?.close();
      instance = null;
    },
    async close() {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** A file of `size` random bytes in a temporary folder. */
export function randomFile(dir: string, name: string, size: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, crypto.randomBytes(size));
  return file;
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
