// ProcessRuntime: a ContainerRuntime whose containers are plain host processes — process
// runtime: no isolation, development only. Every log line and banner says so.
//
// - A sandbox is a record: no namespaces. Its pod IP is a loopback address of its own,
//   `<podIpPrefix>.N` (127.1.0.N by default), so pods are told apart; their processes share the
//   host's network namespace, so probes to the sandbox's own IP go to 127.0.0.1, where its
//   processes listen. Probes go to loopback only (loopback-probes.ts).
// - Images: only busybox (process-busybox.ts); any other image fails to pull with RuntimeError
//   `ErrImagePull`, which the kubelet reports as ErrImagePull, then ImagePullBackOff.
// - A container is one child process in its own process group, cwd `<dataDir>/containers/<id>/
//   root` (plus workingDir inside it), env = PATH, HOSTNAME, HOME and the config's env (nothing
//   inherited from the host). stdout/stderr go to `container.log` in the CRI format
//   (`<RFC3339Nano> stdout F <line>`). When the main process exits, the rest of its group is
//   killed, as a PID namespace dies with its init.
// - Exit code: the process's, or 128 + signal; reason Completed for 0, else Error (no OOM kills:
//   no cgroups). stopContainer sends SIGTERM to the group, SIGKILL after the timeout.
// - State lives in memory; `state.json` beside each container records its pid so that
//   removeLeftovers() can kill what a crashed earlier run left behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { join, posix } from 'node:path';
import type { Clock, TimerHandle } from '../control/ports/clock.js';
import {
  hasLabels,
  RuntimeError,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type HttpProbeRequest,
  type HttpProbeResponse,
  type ImageInfo,
  type LogOptions,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type ProbeAddress,
  type TcpProbeResult,
} from '../control/ports/container-runtime.js';
import { assert } from '../control/util/assert.js';
import { probeLoopbackHttp, probeLoopbackTcp } from './loopback-probes.js';
import { ContainerLogFile, readContainerLog } from './container-log-file.js';
import {
  appletOf,
  containerArgv,
  findBusybox,
  isBusyboxImage,
  loadBusyboxImage,
  type BusyboxImage,
} from './process-busybox.js';

export const processRuntimeLabel = 'process runtime: no isolation, development only';
/** What the node reports as status.nodeInfo.containerRuntimeVersion. */
export const processRuntimeVersion = 'process://0.1.0';
/** Where a probe of a sandbox's own IP goes: its processes share the host's loopback. */
export const processProbeHost = '127.0.0.1';
const ipHostMin = 2;
const ipHostMax = 254;
/** Output an exec keeps per stream; the rest is dropped. */
export const execOutputBytesMax = 4 * 1024 * 1024;

/** How long output is still read after a container's main process exited, ms. */
const outputDrainMsMax = 1_000;
const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ProcessRuntimeOptions {
  /** This node's runtime directory (created); containers live in `containers/<id>/`. */
  dataDir: string;
  nodeName: string;
  clock: Clock;
  /** One line per container start and exit, labelled with processRuntimeLabel. */
  log?: (line: string) => void;
  /** The busybox binary. Default: /bin/busybox, /usr/bin/busybox or PATH's. */
  busyboxPath?: string;
  /** First three octets of pod IPs, within 127.0.0.0/8; one per node. Default '127.1.0'. */
  podIpPrefix?: string;
}

interface ContainerRecord {
  status: ContainerStatus;
  dir: string;
  child: ChildProcess | undefined;
  /** Resolves once the process exited and its log was flushed. */
  exited: Promise<void>;
  markExited: () => void;
}

export class ProcessRuntime implements ContainerRuntime {
  private readonly dataDir: string;
  private readonly nodeName: string;
  private readonly clock: Clock;
  private readonly logLine: (line: string) => void;
  private readonly busyboxPath: string | undefined;
  private busybox: BusyboxImage | undefined;
  private readonly sandboxes = new Map<string, PodSandbox>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly images = new Map<string, ImageInfo>();
  private readonly podIpPrefix: string;

