// Drives one container's processes: start (cgroup, shim, wait for init), noticing its exit (the
// shim's `exit` file, the cgroup's OOM counter), graceful stop (SIGTERM to init, SIGKILL to the
// whole cgroup at the timeout) and removal. Records are mutated in place and saved after every
// change, so a restarted runtime picks up where this one stopped.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../control/ports/clock.js';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import type { CgroupLayout } from './cgroup-layout.js';
import {
  createCgroup,
  killCgroup,
  oomKillCount,
  procsFiles,
  removeCgroup,
} from './container-cgroup.js';
import { launchContainer } from './container-launch.js';
import { identify, isAlive, signalProcess } from './host-procs.js';
import { exitReason, type ContainerRecord } from './runtime-records.js';
import { writeJsonAtomic } from './runtime-files.js';
import { unmountAll } from './sandbox-netns.js';

export interface ContainerSupervisorOptions {
  clock: Clock;
  busyboxPath: string;
  containersDir: string;
  cgroupGroup: string;
  cgroupLayout: CgroupLayout;
  /** See base-layer.ts. */
  baseDir: string;
  log: (line: string) => void;
}

/** Bounds, ms. */
const startTimeoutMs = 15_000;
const killWaitMs = 10_000;
const exitPollMs = 10;
const sigkillExitCode = 137;
/** A container whose monitor vanished without a word (e.g. a reboot). */
const lostExitCode = 255;

export class ContainerSupervisor {
  private readonly options: ContainerSupervisorOptions;
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly settling = new Set<string>();
  /**
   * Running containers whose shim is this process's child and has not exited: their exit is
   * noticed by the child's `exit` event, so refresh need not read /proc and the exit file.
   */
  private readonly watched = new Set<string>();

  constructor(options: ContainerSupervisorOptions) {
    this.options = options;
  }

  dir(id: string): string {
    return join(this.options.containersDir, id);
  }

