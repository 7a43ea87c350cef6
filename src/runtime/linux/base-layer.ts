// The base layer every container's overlay puts above its image: the mount points (/proc, /sys,
// /.oldroot) and a small /dev (null, zero, full, random, urandom, tty, the fd links, shm, pts).
// Built once per node directory, published with one rename; device nodes written through the
// overlay reach the devices, so the data dir must not be on a `nodev` mount.

import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, open, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './run-process.js';

const devices: ReadonlyArray<[string, number, number]> = [
  ['null', 1, 3],
  ['zero', 1, 5],
  ['full', 1, 7],
  ['random', 1, 8],
  ['urandom', 1, 9],
  ['tty', 5, 0],
];

const devLinks: ReadonlyArray<[string, string]> = [
  ['fd', '/proc/self/fd'],
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
];

/** `<nodeDir>/base`, built when missing; rejects when its /dev/null is unusable. */
export async function ensureBaseLayer(nodeDir: string, busyboxPath: string): Promise<string> {
  const layer = join(nodeDir, 'base');
  const present = await access(layer).then(
    () => true,
    () => false,
  );
  if (!present) await buildBaseLayer(nodeDir, layer, busyboxPath);
  const handle = await open(join(layer, 'dev/null'), 'w').catch((error: Error) => {
    throw new Error(`device nodes do not work under ${nodeDir} (a nodev mount?): ${error.message}`);
  });
  await handle.close();
  return layer;
}

async function buildBaseLayer(nodeDir: string, layer: string, busyboxPath: string): Promise<void> {
  const staged = join(nodeDir, `base.tmp-${randomBytes(6).toString('hex')}`);
  for (const dir of ['proc', 'sys', '.oldroot', 'dev/pts', 'dev/shm']) {
    await mkdir(join(staged, dir), { recursive: true });
  }
  await chmod(join(staged, 'dev/shm'), 0o1777);
  const mknod = devices
    .map(([name, major, minor]) => `mknod -m 666 dev/${name} c ${major} ${minor}`)
    .join(' && ');
  await runChecked(busyboxPath, ['sh', '-c', `cd "$1" && ${mknod}`, 'base', staged]);
  for (const [name, target] of devLinks) await symlink(target, join(staged, 'dev', name));
  try {
    await rename(staged, layer);
  } catch (error) {
    await rm(staged, { recursive: true, force: true });
    const code = (error as { code?: string }).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}
