// Start-up of a LinuxRuntime over an existing data dir: reloads the sandboxes and containers a
// previous runtime recorded (running ones are adopted, as a restarted kubelet expects) and sweeps
// what a crash left half-made: directories without state, containers caught mid-start or whose
// sandbox is gone, stray mounts under the node's directory and stray container cgroups.

import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupLayout } from './cgroup-layout.js';
import { killCgroup, removeCgroup, sweepCgroupGroup } from './container-cgroup.js';
import type { ContainerSupervisor } from './container-supervisor.js';
import { mountPointsUnder } from './host-procs.js';
import type { ContainerRecord, SandboxRecord } from './runtime-records.js';
import { isRuntimeId, readJson, writeJsonAtomic, type RuntimePaths } from './runtime-files.js';
import { isNetnsMounted, unmountAll } from './sandbox-netns.js';

const stagingAgeMsMax = 3_600_000;

export interface SweepOptions {
  paths: RuntimePaths;
  busyboxPath: string;
  supervisor: ContainerSupervisor;
  cgroupLayout: CgroupLayout;
  log: (line: string) => void;
}

export interface LoadedState {
  sandboxes: Map<string, SandboxRecord>;
  containers: Map<string, ContainerRecord>;
}

export async function loadAndSweep(options: SweepOptions): Promise<LoadedState> {
  const { paths } = options;
  await mkdir(paths.sandboxesDir, { recursive: true });
  await mkdir(paths.containersDir, { recursive: true });
  const sandboxes = await loadSandboxes(options);
  const containers = await loadContainers(options, sandboxes);
  await sweepMounts(options, sandboxes);
  await sweepStaging(paths);
  const keep = new Set(
    [...containers.values()].filter((c) => c.cgroup !== undefined).map((c) => c.id),
  );
  const swept = await sweepCgroupGroup(options.cgroupLayout, paths.cgroupGroup, keep);
  if (swept > 0) options.log(`removed ${swept} stray container cgroup(s)`);
  return { sandboxes, containers };
}

async function loadSandboxes(options: SweepOptions): Promise<Map<string, SandboxRecord>> {
  const { paths, busyboxPath, log } = options;
  const sandboxes = new Map<string, SandboxRecord>();
  for (const id of await runtimeIds(paths.sandboxesDir)) {
    const dir = join(paths.sandboxesDir, id);
    const record = await readJson<SandboxRecord>(join(dir, 'state.json'));
    if (record === undefined || record.id !== id) {
      log(`removing sandbox ${id}: it has no state (left by a crash)`);
      await unmountAll(busyboxPath, dir);
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (record.state === 'ready' && !(await isNetnsMounted(record.netnsPath))) {
      record.state = 'notready';
      await writeJsonAtomic(join(dir, 'state.json'), record);
    }
    sandboxes.set(id, record);
  }
  return sandboxes;
}

async function loadContainers(
  options: SweepOptions,
  sandboxes: Map<string, SandboxRecord>,
): Promise<Map<string, ContainerRecord>> {
  const { paths, busyboxPath, supervisor, log } = options;
  const containers = new Map<string, ContainerRecord>();
  for (const id of await runtimeIds(paths.containersDir)) {
    const dir = join(paths.containersDir, id);
    const record = await readJson<ContainerRecord>(join(dir, 'state.json'));
    if (record === undefined || record.id !== id) {
      log(`removing container ${id}: it has no state (left by a crash)`);
      await unmountAll(busyboxPath, dir);
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (!sandboxes.has(record.sandboxId)) {
      log(`removing container ${id}: its sandbox is gone`);
      await supervisor.destroy(record);
      continue;
    }
    if (record.state === 'created' && record.cgroup !== undefined)
      await abandonStart(options, record);
    await supervisor.refresh(record);
    containers.set(id, record);
  }
  return containers;
}

/** A container caught between cgroup creation and running: its start failed. */
async function abandonStart(options: SweepOptions, record: ContainerRecord): Promise<void> {
  if (record.cgroup !== undefined) {
    await killCgroup(record.cgroup);
    await removeCgroup(record.cgroup);
  }
  record.cgroup = undefined;
  record.state = 'exited';
  record.exitCode = 128;
  record.reason = 'StartError';
  record.message = 'the runtime stopped while the container was starting';
  await options.supervisor.save(record);
}

/** Unmounts whatever is mounted under the node's directory except ready sandboxes' netns. */
async function sweepMounts(
  options: SweepOptions,
  sandboxes: Map<string, SandboxRecord>,
): Promise<void> {
  const held = new Set(
    [...sandboxes.values()].filter((s) => s.state === 'ready').map((s) => s.netnsPath),
  );
  for (const point of await mountPointsUnder(options.paths.nodeDir)) {
    if (held.has(point)) continue;
    options.log(`unmounting stray ${point}`);
    await unmountAll(options.busyboxPath, point);
  }
}

/** Staging directories of interrupted builds: the base layer's (this node's alone) and image
 * builds or imports in the shared store that are over an hour old (younger ones may be running). */
async function sweepStaging(paths: RuntimePaths): Promise<void> {
  for (const name of await readdir(paths.nodeDir).catch(() => [] as string[])) {
    if (name.startsWith('base.tmp-')) await rm(join(paths.nodeDir, name), { recursive: true });
  }
  const staging = join(paths.imagesDir, '.tmp');
  for (const name of await readdir(staging).catch(() => [] as string[])) {
    const dir = join(staging, name);
    const ageMs =
      Date.now() -
      (await stat(dir).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      ));
    if (ageMs > stagingAgeMsMax) await rm(dir, { recursive: true, force: true });
  }
}

async function runtimeIds(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter(isRuntimeId).sort();
}
