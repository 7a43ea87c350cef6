// SimRuntime: a scripted ContainerRuntime on a Clock and an Rng (no processes, no network).
//
// Behaviour, all in virtual time:
// - pullImage waits the image's pullMs (default behavior.imagePullMs) once per runtime; concurrent
//   pulls share one wait; `failPull` images reject with RuntimeError 'ErrImagePull' after it.
// - startContainer waits behavior.containerStartMs, then the container runs its image's script:
//   forever, or exiting `exitAfterMs` after start with `exitCode` (reason Completed for 0, else
//   Error). A script whose memoryBytes exceeds a non-zero limits.memoryBytes is killed
//   `memoryAfterMs` after start with exit code 137, reason OOMKilled (an OOM kill wins a tie with
//   a scripted exit at the same instant).
// - stopContainer sends SIGTERM: the process exits `terminationDelayMs` later (default 0) with
//   `sigtermExitCode` (default 143 = 128 + SIGTERM) if that is within timeoutMs; otherwise it is
//   killed at timeoutMs with exit code 137 (128 + SIGKILL). Both count as reason Error unless the
//   code is 0. Stopping a created container is a no-op; stopping one whose start is in flight
//   waits for the start first.
// - killProcess (faults only) kills a running container at once: 137 with the given reason.
// - stopPodSandbox kills its running containers at once (137) and releases the pod IP;
//   removePodSandbox and removeContainer kill what still runs and forget it.
// - Unknown ids reject with RuntimeError 'NotFound', except the removes, which are idempotent.
// - exec answers from the script (a value, or a function of the command and the time since
//   start) after its durationMs; one that needs timeoutMs or longer rejects at timeoutMs with
//   RuntimeError 'DeadlineExceeded'.
// - probeTcp/probeHttp reach the sandbox itself (its pod IP, 127.0.0.1, localhost, ::1) or
//   another ready sandbox of this runtime by pod IP; a running container of the target whose
//   script `listen`s on the port at that moment accepts (sim-listeners.ts), else the
//   connection is refused at once. Other hosts are unreachable: `i/o timeout` after timeoutMs.
//   HTTP and HTTPS are answered alike; a scripted 3xx comes back as it is.
// - crash() drops everything at once, like a machine losing power: operations in flight never
//   settle and no container reports an exit.
// Ids are 64 hex digits from the Rng; pod IPs are `${podIpPrefix}.N`, lowest free N in 2..254.

import type { Clock, TimerHandle } from '../control/ports/clock.js';
import {
  hasLabels,
  RuntimeError,
  runtimeLabels,
  type ContainerConfig,
  type HttpProbeRequest,
  type HttpProbeResponse,
  type ProbeAddress,
  type TcpProbeResult,
  type ContainerFilter,
  type ContainerRuntime,
  type ContainerStatus,
  type ExecResult,
  type ImageInfo,
  type LogOptions,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
} from '../control/ports/container-runtime.js';
import type { Rng } from '../control/ports/rng.js';
import { assert } from '../control/util/assert.js';
import { formatMicroTime } from '../control/api/values/time.js';
import {
  assertListeners,
  httpAnswer,
  joinHostPort,
  openListener,
  type SimListenScript,
} from './sim-listeners.js';

/** What a scripted exec returns, and how long it runs (ms, default 0). */
export type SimExecResult = ExecResult & { durationMs?: number };

/** How one image behaves; every field is optional. */
/**
 * A duration in ms: fixed, or drawn anew each time it is used from the runtime's own `durations`
 * stream (a scenario's distributions), so every pull or start takes its own time.
 */
export type SimDurationMs = number | ((rng: Rng) => number);

