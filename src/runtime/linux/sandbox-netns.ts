// A pod sandbox's network namespace, held by a bind mount on a file (as `ip netns` does), so it
// needs no process and survives the runtime. Only loopback, up, carrying the pod IP as a /32:
// the pod reaches itself by its IP; pod-to-pod networking does not exist yet.

import { rm, writeFile } from 'node:fs/promises';
import { mountPointsUnder } from './host-procs.js';
import { runChecked, runProcess } from './run-process.js';

const netnsTimeoutMs = 10_000;

const setupScript = 'ip link set lo up && ip addr add "$1/32" dev lo';

/** Creates the namespace bound at `path` (a new file) with `lo` up and carrying `ip`. */
export async function createNetns(busyboxPath: string, path: string, ip: string): Promise<void> {
  await writeFile(path, '');
  try {
    const setup = [busyboxPath, 'sh', '-c', setupScript, 'netns', ip];
    await runChecked(busyboxPath, ['unshare', `--net=${path}`, ...setup], {
      timeoutMs: netnsTimeoutMs,
    });
  } catch (error) {
    await removeNetns(busyboxPath, path);
    throw error;
  }
}

/** Unmounts (lazily: processes still inside keep it alive) and deletes the file; idempotent. */
export async function removeNetns(busyboxPath: string, path: string): Promise<void> {
  await unmountAll(busyboxPath, path);
  await rm(path, { force: true });
}

/** Lazily unmounts every mount at or below `path` (a file or directory). */
export async function unmountAll(busyboxPath: string, path: string): Promise<void> {
  for (const point of await mountPointsUnder(path)) {
    await runProcess(busyboxPath, ['umount', '-l', point], { timeoutMs: netnsTimeoutMs });
  }
}

/** True when `path` is a mount point (the namespace is held). */
export async function isNetnsMounted(path: string): Promise<boolean> {
  return (await mountPointsUnder(path)).includes(path);
}
