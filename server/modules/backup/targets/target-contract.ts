/**
 * What every target must do, run by each protocol's test against its real server (tests only): upload files (one over
 * 5 MB) byte for byte, list them with their sizes, overwrite, remove one, and treat removing a missing one as done.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { BackupTarget } from './target.js';
import { randomFile, sha256 } from './test-servers.js';

export interface ContractSubject {
  target: BackupTarget;
  /** Another target on the same server whose folder was never written to. */
  emptyTarget: BackupTarget;
  /** The bytes the server holds under `name`, read behind the target's back. */
  readRemote(name: string): Promise<Buffer>;
}

export function targetContract(subject: () => ContractSubject): void {
  const local = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-target-files-'));
  afterAll(() => fs.rmSync(local, { recursive: true, force: true }));
  const files = [
    { name: 'voronka-2026-12-01T03-00-00Z.vbk', size: 1234 },
    { name: 'voronka-2026-12-02T03-00-00Z.vbk', size: 6 * 1024 * 1024 + 17 },
    { name: 'voronka-2026-12-03T03-00-00Z.vbk', size: 1 },
  ];

  it('uploads files (one over 5 MB) byte for byte and lists them with their sizes', async () => {
    const { target, readRemote } = subject();
    for (const f of files) await target.upload(randomFile(local, f.name, f.size), f.name);
    const listed = (await target.list()).sort((a, b) => a.name.localeCompare(b.name));
    expect(listed).toEqual(files.map((f) => ({ name: f.name, size: f.size })));
    for (const f of files) {
      const remote = crypto
        .createHash('sha256')
        .update(await readRemote(f.name))
        .digest('hex');
      expect(remote, f.name).toBe(sha256(path.join(local, f.name)));
    }
  });

  it('overwrites a file uploaded again under the same name', async () => {
    const { target, readRemote } = subject();
    const name = files[0]!.name;
    const file = randomFile(local, name, 4321);
    await target.upload(file, name);
    expect((await target.list()).find((f) => f.name === name)?.size).toBe(4321);
    expect((await readRemote(name)).equals(fs.readFileSync(file))).toBe(true);
  });

  it('removes one file; removing a file already gone is not an error', async () => {
    const { target } = subject();
    await target.remove(files[1]!.name);
    expect((await target.list()).map((f) => f.name).sort()).toEqual([files[0]!.name, files[2]!.name]);
    await expect(target.remove(files[1]!.name)).resolves.toBeUndefined();
    await expect(target.remove('voronka-never-uploaded.vbk')).resolves.toBeUndefined();
  });

  it('lists nothing where nothing was uploaded yet', async () => {
    await expect(subject().emptyTarget.list()).resolves.toEqual([]);
  });
}

/** The error `promise` rejects with, failing the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(result instanceof Error)) throw new Error(`ожидалась ошибка, получено ${String(result)}`);
  return result;
}
