// Finds where container cgroups can go: cgroup v2 when its memory, cpu and pids controllers are
// available, else the v1 hierarchies of those controllers (this machine has only v1 ones).
// v1 groups nest under the cgroup this process is in (the notes' advice); v2 groups sit under
// the v2 root, the one cgroup exempt from the "no processes in inner nodes" rule.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const cgroupControllers = ['memory', 'cpu', 'pids'] as const;
export type CgroupController = (typeof cgroupControllers)[number];

export type CgroupLayout =
  { version: 1; parents: Record<CgroupController, string> } | { version: 2; root: string };

export type CgroupLayoutResult = { ok: true; layout: CgroupLayout } | { ok: false; error: string };

interface MountEntry {
  target: string;
  fsType: string;
  options: string[];
}

export async function detectCgroupLayout(): Promise<CgroupLayoutResult> {
  const mounts = parseMounts(await readFile('/proc/self/mounts', 'utf8'));
  const membership = parseMembership(await readFile('/proc/self/cgroup', 'utf8'));
  const v2 = await detectV2(mounts);
  if (v2 !== undefined) return { ok: true, layout: v2 };
  const parents: Partial<Record<CgroupController, string>> = {};
  const missing: string[] = [];
  for (const controller of cgroupControllers) {
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.options.includes(controller));
    const path = membership.get(controller);
    if (mount === undefined || path === undefined) missing.push(controller);
    else parents[controller] = join(mount.target, path);
  }
  if (missing.length > 0) {
    const error =
      `the cgroup controllers ${missing.join(', ')} are not mounted ` +
      `(neither as cgroup v1 hierarchies nor enabled in cgroup v2)`;
    return { ok: false, error };
  }
  return { ok: true, layout: { version: 1, parents: parents as Record<CgroupController, string> } };
}

async function detectV2(mounts: MountEntry[]): Promise<CgroupLayout | undefined> {
  for (const mount of mounts.filter((m) => m.fsType === 'cgroup2')) {
    const text = await readFile(join(mount.target, 'cgroup.controllers'), 'utf8').catch(() => '');
    const available = text.trim().split(/\s+/);
    if (cgroupControllers.every((c) => available.includes(c))) {
      return { version: 2, root: mount.target };
    }
  }
  return undefined;
}

function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [, target = '', fsType = '', options = ''] = line.split(' ');
      return { target: unescapeMount(target), fsType, options: options.split(',') };
    });
}

/** /proc/self/cgroup: controller → path (v1 lines `N:a,b:/path`). */
function parseMembership(text: string): Map<string, string> {
  const membership = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match === null) continue;
    for (const controller of (match[1] ?? '').split(',')) {
      if (controller !== '') membership.set(controller, match[2] ?? '/');
    }
  }
  return membership;
}

/** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
export function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}
