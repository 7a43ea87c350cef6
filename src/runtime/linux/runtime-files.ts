// Where a LinuxRuntime keeps its state, and atomic JSON files. Layout under the data dir:
//   images/<name>/<tag>/rootfs                 shared by every node (see image-store.ts)
//   nodes/<node>/sandboxes/<id>/state.json, netns
//   nodes/<node>/containers/<id>/state.json, container.log, exit, upper/, work/, merged/

import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface RuntimePaths {
  imagesDir: string;
  nodeDir: string;
  sandboxesDir: string;
  containersDir: string;
  /** The per-runtime cgroup group name (unique per data dir and node). */
  cgroupGroup: string;
}

export function runtimePaths(dataDir: string, nodeName: string): RuntimePaths {
  const root = resolve(dataDir);
  const nodeDir = join(root, 'nodes', nodeName);
  const hash = createHash('sha256').update(nodeDir).digest('hex').slice(0, 12);
  return {
    imagesDir: join(root, 'images'),
    nodeDir,
    sandboxesDir: join(nodeDir, 'sandboxes'),
    containersDir: join(nodeDir, 'containers'),
    cgroupGroup: `miniku-${nodeName.slice(0, 100)}-${hash}`,
  };
}

/** 64 hex digits, as container runtimes print ids. */
export function newRuntimeId(): string {
  return randomBytes(32).toString('hex');
}

/** True for ids this runtime makes (and so for directory names it may delete). */
export function isRuntimeId(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}

/** Writes JSON so a reader never sees half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const staged = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(staged, `${JSON.stringify(value)}\n`);
  await rename(staged, path);
}

/** The parsed file, or undefined when it is missing or not JSON. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