export interface SimImageScript {
  /** Pull duration, ms. Default: behavior.imagePullMs. */
  pullMs?: SimDurationMs;
  /** Every pull fails with RuntimeError 'ErrImagePull' (after pullMs). */
  failPull?: boolean;
  /** Reported by listImages. Default 50,000,000. */
  sizeBytes?: number;
  /** The process exits by itself this long after it started, ms. Absent: runs until stopped. */
  exitAfterMs?: SimDurationMs;
  /** Exit code of that exit. Default 0. */
  exitCode?: number;
  /** Memory the process grows to, bytes. Default 0. */
  memoryBytes?: number;
  /** When it reaches memoryBytes, ms after start. Default 0. */
  memoryAfterMs?: number;
  /** Time from SIGTERM to exit, ms; Number.MAX_SAFE_INTEGER ignores SIGTERM. Default 0. */
  terminationDelayMs?: number;
  /** Exit code when it exits on SIGTERM. Default 143. */
  sigtermExitCode?: number;
  /** Log lines it writes when it starts. Default none. */
  logLines?: readonly string[];
  /**
   * What exec returns; a function gets the command and the ms since the container started.
   * Default { exitCode: 0, stdout: '', stderr: '' }.
   */
  exec?: SimExecResult | ((command: readonly string[], sinceStartMs: number) => SimExecResult);
  /** TCP ports the process listens on, with their HTTP answers. Default none. */
  listen?: readonly SimListenScript[];
}

export interface SimRuntimeBehavior {
  /** Pull duration of images without their own pullMs, ms. */
  imagePullMs: SimDurationMs;
  /** Time from startContainer to running, ms. */
  containerStartMs: SimDurationMs;
  /** Scripts by image reference (e.g. `nginx:1.27`); other images run forever. */
  images?: Readonly<Record<string, SimImageScript>>;
}

export interface SimRuntimeOptions {
  clock: Clock;
  /** Source of sandbox, container and image ids. */
  rng: Rng;
  /** The node this runtime belongs to (used in messages). */
  nodeName: string;
  behavior: SimRuntimeBehavior;
  /** First three octets of pod IPs. Default '10.244.0'. */
  podIpPrefix?: string;
}

/** A container started running (`running` true) or stopped: exited, removed or lost in a crash. */
export interface SimContainerChange {
  containerId: string;
  /** Its `io.kubernetes.pod.uid` label ('' when absent). */
  podUid: string;
  running: boolean;
}

export interface SimRuntimeCrashOptions {
  /** Keep pulled images, as a rebooted machine keeps its disk. Default false. */
  keepImages?: boolean;
}

interface SandboxRecord {
  sandbox: PodSandbox;
  ipHost: number;
}

interface ContainerRecord {
  status: ContainerStatus;
  script: SimImageScript;
  /** Pending timers of this container (start, exits, kills). */
  timers: Set<TimerHandle>;
  exitWaiters: Array<() => void>;
  start: { promise: Promise<void>; reject: (error: Error) => void } | undefined;
  sigtermSent: boolean;
}

const podUidLabel = runtimeLabels.podUid;
const sigkillExitCode = 137;
const sigtermExitCodeDefault = 143;
const imageSizeBytesDefault = 50_000_000;
const ipHostMin = 2;
const ipHostMax = 254;

export class SimRuntime implements ContainerRuntime {
  private readonly clock: Clock;
  private readonly rng: Rng;
  /** Draws of the behaviour's distributions (its own stream: ids are unaffected). */
  private readonly durationRng: Rng;
  private readonly nodeName: string;
  private readonly behavior: SimRuntimeBehavior;
  private readonly scripts: Map<string, SimImageScript>;
  private readonly podIpPrefix: string;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  /** Sandbox and container ids by pod-UID label: a pod's sync lists only its own objects. */
  private readonly sandboxesByPod = new PodIndex();
  private readonly containersByPod = new PodIndex();
  private readonly images = new Map<string, ImageInfo>();
  private readonly pulls = new Map<string, Promise<string>>();
  private readonly ipHostsInUse = new Set<number>();
  private readonly timers = new Set<TimerHandle>();
  private readonly containerObservers = new Set<(change: SimContainerChange) => void>();