  async save(record: ContainerRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir(record.id), 'state.json'), record);
  }

  /** Makes the directories and saves the record of a new (created) container. */
  async prepare(record: ContainerRecord): Promise<void> {
    const dir = this.dir(record.id);
    for (const sub of ['upper', 'work', 'merged']) await mkdir(join(dir, sub), { recursive: true });
    await this.save(record);
  }

  /** Starts a created container; rejects with RunContainerError when it cannot. */
  async start(record: ContainerRecord, netnsPath: string): Promise<void> {
    const { clock, busyboxPath, cgroupLayout, cgroupGroup } = this.options;
    const dir = this.dir(record.id);
    const limits = record.config.limits;
    record.cgroup = await createCgroup(cgroupLayout, {
      group: cgroupGroup,
      name: record.id,
      limits,
    });
    await this.save(record);
    await writeFile(join(dir, 'cgroup-procs'), `${procsFiles(record.cgroup).join('\n')}\n`);
    const launched = await launchContainer(
      {
        busyboxPath,
        containerDir: dir,
        netnsPath,
        baseDir: this.options.baseDir,
        lowerDir: record.lowerDir,
        hostname: record.hostname,
        workingDir: record.workingDir,
        path: record.path,
        env: record.env,
        argv: record.argv,
      },
      startTimeoutMs,
    );
    record.shim = launched.shim.pid === undefined ? undefined : await identify(launched.shim.pid);
    if (!launched.ok) {
      await this.failStart(record, launched.message);
      const message = `failed to start container "${record.config.name}": ${launched.message}`;
      throw new RuntimeError('RunContainerError', message);
    }
    record.init = await identify(launched.initPid);
    record.state = 'running';
    record.startedAtMs = clock.nowMs();
    await this.save(record);
    this.watched.add(record.id);
    launched.shim.once('exit', () => {
      this.watched.delete(record.id);
      this.refresh(record).catch((error: unknown) => this.options.log(`${record.id}: ${error}`));
    });
  }

  /** Notices that a running container has exited and records how. */
  refresh(record: ContainerRecord): Promise<void> {
    if (record.state !== 'running' || this.watched.has(record.id)) return Promise.resolve();
    const pending = this.finishing.get(record.id);
    if (pending !== undefined) return pending;
    const check = this.check(record).finally(() => this.finishing.delete(record.id));
    this.finishing.set(record.id, check);
    return check;
  }

  /** SIGTERM to init, SIGKILL to the cgroup after `timeoutMs`; resolves once exited. */
  async stop(record: ContainerRecord, timeoutMs: number): Promise<void> {
    await this.refresh(record);
    if (record.state !== 'running') return;
    await signalProcess(record.init, 'SIGTERM');
    if (await this.waitExit(record, timeoutMs)) return;
    await this.kill(record);
  }

  /** SIGKILLs everything of a running container and waits for its exit. */
  async kill(record: ContainerRecord): Promise<void> {
    await this.refresh(record);
    if (record.state !== 'running') return;
    record.killedAtMs = this.options.clock.nowMs();
    await this.save(record);
    await signalProcess(record.init, 'SIGKILL');
    if (record.cgroup !== undefined) await killCgroup(record.cgroup);
    if (await this.waitExit(record, killWaitMs)) return;
    await this.finish(record, sigkillExitCode, this.options.clock.nowMs());
  }

  /** Kills what still runs and deletes the cgroup and every file of the container. */
  async destroy(record: ContainerRecord): Promise<void> {
    await this.kill(record);
    if (record.cgroup !== undefined) {
      await killCgroup(record.cgroup);
      await removeCgroup(record.cgroup);
    }
    const dir = this.dir(record.id);
    await unmountAll(this.options.busyboxPath, dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }

  private async check(record: ContainerRecord): Promise<void> {
    // Liveness first: the shim writes `exit` before it exits, so a shim seen dead here has
    // left its file (if any) for the read below.
    const alive = (await isAlive(record.shim)) || (await isAlive(record.init));
    const exit = await readExitFile(this.dir(record.id));
    if (exit !== undefined) return this.finish(record, exit.status, exit.finishedAtMs);
    if (alive) return;
    const code = record.killedAtMs > 0 ? sigkillExitCode : lostExitCode;
    record.message = 'the container monitor exited without recording the exit status';
    return this.finish(record, code, this.options.clock.nowMs());
  }

  private async waitExit(record: ContainerRecord, timeoutMs: number): Promise<boolean> {
    const { clock } = this.options;
    const deadlineMs = clock.nowMs() + timeoutMs;
    for (;;) {
      await this.refresh(record);
      if (record.state !== 'running') return true;
      const remainingMs = deadlineMs - clock.nowMs();
      if (remainingMs <= 0) return false;
      await clock.sleep(Math.min(exitPollMs, remainingMs));
    }
  }

  private async finish(record: ContainerRecord, status: number, atMs: number): Promise<void> {
    if (record.state === 'exited' || this.settling.has(record.id)) return;
    this.settling.add(record.id);
    try {
      await this.settle(record, status, atMs);
    } finally {
      this.settling.delete(record.id);
    }
  }

  private async settle(record: ContainerRecord, status: number, atMs: number): Promise<void> {
    const oomKilled = record.cgroup !== undefined && (await oomKillCount(record.cgroup)) > 0;
    await this.releaseCgroup(record);
    // A SIGKILLed init makes some unshare builds exit 1 instead of reporting the signal.
    const exitCode = record.killedAtMs > 0 && status === 1 ? sigkillExitCode : status;
    record.state = 'exited';
    record.exitCode = exitCode;
    record.reason = exitReason(exitCode, oomKilled);
    const finishedAtMs = atMs > 0 ? atMs : this.options.clock.nowMs();
    record.finishedAtMs = Math.max(finishedAtMs, record.startedAtMs);
    await this.save(record);
  }

  private async failStart(record: ContainerRecord, message: string): Promise<void> {
    const exited = await this.waitExitFile(record);
    if (!exited && record.cgroup !== undefined) await killCgroup(record.cgroup);
    await this.releaseCgroup(record);
    record.state = 'exited';
    record.exitCode = 128;
    record.reason = 'StartError';
    record.message = message;
    record.finishedAtMs = this.options.clock.nowMs();
    record.startedAtMs = 0;
    await this.save(record);
  }

  private async waitExitFile(record: ContainerRecord): Promise<boolean> {
    const { clock } = this.options;
    const deadlineMs = clock.nowMs() + killWaitMs;
    while (clock.nowMs() < deadlineMs) {
      if ((await readExitFile(this.dir(record.id))) !== undefined) return true;
      if (!(await isAlive(record.shim))) return false;
      await clock.sleep(exitPollMs);
    }
    return false;
  }

  private async releaseCgroup(record: ContainerRecord): Promise<void> {
    if (record.cgroup === undefined) return;
    try {
      await killCgroup(record.cgroup);
      await removeCgroup(record.cgroup);
      record.cgroup = undefined;
    } catch (error) {
      this.options.log(`cannot remove the cgroup of container ${record.id}: ${error}`);
    }
  }
}

/** The shim's `exit` file: `<status> <epoch seconds>.<µs>`. */
export async function readExitFile(
  dir: string,
): Promise<{ status: number; finishedAtMs: number } | undefined> {
  const text = await readFile(join(dir, 'exit'), 'utf8').catch(() => undefined);
  const match = text === undefined ? null : /^(\d+)(?: (\d+)\.(\d{3}))?/.exec(text);
  if (match === null) return undefined;
  const finishedAtMs = match[2] === undefined ? 0 : Number(match[2]) * 1000 + Number(match[3]);
  return { status: Number(match[1]), finishedAtMs };
}
