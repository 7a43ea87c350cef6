// Test support for the Linux runtime: a root guard that skips with a visible reason (and fails
// instead when MINIKU_REQUIRE_ROOT=1, as CI sets it), and a fixture that builds runtimes over a
// temporary data dir and removes everything they made, even after a failed test.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type {
  ContainerConfig,
  ContainerStatus,
  PodSandboxConfig,
} from '../../../control/ports/container-runtime.js';
import { WallClock } from '../../wall-clock.js';
import { LinuxRuntime } from '../linux-runtime.js';
import { mountPointsUnder, processStartTicks } from '../host-procs.js';
import { runtimePaths } from '../runtime-files.js';
import type { ContainerRecord } from '../runtime-records.js';

/** Why the Linux runtime cannot run here, or undefined. */
export const linuxUnavailable = await LinuxRuntime.check();

/** describe() for tests that need root and namespaces; never a silent skip. */
export function describeLinux(name: string, body: () => void): void {
  if (linuxUnavailable === undefined) {
    describe(name, body);
  } else if (process.env.MINIKU_REQUIRE_ROOT === '1') {
    describe(name, () => {
      it('can run, since MINIKU_REQUIRE_ROOT=1 demands it', () => {
        throw new Error(`the Linux runtime cannot run here: ${linuxUnavailable}`);
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": ${linuxUnavailable}\n`);
    describe.skip(`${name} [skipped: ${linuxUnavailable}]`, body);
  }
}

export interface LinuxFixture {
  dataDir: string;
  /** What the runtimes logged. */
  logLines: string[];
  newRuntime(nodeName?: string): LinuxRuntime;
  /** Removes every sandbox of every runtime made, then the data dir. */
  cleanup(): Promise<void>;
}

export async function linuxFixture(): Promise<LinuxFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'miniku-linux-'));
  const runtimes: LinuxRuntime[] = [];
  const logLines: string[] = [];
  return {
    dataDir,
    logLines,
    newRuntime(nodeName = 'node-1') {
      const log = (line: string) => void logLines.push(line);
      const runtime = new LinuxRuntime({ dataDir, nodeName, clock: new WallClock(), log });
      runtimes.push(runtime);
      return runtime;
    },
    async cleanup() {
      for (const runtime of runtimes.reverse()) {
        for (const sandbox of await runtime.listPodSandboxes().catch(() => [])) {
          await runtime.removePodSandbox(sandbox.id).catch(() => undefined);
        }
        await runtime.close().catch(() => undefined);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function sandboxConfig(name: string, uid = `uid-${name}`): PodSandboxConfig {
  return {
    name,
    namespace: 'default',
    uid,
    attempt: 0,
    hostname: name,
    labels: { 'io.kubernetes.pod.uid': uid },
  };
}

export function containerConfig(
  name: string,
  command: string[],
  overrides: Partial<ContainerConfig> = {},
): ContainerConfig {
  return {
    name,
    image: 'busybox',
    command,
    args: [],
    env: [],
    workingDir: '',
    attempt: 0,
    labels: { 'io.kubernetes.container.name': name },
    limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
    ...overrides,
  };
}

/** Pulls busybox, creates and starts a container; resolves with its id. */
export async function startContainer(
  runtime: LinuxRuntime,
  sandboxId: string,
  config: ContainerConfig,
): Promise<string> {
  await runtime.pullImage(config.image);
  const id = await runtime.createContainer(sandboxId, config);
  await runtime.startContainer(id);
  return id;
}

/** Polls until the container exited; fails after `timeoutMs`. */
export async function waitExited(
  runtime: LinuxRuntime,
  containerId: string,
  timeoutMs = 10_000,
): Promise<ContainerStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await runtime.containerStatus(containerId);
    if (status.state === 'exited') return status;
    if (Date.now() > deadline)
      throw new Error(`container still ${status.state} after ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls `check` until it is true; fails after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Mount points of this mount namespace under `dir`. */
export function mountsUnder(dir: string): Promise<string[]> {
  return mountPointsUnder(dir);
}

/** True when a process with this pid exists and is not a zombie. */
export async function processRunning(pid: number): Promise<boolean> {
  return (await processStartTicks(pid)) !== undefined;
}

/** What the runtime recorded about a container (state.json), for white-box checks. */
export async function readContainerRecord(
  dataDir: string,
  containerId: string,
  nodeName = 'node-1',
): Promise<ContainerRecord> {
  const path = join(runtimePaths(dataDir, nodeName).containersDir, containerId, 'state.json');
  return JSON.parse(await readFile(path, 'utf8')) as ContainerRecord;
}