  constructor(options: SimRuntimeOptions) {
    const { behavior } = options;
    assertDuration(behavior.imagePullMs, 'imagePullMs');
    assertDuration(behavior.containerStartMs, 'containerStartMs');
    this.clock = options.clock;
    this.rng = options.rng;
    this.durationRng = options.rng.fork('durations');
    this.nodeName = options.nodeName;
    this.behavior = behavior;
    this.scripts = new Map(Object.entries(behavior.images ?? {}));
    for (const [image, script] of this.scripts) assertScript(image, script);
    this.podIpPrefix = options.podIpPrefix ?? '10.244.0';
  }

  /**
   * Simulator only (the invariant checks): `observer` is called synchronously whenever a
   * container starts or stops running; it must not throw. Returns the function that unsubscribes.
   */
  observeContainers(observer: (change: SimContainerChange) => void): () => void {
    this.containerObservers.add(observer);
    return () => void this.containerObservers.delete(observer);
  }

  /** Drops all state at once (a node crash); see the file comment. */
  crash(options: SimRuntimeCrashOptions = {}): void {
    for (const container of this.containers.values()) {
      if (container.status.state === 'running') this.notifyRunning(container, false);
    }
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.sandboxes.clear();
    this.containers.clear();
    this.sandboxesByPod.clear();
    this.containersByPod.clear();
    this.pulls.clear();
    this.ipHostsInUse.clear();
    if (options.keepImages !== true) this.images.clear();
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const ipHost = this.allocateIpHost();
    const id = this.newId();
    const sandbox: PodSandbox = {
      id,
      config: freezeSandboxConfig(config),
      state: 'ready',
      createdAtMs: this.clock.nowMs(),
      ip: `${this.podIpPrefix}.${ipHost}`,
    };
    this.sandboxes.set(id, { sandbox, ipHost });
    this.sandboxesByPod.add(podUidOf(sandbox.config.labels), id);
    return id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const record = this.sandboxRecord(sandboxId);
    for (const container of this.containersOf(sandboxId)) {
      this.exit(container, sigkillExitCode, 'Error');
    }
    this.releaseIp(record);
    record.sandbox = { ...record.sandbox, state: 'notready', ip: '' };
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const record = this.sandboxes.get(sandboxId);
    if (record === undefined) return;
    for (const container of this.containersOf(sandboxId)) this.forget(container);
    this.releaseIp(record);
    this.sandboxes.delete(sandboxId);
    this.sandboxesByPod.remove(podUidOf(record.sandbox.config.labels), sandboxId);
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    for (const id of this.sandboxesByPod.candidates(filter.labels, this.sandboxes.keys())) {
      const sandbox = (this.sandboxes.get(id) as SandboxRecord).sandbox;
      if (hasLabels(sandbox.config.labels, filter.labels)) out.push({ ...sandbox });
    }
    return out;
  }