  constructor(options: ProcessRuntimeOptions) {
    this.dataDir = options.dataDir;
    this.nodeName = options.nodeName;
    this.clock = options.clock;
    const log = options.log ?? (() => undefined);
    this.logLine = (line) => log(`[${processRuntimeLabel}] ${options.nodeName}: ${line}`);
    this.busyboxPath = options.busyboxPath ?? findBusybox();
    this.podIpPrefix = options.podIpPrefix ?? '127.1.0';
    assert(/^127\.\d{1,3}\.\d{1,3}$/.test(this.podIpPrefix), 'podIpPrefix must be 127.x.y');
    mkdirSync(join(this.dataDir, 'containers'), { recursive: true });
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const frozen = Object.freeze({ ...config, labels: Object.freeze({ ...config.labels }) });
    const createdAtMs = this.clock.nowMs();
    const ip = this.allocateIp();
    this.sandboxes.set(id, { id, config: frozen, state: 'ready', createdAtMs, ip });
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxRecord(sandboxId);
    const running = this.containersOf(sandboxId).filter((c) => c.status.state === 'running');
    await Promise.all(running.map((c) => this.kill(c, 0)));
    this.sandboxes.set(sandboxId, { ...sandbox, state: 'notready', ip: '' });
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    if (!this.sandboxes.has(sandboxId)) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.removeContainer(c.status.id)));
    this.sandboxes.delete(sandboxId);
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const kept = [...this.sandboxes.values()].filter((s) =>
      hasLabels(s.config.labels, filter.labels),
    );
    return kept.map((sandbox) => ({ ...sandbox }));
  }

  async pullImage(image: string): Promise<string> {
    const present = this.images.get(image);
    if (present !== undefined) return present.id;
    if (!isBusyboxImage(image)) {
      const message =
        `Failed to pull image "${image}": image "${image}" not found: ` +
        `the ${processRuntimeLabel} has only busybox`;
      throw new RuntimeError('ErrImagePull', message);
    }
    const busybox = this.loadBusybox(image);
    this.images.set(image, { ref: image, id: busybox.id, sizeBytes: busybox.sizeBytes });
    return busybox.id;
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.images.values()].map((image) => ({ ...image }));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxRecord(sandboxId);
    if (sandbox.state !== 'ready') {
      throw new RuntimeError('CreateContainerError', `sandbox "${sandboxId}" is not ready`);
    }
    const image = this.images.get(config.image);
    if (image === undefined) {
      const message = `image "${config.image}" is not present on node "${this.nodeName}"`;
      throw new RuntimeError('CreateContainerError', message);
    }
    const id = newId();
    const dir = join(this.dataDir, 'containers', id);
    mkdirSync(join(dir, 'root'), { recursive: true });
    let markExited = () => undefined as void;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const status: ContainerStatus = {
      id,
      sandboxId,
      config: freezeConfig(config),
      state: 'created',
      createdAtMs: this.clock.nowMs(),
      startedAtMs: 0,
      finishedAtMs: 0,
      exitCode: 0,
      reason: '',
      message: '',
      imageRef: image.id,
    };
    this.containers.set(id, { status, dir, child: undefined, exited, markExited });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const record = this.containerRecord(containerId);
    const { config } = record.status;
    if (record.status.state !== 'created' || record.child !== undefined) {
      const message = `container "${containerId}" is ${record.status.state}, not created`;
      throw new RuntimeError('RunContainerError', message);
    }
    if (this.sandboxes.get(record.status.sandboxId)?.state !== 'ready') {
      const message = `sandbox "${record.status.sandboxId}" of container is not ready`;
      throw new RuntimeError('RunContainerError', message);
    }
    const busybox = this.loadBusybox(config.image);
    const argv = containerArgv(config.command, config.args);
    const applet = appletOf(busybox, argv[0] ?? '');
    if (applet === undefined) {
      const message = `exec: "${argv[0] ?? ''}": executable file not found in $PATH`;
      throw new RuntimeError('RunContainerError', message);
    }
    const cwd = this.workingDir(record);
    const log = new ContainerLogFile({
      path: join(record.dir, 'container.log'),
      clock: this.clock,
    });
    const child = spawn(busybox.path, argv.slice(1), {
      argv0: applet,
      cwd,
      env: this.environment(record),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await spawned(child).catch((error: unknown) => {
      void log.close();
      throw new RuntimeError('RunContainerError', `cannot start "${applet}": ${String(error)}`);
    });
    record.child = child;
    this.watch(record, child, log);
    record.status.state = 'running';
    record.status.startedAtMs = this.clock.nowMs();
    writeState(record.dir, child.pid as number);
    this.logLine(`started container ${describe(record)}: ${argv.join(' ')} (pid ${child.pid})`);
  }

  async stopContainer(containerId: string, timeoutMs: number): Promise<void> {
    assert(Number.isSafeInteger(timeoutMs) && timeoutMs >= 0, `bad timeoutMs ${timeoutMs}`);
    const record = this.containerRecord(containerId);
    if (record.status.state !== 'running') return;
    await this.kill(record, timeoutMs);
  }

  async removeContainer(containerId: string): Promise<void> {
    const record = this.containers.get(containerId);
    if (record === undefined) return;
    if (record.status.state === 'running') await this.kill(record, 0);
    this.containers.delete(containerId);
    await rm(record.dir, { recursive: true, force: true });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .map((record) => record.status)
      .filter((status) => matches(status, filter))
      .map((status) => ({ ...status }));
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return { ...this.containerRecord(containerId).status };
  }

  async exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const record = this.containerRecord(containerId);
    if (record.status.state !== 'running') {
      throw new RuntimeError('ContainerNotRunning', `container "${containerId}" is not running`);
    }
    const busybox = this.loadBusybox(record.status.config.image);
    const applet = appletOf(busybox, command[0] ?? '');
    if (applet === undefined) {
      const stderr = `exec: "${command[0] ?? ''}": executable file not found in $PATH\n`;
      return { exitCode: 127, stdout: '', stderr };
    }
    const child = spawn(busybox.path, command.slice(1), {
      argv0: applet,
      cwd: this.workingDir(record),
      env: this.environment(record),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return collectExec(child, command, timeoutMs, this.clock);
  }

  async probeTcp(
    sandboxId: string,
    address: ProbeAddress,
    timeoutMs: number,
  ): Promise<TcpProbeResult> {
    const ip = this.readySandbox(sandboxId).ip;
    const host = address.host === ip ? processProbeHost : address.host;
    const result = await probeLoopbackTcp({ ...address, host }, timeoutMs);
    if (result.ok) return result;
    return { ok: false, error: result.error.replace(`tcp ${host}:`, `tcp ${address.host}:`) };
  }

  async probeHttp(
    sandboxId: string,
    request: HttpProbeRequest,
    timeoutMs: number,
  ): Promise<HttpProbeResponse> {
    const ip = this.readySandbox(sandboxId).ip;
    const host = request.host === ip ? processProbeHost : request.host;
    const response = await probeLoopbackHttp({ ...request, host }, timeoutMs);
    if (!('error' in response)) return response;
    return { error: response.error.replace(`tcp ${host}:`, `tcp ${request.host}:`) };
  }

  async logs(containerId: string, options: LogOptions): Promise<string[]> {
    const record = this.containerRecord(containerId);
    return readContainerLog(join(record.dir, 'container.log'), options);
  }

  /** Kills every running container's process group at once (a forced exit); synchronous. */
  killAllNow(): number {
    let count = 0;
    for (const record of this.containers.values()) {
      const pid = record.child?.pid;
      if (record.status.state !== 'running' || pid === undefined) continue;
      signalGroup(pid, 'SIGKILL');
      count += 1;
    }
    return count;
  }

  /**
   * Kills the process groups an earlier run of this node left running (a crash) and removes
   * their directories; returns how many were still running. Call before the kubelet starts.
   */
  removeLeftovers(): number {
    const root = join(this.dataDir, 'containers');
    let killed = 0;
    for (const id of readdirSync(root)) {
      if (this.containers.has(id)) continue;
      if (killLeftover(join(root, id))) killed += 1;
      try {
        rmSync(join(root, id), { recursive: true, force: true });
      } catch (error) {
        // Something still writes there (a runtime of this process that is still shutting
        // down): the next sweep removes it.
        this.logLine(`could not remove leftover container ${id} yet: ${String(error)}`);
      }
    }
    if (killed > 0) this.logLine(`killed ${killed} containers left by an earlier run`);
    return killed;
  }

  private loadBusybox(image: string): BusyboxImage {
    if (this.busybox !== undefined) return this.busybox;
    if (this.busyboxPath === undefined) {
      const message =
        `Failed to pull image "${image}": no busybox binary on this host ` +
        '(install Debian busybox-static: scripts/ensure-busybox.sh)';
      throw new RuntimeError('ErrImagePull', message);
    }
    this.busybox = loadBusyboxImage(this.busyboxPath);
    return this.busybox;
  }

  private workingDir(record: ContainerRecord): string {
    const inside = posix.normalize(`/${record.status.config.workingDir}`);
    const dir = join(record.dir, 'root', inside);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private environment(record: ContainerRecord): Record<string, string> {
    const sandbox = this.sandboxes.get(record.status.sandboxId);
    const env: Record<string, string> = {
      PATH: defaultPath,
      HOSTNAME: sandbox?.config.hostname ?? '',
      HOME: join(record.dir, 'root'),
    };
    for (const { name, value } of record.status.config.env) env[name] = value;
    return env;
  }

  /** Records the exit once the process ended and its output was written. */
  private watch(record: ContainerRecord, child: ChildProcess, log: ContainerLogFile): void {
    let exitCode = 0;
    let finishedAtMs = 0;
    let drainTimer: TimerHandle | undefined;
    child.stdout?.on('data', (chunk: Buffer) => log.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.write('stderr', chunk));
    child.once('exit', (code, signal) => {
      finishedAtMs = this.clock.nowMs();
      exitCode = code ?? 128 + signalNumber(signal);
      // The init of a PID namespace takes the namespace down with it.
      signalGroup(child.pid as number, 'SIGKILL');
      // A process that left the group may still hold the pipes: stop waiting for it.
      drainTimer = this.clock.setTimer(outputDrainMsMax, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      });
    });
    child.once('close', () => {
      drainTimer?.cancel();
      void log.close().then(() => {
        const { status } = record;
        status.state = 'exited';
        status.exitCode = exitCode;
        status.reason = exitCode === 0 ? 'Completed' : 'Error';
        status.finishedAtMs = Math.max(finishedAtMs, status.startedAtMs);
        record.child = undefined;
        this.logLine(`container ${describe(record)} exited with code ${exitCode}`);
        record.markExited();
      });
    });
  }

  /** SIGTERM to the group (unless timeoutMs is 0), SIGKILL after timeoutMs; resolves on exit. */
  private async kill(record: ContainerRecord, timeoutMs: number): Promise<void> {
    const pid = record.child?.pid;
    if (pid === undefined) return;
    if (timeoutMs === 0) signalGroup(pid, 'SIGKILL');
    else signalGroup(pid, 'SIGTERM');
    const timer = this.clock.setTimer(timeoutMs, () => signalGroup(pid, 'SIGKILL'));
    await record.exited;
    timer.cancel();
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.status.sandboxId === sandboxId);
  }

  private sandboxRecord(sandboxId: string): PodSandbox {
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox === undefined)
      throw new RuntimeError('NotFound', `sandbox "${sandboxId}" not found`);
    return sandbox;
  }

  private readySandbox(sandboxId: string): PodSandbox {
    const sandbox = this.sandboxRecord(sandboxId);
    if (sandbox.state !== 'ready') {
      throw new RuntimeError('SandboxNotReady', `sandbox "${sandboxId}" is not ready`);
    }
    return sandbox;
  }

  /** The lowest `<prefix>.N` no ready sandbox holds. */
  private allocateIp(): string {
    const used = new Set([...this.sandboxes.values()].map((sandbox) => sandbox.ip));
    for (let host = ipHostMin; host <= ipHostMax; host += 1) {
      const ip = `${this.podIpPrefix}.${host}`;
      if (!used.has(ip)) return ip;
    }
    const message = `no free pod IP in ${this.podIpPrefix}.0/24 on node "${this.nodeName}"`;
    throw new RuntimeError('CreatePodSandboxError', message);
  }

  private containerRecord(containerId: string): ContainerRecord {
    const record = this.containers.get(containerId);
    if (record === undefined) {
      throw new RuntimeError('NotFound', `container "${containerId}" not found`);
    }
    return record;
  }
}

