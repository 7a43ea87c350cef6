// One container's cgroup(s): created with the limits from resources.limits, read for the OOM
// kill counter, emptied with SIGKILL and removed. v1 has one directory per controller, v2 one.
// The record is plain JSON so a restarted runtime can find and clean what it left.

import { readFileSync } from 'node:fs';
import { access, mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResourceLimits } from '../../control/ports/container-runtime.js';
import { cgroupControllers, type CgroupLayout } from './cgroup-layout.js';

export interface CgroupRecord {
  version: 1 | 2;
  /** Every directory of the container's cgroup; v1: memory, cpu, pids; v2: one. */
  dirs: string[];
  /** The directory holding the memory files (and the OOM counter). */
  memoryDir: string;
}

const cpuPeriodUs = 100_000;
const cpuQuotaUsMin = 1_000;
const removeAttemptsMax = 50;
const removeRetryMs = 10;
const killRoundsMax = 20;

/** Creates `<group>/<name>` in every hierarchy and writes the limits. */
export async function createCgroup(
  layout: CgroupLayout,
  options: { group: string; name: string; limits: ResourceLimits },
): Promise<CgroupRecord> {
  if (layout.version === 2) {
    const groupDir = join(layout.root, options.group);
    await enableV2Controllers(layout.root);
    await mkdir(groupDir, { recursive: true });
    await enableV2Controllers(groupDir);
    const dir = join(groupDir, options.name);
    await makeDir(dir);
    const record: CgroupRecord = { version: 2, dirs: [dir], memoryDir: dir };
    await writeV2Limits(dir, options.limits);
    return record;
  }
  const dirOf = (c: (typeof cgroupControllers)[number]) =>
    join(layout.parents[c], options.group, options.name);
  const dirs = cgroupControllers.map(dirOf);
  for (const dir of dirs) await makeDir(dir);
  const record: CgroupRecord = { version: 1, dirs, memoryDir: dirOf('memory') };
  await writeV1Limits(dirOf('memory'), dirOf('cpu'), dirOf('pids'), options.limits);
  return record;
}

async function enableV2Controllers(dir: string): Promise<void> {
  const wanted = cgroupControllers.map((c) => `+${c}`).join(' ');
  await writeFile(join(dir, 'cgroup.subtree_control'), wanted);
}

async function writeV1Limits(
  memoryDir: string,
  cpuDir: string,
  pidsDir: string,
  limits: ResourceLimits,
): Promise<void> {
  if (limits.memoryBytes > 0) {
    await writeFile(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    const swap = join(memoryDir, 'memory.memsw.limit_in_bytes');
    if (await exists(swap)) await writeFile(swap, String(limits.memoryBytes));
  }
  if (limits.cpuMillis > 0) {
    await writeFile(join(cpuDir, 'cpu.cfs_period_us'), String(cpuPeriodUs));
    await writeFile(join(cpuDir, 'cpu.cfs_quota_us'), String(cpuQuotaUs(limits.cpuMillis)));
  }
  if (limits.pidsMax > 0) await writeFile(join(pidsDir, 'pids.max'), String(limits.pidsMax));
}

async function writeV2Limits(dir: string, limits: ResourceLimits): Promise<void> {
  if (limits.memoryBytes > 0) {
    await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes));
    const swap = join(dir, 'memory.swap.max');
    if (await exists(swap)) await writeFile(swap, '0');
  }
  if (limits.cpuMillis > 0) {
    await writeFile(join(dir, 'cpu.max'), `${cpuQuotaUs(limits.cpuMillis)} ${cpuPeriodUs}`);
  }
  if (limits.pidsMax > 0) await writeFile(join(dir, 'pids.max'), String(limits.pidsMax));
}

/** The kubelet's formula: quota = millis × period / 1000, at least 1 ms. */
export function cpuQuotaUs(cpuMillis: number): number {
  return Math.max(cpuQuotaUsMin, Math.trunc((cpuMillis * cpuPeriodUs) / 1000));
}

/** The files a process writes its pid into to join the cgroup. */
export function procsFiles(record: CgroupRecord): string[] {
  return record.dirs.map((dir) => join(dir, 'cgroup.procs'));
}

/** How often the kernel's OOM killer killed a process of this cgroup. */
export async function oomKillCount(record: CgroupRecord): Promise<number> {
  const file = record.version === 1 ? 'memory.oom_control' : 'memory.events';
  const text = await readFile(join(record.memoryDir, file), 'utf8').catch(() => '');
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match === null ? 0 : Number(match[1]);
}

/** Host pids of the processes in the cgroup. */
export async function cgroupPids(record: CgroupRecord): Promise<number[]> {
  const pids = new Set<number>();
  for (const file of procsFiles(record)) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line !== '') pids.add(Number(line));
  }
  return [...pids].sort((a, b) => a - b);
}

/** SIGKILLs every process in the cgroup until it is empty (bounded). */
export async function killCgroup(record: CgroupRecord): Promise<void> {
  for (let round = 0; round < killRoundsMax; round += 1) {
    const pids = await cgroupPids(record);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    await delay(removeRetryMs);
  }
}

/** Removes the cgroup's directories (and the group's when it became empty). */
export async function removeCgroup(record: CgroupRecord): Promise<void> {
  for (const dir of record.dirs) {
    await removeDir(dir);
    await rmdir(join(dir, '..')).catch(() => undefined);
  }
}

/** mkdir -p, once more if a concurrent removeCgroup took the group directory away meanwhile. */
async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
  }
}

async function removeDir(dir: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= removeAttemptsMax) throw error;
      await delay(removeRetryMs);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Kills and removes the container cgroups of `group` that are not in `keepNames` (left by a
 * runtime that crashed); resolves with how many it removed.
 */
export async function sweepCgroupGroup(
  layout: CgroupLayout,
  group: string,
  keepNames: ReadonlySet<string>,
): Promise<number> {
  const parents =
    layout.version === 1 ? cgroupControllers.map((c) => layout.parents[c]) : [layout.root];
  const strays = new Set<string>();
  for (const parent of parents) {
    const names = await readdir(join(parent, group), { withFileTypes: true }).catch(() => []);
    for (const entry of names) {
      if (entry.isDirectory() && !keepNames.has(entry.name)) strays.add(entry.name);
    }
  }
  for (const name of [...strays].sort()) {
    const dirs = parents.map((parent) => join(parent, group, name));
    const record: CgroupRecord = { version: layout.version, dirs, memoryDir: dirs[0] ?? '' };
    await killCgroup(record);
    await removeCgroup(record);
  }
  return strays.size;
}

/** One synchronous round of SIGKILL to the container's processes (for a forced exit). */
export function killCgroupNow(record: { cgroup: CgroupRecord | undefined }): void {
  if (record.cgroup === undefined) return;
  for (const file of procsFiles(record.cgroup)) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        process.kill(Number(line), 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
  }
}

/** Removes the per-runtime group directories if no container cgroup is left in them. */
export async function removeEmptyGroup(layout: CgroupLayout, group: string): Promise<void> {
  const parents =
    layout.version === 1 ? cgroupControllers.map((c) => layout.parents[c]) : [layout.root];
  for (const parent of parents) await rmdir(join(parent, group)).catch(() => undefined);
}