  pullImage(image: string): Promise<string> {
    const present = this.images.get(image);
    if (present !== undefined) return Promise.resolve(present.id);
    const inFlight = this.pulls.get(image);
    if (inFlight !== undefined) return inFlight;
    const pull = this.pull(image);
    this.pulls.set(image, pull);
    return pull;
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.images.values()].map((info) => ({ ...info }));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxRecord(sandboxId).sandbox;
    if (sandbox.state !== 'ready') {
      throw new RuntimeError('CreateContainerError', `sandbox "${sandboxId}" is not ready`);
    }
    const image = this.images.get(config.image);
    if (image === undefined) {
      const message = `image "${config.image}" is not present on node "${this.nodeName}"`;
      throw new RuntimeError('CreateContainerError', message);
    }
    const id = this.newId();
    const status: ContainerStatus = {
      id,
      sandboxId,
      config: freezeContainerConfig(config),
      state: 'created',
      createdAtMs: this.clock.nowMs(),
      startedAtMs: 0,
      finishedAtMs: 0,
      exitCode: 0,
      reason: '',
      message: '',
      imageRef: image.id,
    };
    const script = this.scripts.get(config.image) ?? {};
    this.containersByPod.add(podUidOf(status.config.labels), id);
    this.containers.set(id, {
      status,
      script,
      timers: new Set(),
      exitWaiters: [],
      start: undefined,
      sigtermSent: false,
    });
    return id;
  }

  startContainer(containerId: string): Promise<void> {
    const container = this.containers.get(containerId);
    if (container === undefined) return Promise.reject(notFound('container', containerId));
    if (container.status.state !== 'created' || container.start !== undefined) {
      const message = `container "${containerId}" is ${container.status.state}, not created`;
      return Promise.reject(new RuntimeError('RunContainerError', message));
    }
    if (!this.sandboxReady(container)) return Promise.reject(sandboxNotReady(container));
    let reject: (error: Error) => void = () => {};
    const promise = new Promise<void>((resolve, rejectStart) => {
      reject = rejectStart;
      this.after(this.durationMs(this.behavior.containerStartMs), container, () => {
        container.start = undefined;
        if (!this.sandboxReady(container)) rejectStart(sandboxNotReady(container));
        else {
          this.run(container);
          resolve();
        }
      });
    });
    container.start = { promise, reject };
    return promise;
  }

  async stopContainer(containerId: string, timeoutMs: number): Promise<void> {
    assertDurationMs(timeoutMs, 'timeoutMs');
    const container = this.containerRecord(containerId);
    if (container.start !== undefined) await container.start.promise.catch(() => undefined);
    if (container.status.state !== 'running') return;
    if (!container.sigtermSent) {
      container.sigtermSent = true;
      const delayMs = container.script.terminationDelayMs ?? 0;
      if (delayMs <= timeoutMs) {
        const code = container.script.sigtermExitCode ?? sigtermExitCodeDefault;
        this.after(delayMs, container, () => this.exit(container, code, exitReason(code)));
      }
    }
    this.after(timeoutMs, container, () => this.exit(container, sigkillExitCode, 'Error'));
    await new Promise<void>((resolve) => container.exitWaiters.push(resolve));
  }

  /**
   * Simulator only (the killContainer and oomContainer faults): the running container's process
   * dies of SIGKILL now, from outside the kubelet, with exit code 137 and `reason` (`OOMKilled`
   * for the kernel's OOM killer). Returns false, changing nothing, when it is not running.
   */
  killProcess(containerId: string, reason: 'Error' | 'OOMKilled'): boolean {
    const container = this.containerRecord(containerId);
    if (container.status.state !== 'running') return false;
    this.exit(container, sigkillExitCode, reason);
    return true;
  }

  async removeContainer(containerId: string): Promise<void> {
    const container = this.containers.get(containerId);
    if (container !== undefined) this.forget(container);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const statuses: ContainerStatus[] = [];
    for (const id of this.containersByPod.candidates(filter.labels, this.containers.keys())) {
      const { status } = this.containers.get(id) as ContainerRecord;
      if (matches(status, filter)) statuses.push({ ...status });
    }
    return statuses;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return { ...this.containerRecord(containerId).status };
  }

  async exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    assertDurationMs(timeoutMs, 'timeoutMs');
    const container = this.containerRecord(containerId);
    if (container.status.state !== 'running') {
      const message = `container "${containerId}" is not running`;
      throw new RuntimeError('ContainerNotRunning', message);
    }
    const scripted = container.script.exec;
    const sinceStartMs = this.clock.nowMs() - container.status.startedAtMs;
    const answer = typeof scripted === 'function' ? scripted([...command], sinceStartMs) : scripted;
    const { durationMs = 0, ...result } = answer ?? { exitCode: 0, stdout: '', stderr: '' };
    if (timeoutMs > 0 && durationMs >= timeoutMs) {
      await this.wait(timeoutMs);
      const message = `failed to exec in container: timeout ${timeoutMs}ms exceeded`;
      throw new RuntimeError('DeadlineExceeded', message);
    }
    if (durationMs > 0) {
      await this.wait(durationMs);
      if (this.containers.get(containerId)?.status.state !== 'running') {
        const message = `container "${containerId}" stopped during exec`;
        throw new RuntimeError('ContainerNotRunning', message);
      }
    }
    return result;
  }

  async probeTcp(
    sandboxId: string,
    address: ProbeAddress,
    timeoutMs: number,
  ): Promise<TcpProbeResult> {
    assertProbeTimeoutMs(timeoutMs);
    const dial = `dial tcp ${joinHostPort(address.host, address.port)}`;
    const reach = this.reach(sandboxId, address);
    if (reach === 'unreachable') {
      await this.wait(timeoutMs);
      return { ok: false, error: `${dial}: i/o timeout` };
    }
    if (reach === 'refused') return { ok: false, error: `${dial}: connect: connection refused` };
    return { ok: true };
  }

  async probeHttp(
    sandboxId: string,
    request: HttpProbeRequest,
    timeoutMs: number,
  ): Promise<HttpProbeResponse> {
    assertProbeTimeoutMs(timeoutMs);
    const timedOut = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
    const dial = `dial tcp ${joinHostPort(request.host, request.port)}`;
    const reach = this.reach(sandboxId, request);
    if (reach === 'unreachable') {
      await this.wait(timeoutMs);
      return { error: timedOut };
    }
    if (reach === 'refused') return { error: `${dial}: connect: connection refused` };
    const answer = httpAnswer(reach.listener, request.path, reach.sinceStartMs);
    if (answer.delayMs >= timeoutMs) {
      await this.wait(timeoutMs);
      return { error: timedOut };
    }
    if (answer.delayMs > 0) await this.wait(answer.delayMs);
    return { statusCode: answer.statusCode, body: answer.body };
  }

  async logs(containerId: string, options: LogOptions): Promise<string[]> {
    const { status, script } = this.containerRecord(containerId);
    if (status.startedAtMs === 0) return [];
    const all = script.logLines ?? [];
    const lines = options.tailLines > 0 ? all.slice(-options.tailLines) : [...all];
    if (!options.timestamps) return lines;
    const stamp = rfc3339Nano(status.startedAtMs);
    return lines.map((line) => `${stamp} ${line}`);
  }

  /** Which listener a connection from `sandboxId` to `address` reaches, if any, right now. */
  private reach(
    sandboxId: string,
    address: ProbeAddress,
  ): 'unreachable' | 'refused' | { listener: SimListenScript; sinceStartMs: number } {
    const from = this.sandboxRecord(sandboxId).sandbox;
    if (from.state !== 'ready') {
      throw new RuntimeError('SandboxNotReady', `sandbox "${sandboxId}" is not ready`);
    }
    const loopback = ['127.0.0.1', 'localhost', '::1'].includes(address.host);
    const target = loopback
      ? from
      : [...this.sandboxes.values()]
          .map((record) => record.sandbox)
          .find((sandbox) => sandbox.state === 'ready' && sandbox.ip === address.host);
    if (target === undefined) return 'unreachable';
    const nowMs = this.clock.nowMs();
    for (const container of this.containersOf(target.id)) {
      if (container.status.state !== 'running') continue;
      const sinceStartMs = nowMs - container.status.startedAtMs;
      const listener = openListener(container.script.listen, address.port, sinceStartMs);
      if (listener !== undefined) return { listener, sinceStartMs };
    }
    return 'refused';
  }

  private async pull(image: string): Promise<string> {
    const script = this.scripts.get(image) ?? {};
    await this.wait(this.durationMs(script.pullMs ?? this.behavior.imagePullMs));
    this.pulls.delete(image);
    if (script.failPull === true) {
      const message =
        `Failed to pull image "${image}": ` + `simulated pull failure on "${this.nodeName}"`;
      throw new RuntimeError('ErrImagePull', message);
    }
    const id = `sha256:${this.newId()}`;
    const sizeBytes = script.sizeBytes ?? imageSizeBytesDefault;
    this.images.set(image, { ref: image, id, sizeBytes });
    return id;
  }

  /** Marks a started container running and arms its script. */
  private run(container: ContainerRecord): void {
    const { status, script } = container;
    status.state = 'running';
    status.startedAtMs = this.clock.nowMs();
    this.notifyRunning(container, true);
    const limitBytes = status.config.limits.memoryBytes;
    if (limitBytes > 0 && (script.memoryBytes ?? 0) > limitBytes) {
      const oomAfterMs = script.memoryAfterMs ?? 0;
      this.after(oomAfterMs, container, () => this.exit(container, sigkillExitCode, 'OOMKilled'));
    }
    if (script.exitAfterMs !== undefined) {
      const code = script.exitCode ?? 0;
      const afterMs = this.durationMs(script.exitAfterMs);
      this.after(afterMs, container, () => this.exit(container, code, exitReason(code)));
    }
  }

  /** A fixed duration, or a new draw (rounded, never negative). */
  private durationMs(duration: SimDurationMs): number {
    if (typeof duration === 'number') return duration;
    return Math.max(0, Math.round(duration(this.durationRng)));
  }

  private exit(container: ContainerRecord, exitCode: number, reason: string): void {
    const { status } = container;
    if (status.state !== 'running') return;
    status.state = 'exited';
    status.exitCode = exitCode;
    status.reason = reason;
    status.finishedAtMs = this.clock.nowMs();
    this.cancelTimers(container);
    this.notifyRunning(container, false);
    for (const wake of container.exitWaiters.splice(0)) wake();
  }

  private notifyRunning(container: ContainerRecord, running: boolean): void {
    if (this.containerObservers.size === 0) return;
    const { id, config } = container.status;
    const change = { containerId: id, podUid: config.labels[podUidLabel] ?? '', running };
    for (const observer of this.containerObservers) observer(change);
  }

  /** Removes a container: kills it if it runs, fails a start in flight. */
  private forget(container: ContainerRecord): void {
    this.exit(container, sigkillExitCode, 'Error');
    this.cancelTimers(container);
    if (container.start !== undefined) {
      const message = `container "${container.status.id}" was removed while starting`;
      container.start.reject(new RuntimeError('RunContainerError', message));
      container.start = undefined;
    }
    for (const wake of container.exitWaiters.splice(0)) wake();
    this.containers.delete(container.status.id);
    this.containersByPod.remove(podUidOf(container.status.config.labels), container.status.id);
  }

  private after(delayMs: number, container: ContainerRecord | undefined, fn: () => void): void {
    const handle = this.clock.setTimer(delayMs, () => {
      this.timers.delete(handle);
      container?.timers.delete(handle);
      fn();
    });
    this.timers.add(handle);
    container?.timers.add(handle);
  }

  private wait(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayMs, undefined, resolve));
  }

  private cancelTimers(container: ContainerRecord): void {
    for (const timer of container.timers) {
      timer.cancel();
      this.timers.delete(timer);
    }
    container.timers.clear();
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.status.sandboxId === sandboxId);
  }

  private sandboxReady(container: ContainerRecord): boolean {
    return this.sandboxes.get(container.status.sandboxId)?.sandbox.state === 'ready';
  }

  private sandboxRecord(sandboxId: string): SandboxRecord {
    const record = this.sandboxes.get(sandboxId);
    if (record === undefined) throw notFound('sandbox', sandboxId);
    return record;
  }

  private containerRecord(containerId: string): ContainerRecord {
    const record = this.containers.get(containerId);
    if (record === undefined) throw notFound('container', containerId);
    return record;
  }

  private allocateIpHost(): number {
    for (let host = ipHostMin; host <= ipHostMax; host += 1) {
      if (!this.ipHostsInUse.has(host)) {
        this.ipHostsInUse.add(host);
        return host;
      }
    }
    const message = `no free pod IP in ${this.podIpPrefix}.0/24 on node "${this.nodeName}"`;
    throw new RuntimeError('CreatePodSandboxError', message);
  }

  private releaseIp(record: SandboxRecord): void {
    this.ipHostsInUse.delete(record.ipHost);
  }

  /** 64 hex digits, as container runtimes print ids. */
  private newId(): string {
    let id = '';
    for (let i = 0; i < 8; i += 1)
      id += this.rng.intBelow(0x1_0000_0000).toString(16).padStart(8, '0');
    return id;
  }
}