function newId(): string {
  return randomBytes(32).toString('hex');
}

function describe(record: ContainerRecord): string {
  const { labels, name } = record.status.config;
  const pod = `${labels['io.kubernetes.pod.namespace'] ?? '?'}/${labels['io.kubernetes.pod.name'] ?? '?'}`;
  return `${name} of pod ${pod} (${record.status.id.slice(0, 12)})`;
}

function matches(status: ContainerStatus, filter: ContainerFilter): boolean {
  if (filter.sandboxId !== undefined && status.sandboxId !== filter.sandboxId) return false;
  if (filter.state !== undefined && status.state !== filter.state) return false;
  return hasLabels(status.config.labels, filter.labels);
}

function freezeConfig(config: ContainerConfig): ContainerConfig {
  return Object.freeze({
    ...config,
    command: [...config.command],
    args: [...config.args],
    env: config.env.map((entry) => ({ ...entry })),
    labels: { ...config.labels },
    limits: { ...config.limits },
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : (osConstants.signals[signal] ?? 0);
}

/** Signals a whole process group; a group that is gone already is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

function spawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), '' when it is gone. */
function processStartTicks(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function writeState(dir: string, pid: number): void {
  const state = { pid, startTicks: processStartTicks(pid) };
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(state)}\n`);
}

/** Kills the group a state.json names if that very process still runs; true if it did. */
function killLeftover(dir: string): boolean {
  let state: { pid?: unknown; startTicks?: unknown };
  try {
    state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as typeof state;
  } catch {
    return false;
  }
  const { pid, startTicks } = state;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1) return false;
  if (startTicks === '' || processStartTicks(pid) !== startTicks) return false;
  signalGroup(pid, 'SIGKILL');
  return true;
}

/** Collects an exec's output (bounded); kills its group at the timeout (0: none). */
function collectExec(
  child: ChildProcess,
  command: readonly string[],
  timeoutMs: number,
  clock: Clock,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out = { stdout: '', stderr: '' };
    const append = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (out[key].length < execOutputBytesMax) out[key] += chunk.toString();
    };
    child.stdout?.on('data', append('stdout'));
    child.stderr?.on('data', append('stderr'));
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? clock.setTimer(timeoutMs, () => {
            timedOut = true;
            signalGroup(child.pid as number, 'SIGKILL');
          })
        : undefined;
    child.once('exit', () => signalGroup(child.pid as number, 'SIGKILL'));
    child.once('error', (error) => {
      timer?.cancel();
      reject(new RuntimeError('ExecError', `exec ${command.join(' ')}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      timer?.cancel();
      if (timedOut) {
        const message = `failed to exec in container: timeout ${timeoutMs}ms exceeded`;
        reject(new RuntimeError('DeadlineExceeded', message));
        return;
      }
      resolve({ exitCode: code ?? 128 + signalNumber(signal), ...out });
    });
  });
}