function matches(status: ContainerStatus, filter: ContainerFilter): boolean {
  if (filter.sandboxId !== undefined && status.sandboxId !== filter.sandboxId) return false;
  if (filter.state !== undefined && status.state !== filter.state) return false;
  return hasLabels(status.config.labels, filter.labels);
}

function podUidOf(labels: Record<string, string>): string {
  return labels[podUidLabel] ?? '';
}

/** Object ids by pod-UID label, in creation order. */
class PodIndex {
  readonly #ids = new Map<string, Set<string>>();

  add(uid: string, id: string): void {
    let ids = this.#ids.get(uid);
    if (ids === undefined) this.#ids.set(uid, (ids = new Set()));
    ids.add(id);
  }

  remove(uid: string, id: string): void {
    const ids = this.#ids.get(uid);
    if (ids === undefined) return;
    ids.delete(id);
    if (ids.size === 0) this.#ids.delete(uid);
  }

  clear(): void {
    this.#ids.clear();
  }

  /**
   * The ids that may match `labels`: the pod's own when they name a pod UID, else `all` (in
   * creation order either way, so listings keep their order).
   */
  candidates(labels: Record<string, string> | undefined, all: Iterable<string>): Iterable<string> {
    const uid = labels?.[podUidLabel];
    if (uid === undefined) return all;
    return this.#ids.get(uid) ?? [];
  }
}

function exitReason(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

function notFound(kind: 'sandbox' | 'container', id: string): RuntimeError {
  return new RuntimeError('NotFound', `${kind} "${id}" not found`);
}

function sandboxNotReady(container: ContainerRecord): RuntimeError {
  const message = `sandbox "${container.status.sandboxId}" of container is not ready`;
  return new RuntimeError('RunContainerError', message);
}

function assertDurationMs(value: number, name: string): void {
  assert(Number.isSafeInteger(value), `${name} must be an integer, got ${value}`);
  assert(value >= 0, `${name} must not be negative, got ${value}`);
}

function assertProbeTimeoutMs(timeoutMs: number): void {
  assertDurationMs(timeoutMs, 'timeoutMs');
  assert(timeoutMs > 0, 'a probe needs a positive timeoutMs');
}

function assertDuration(value: SimDurationMs, name: string): void {
  if (typeof value === 'number') assertDurationMs(value, name);
}

function assertScript(image: string, script: SimImageScript): void {
  for (const key of ['pullMs', 'exitAfterMs', 'memoryAfterMs', 'terminationDelayMs'] as const) {
    const value = script[key];
    if (value !== undefined) assertDuration(value, `images["${image}"].${key}`);
  }
  assertListeners(image, script.listen ?? []);
}

function freezeSandboxConfig(config: PodSandboxConfig): PodSandboxConfig {
  return Object.freeze({ ...config, labels: Object.freeze({ ...config.labels }) });
}

function freezeContainerConfig(config: ContainerConfig): ContainerConfig {
  return Object.freeze({
    ...config,
    command: Object.freeze([...config.command]) as string[],
    args: Object.freeze([...config.args]) as string[],
    env: Object.freeze(config.env.map((e) => Object.freeze({ ...e }))) as ContainerConfig['env'],
    labels: Object.freeze({ ...config.labels }),
    limits: Object.freeze({ ...config.limits }),
  });
}

/** Go's RFC3339Nano, as kubelet log timestamps use: the fraction without trailing zeros. */
function rfc3339Nano(ms: number): string {
  const micro = formatMicroTime(ms);
  const [seconds, fraction = ''] = micro.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${seconds}Z` : `${seconds}.${trimmed}Z`;
}
