// LinuxRuntime: the real-mode ContainerRuntime on Linux namespaces (root only; see check()).
//
// - A sandbox is a network namespace held by a bind mount under the node's directory, with only
//   loopback, which also carries its pod IP (`<podIpPrefix>.N`, lowest free N): the pod reaches
//   itself by IP, other pods cannot reach it yet. Probes of host '' go to its 127.0.0.1.
// - A container is busybox's unshare into new PID, mount, UTS and IPC namespaces, joined to its
//   sandbox's network namespace, pivot_root'ed into an overlay of its image's rootfs and a
//   per-container upper dir, with /proc, hostname = the sandbox's hostname, cgroup limits from
//   config.limits, and a small init as PID 1 (container-scripts.ts): workloads see signals as
//   under `docker run --init`; exit codes are the workload's, 128 + n after signal n, reason
//   OOMKilled when the cgroup's OOM counter moved, StartError (128) when it could not start.
// - stdout/stderr go to container.log in CRI format, written by a per-container shim that
//   outlives this object; all state is in state.json files, so a new LinuxRuntime over the same
//   data dir and node adopts the running containers, and sweeps what a crash left half-made.
// - Unknown ids reject with RuntimeError 'NotFound', except the removes, which are idempotent.
// Where it keeps things: runtime-files.ts. Images: image-store.ts (`<dataDir>/images`, shared by
// every node of the data dir).

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../control/ports/clock.js';
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
} from '../../control/ports/container-runtime.js';
import { AssertionError, assert } from '../../control/util/assert.js';
import { ensureBaseLayer } from './base-layer.js';
import { detectCgroupLayout, type CgroupLayout } from './cgroup-layout.js';
import { killCgroupNow, removeEmptyGroup } from './container-cgroup.js';
import { readContainerLog } from './container-logs.js';
import { ContainerSupervisor } from './container-supervisor.js';
import { execInContainer } from './exec-in-container.js';
import { ImageStore } from './image-store.js';
import { busyboxPathDefault, checkLinuxRuntime, findNsenter } from './linux-check.js';
import {
  checkContainerName,
  checkSandboxConfig,
  isValidNodeName,
  podHostname,
} from './linux-names.js';
import { probeHttpIn, probeTcpIn } from './probe-client.js';
import {
  containerMatches,
  containerView,
  newContainerRecord,
  sandboxView,
  type ContainerRecord,
  type SandboxRecord,
} from './runtime-records.js';
import { newRuntimeId, runtimePaths, writeJsonAtomic, type RuntimePaths } from './runtime-files.js';
import { loadAndSweep } from './runtime-sweep.js';
import { createNetns, removeNetns } from './sandbox-netns.js';

export interface LinuxRuntimeOptions {
  /** Data directory; this node's state goes to `<dataDir>/nodes/<nodeName>`. */
  dataDir: string;
  /** DNS-1123 subdomain; separates the state and cgroups of several nodes on one host. */
  nodeName: string;
  clock: Clock;
  /** One line per noteworthy runtime event (sweeps, cleanup failures). Default: none. */
  log?: (line: string) => void;
  /** The static busybox containers are made with. Default /bin/busybox. */
  busyboxPath?: string;
  /** First three octets of this node's pod IPs (`<prefix>.2` to `.254`). Default '10.244.0'. */
  podIpPrefix?: string;
}

/** logs() also honours `sinceMs` (ms since the epoch; 0 or absent: all), for kubectl --since. */
export type LinuxLogOptions = LogOptions & { sinceMs?: number };

interface Ready {
  supervisor: ContainerSupervisor;
  nsenterPath: string;
  cgroupLayout: CgroupLayout;
}

export class LinuxRuntime implements ContainerRuntime {
  /** undefined when this machine can run it; else one sentence saying what is missing. */
  static check(): Promise<string | undefined> {
    return checkLinuxRuntime();
  }

  private readonly options: LinuxRuntimeOptions;
  private readonly paths: RuntimePaths;
  private readonly busyboxPath: string;
  private readonly log: (line: string) => void;
  private readonly images: ImageStore;
  private sandboxes = new Map<string, SandboxRecord>();
  private containers = new Map<string, ContainerRecord>();
  private readonly starts = new Map<string, Promise<void>>();
  /** Pod IPs of sandboxes being created (not in `sandboxes` yet). */
  private readonly ipsInFlight = new Set<string>();
  private readonly podIpPrefix: string;
  private ready: Promise<Ready> | undefined;

  constructor(options: LinuxRuntimeOptions) {
    assert(isValidNodeName(options.nodeName), `invalid node name "${options.nodeName}"`);
    assert(!/[,:\\\n]/.test(options.dataDir), `data dir "${options.dataDir}" has , : \\ or \\n`);
    this.options = options;
    this.paths = runtimePaths(options.dataDir, options.nodeName);
    this.busyboxPath = options.busyboxPath ?? busyboxPathDefault;
    this.log = options.log ?? (() => undefined);
    this.podIpPrefix = options.podIpPrefix ?? '10.244.0';
    assert(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(this.podIpPrefix), 'bad podIpPrefix');
    this.images = new ImageStore({
      imagesDir: this.paths.imagesDir,
      busyboxPath: this.busyboxPath,
      nodeName: options.nodeName,
    });
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.guard('CreatePodSandboxError', async () => {
      await this.started();
      checkSandboxConfig(config);
      const id = newRuntimeId();
      const dir = join(this.paths.sandboxesDir, id);
      const ip = this.allocateIp();
      const record: SandboxRecord = {
        id,
        config: structuredClone(config),
        state: 'ready',
        createdAtMs: this.options.clock.nowMs(),
        hostname: podHostname(config.hostname),
        netnsPath: join(dir, 'netns'),
        ip,
      };
      try {
        await mkdir(dir, { recursive: true });
        await writeJsonAtomic(join(dir, 'state.json'), record);
        await createNetns(this.busyboxPath, record.netnsPath, ip);
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw new RuntimeError('CreatePodSandboxError', `cannot create the network: ${error}`);
      } finally {
        this.ipsInFlight.delete(ip);
      }
      this.sandboxes.set(id, record);
      return id;
    });
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    return this.guard('StopPodSandboxError', async () => {
      const { supervisor } = await this.started();
      const record = this.sandbox(sandboxId);
      const members = [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
      await Promise.all(members.map((c) => this.afterStart(c.id).then(() => supervisor.kill(c))));
      await removeNetns(this.busyboxPath, record.netnsPath);
      if (record.state !== 'notready') {
        record.state = 'notready';
        await this.saveSandbox(record);
      }
    });
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    return this.guard('RemovePodSandboxError', async () => {
      await this.started();
      if (!this.sandboxes.has(sandboxId)) return;
      await this.stopPodSandbox(sandboxId);
      const members = [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
      for (const container of members) await this.removeContainer(container.id);
      await rm(join(this.paths.sandboxesDir, sandboxId), { recursive: true, force: true });
      this.sandboxes.delete(sandboxId);
    });
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    return this.guard('ListPodSandboxError', async () => {
      await this.started();
      const records = [...this.sandboxes.values()];
      return records.filter((r) => hasLabels(r.config.labels, filter.labels)).map(sandboxView);
    });
  }

  async pullImage(image: string): Promise<string> {
    return this.guard('ErrImagePull', async () => {
      return (await this.images.pull(image)).id;
    });
  }

  listImages(): Promise<ImageInfo[]> {
    return this.guard('ListImagesError', () => this.images.list());
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    return this.guard('CreateContainerError', async () => {
      const { supervisor } = await this.started();
      const sandbox = this.sandbox(sandboxId);
      if (sandbox.state !== 'ready') {
        throw new RuntimeError('CreateContainerError', `sandbox "${sandboxId}" is not ready`);
      }
      checkContainerName(config.name);
      const image = await this.images.lookup(config.image);
      const record = newContainerRecord({
        id: newRuntimeId(),
        sandbox,
        config,
        image,
        createdAtMs: this.options.clock.nowMs(),
      });
      await supervisor.prepare(record);
      this.containers.set(record.id, record);
      return record.id;
    });
  }

  async startContainer(containerId: string): Promise<void> {
    return this.guard('RunContainerError', async () => {
      const { supervisor } = await this.started();
      const record = this.container(containerId);
      if (record.state !== 'created' || this.starts.has(containerId)) {
        const message = `container "${containerId}" is ${record.state}, not created`;
        throw new RuntimeError('RunContainerError', message);
      }
      const sandbox = this.sandbox(record.sandboxId);
      if (sandbox.state !== 'ready') {
        const message = `sandbox "${record.sandboxId}" of container is not ready`;
        throw new RuntimeError('RunContainerError', message);
      }
      const start = supervisor.start(record, sandbox.netnsPath);
      this.starts.set(containerId, start);
      try {
        await start;
      } finally {
        this.starts.delete(containerId);
      }
    });
  }

  async stopContainer(containerId: string, timeoutMs: number): Promise<void> {
    assert(Number.isSafeInteger(timeoutMs) && timeoutMs >= 0, `bad timeoutMs ${timeoutMs}`);
    return this.guard('StopContainerError', async () => {
      const { supervisor } = await this.started();
      const record = this.container(containerId);
      await this.afterStart(containerId);
      await supervisor.stop(record, timeoutMs);
    });
  }

  async removeContainer(containerId: string): Promise<void> {
    return this.guard('RemoveContainerError', async () => {
      const { supervisor } = await this.started();
      const record = this.containers.get(containerId);
      if (record === undefined) return;
      await this.afterStart(containerId);
      await supervisor.destroy(record);
      this.containers.delete(containerId);
    });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    return this.guard('ListContainersError', async () => {
      const { supervisor } = await this.started();
      // Only the containers the sandbox and label filters keep are refreshed (a pod's sync lists
      // its own containers: checking every container of the node each time would be quadratic).
      const { state, ...placement } = filter;
      const records = [...this.containers.values()].filter((r) => containerMatches(r, placement));
      await Promise.all(records.map((record) => supervisor.refresh(record)));
      return records
        .filter((record) => state === undefined || record.state === state)
        .map(containerView);
    });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.guard('ContainerStatusError', async () => {
      const { supervisor } = await this.started();
      const record = this.container(containerId);
      await supervisor.refresh(record);
      return containerView(record);
    });
  }

  async exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    assert(Number.isSafeInteger(timeoutMs) && timeoutMs >= 0, `bad timeoutMs ${timeoutMs}`);
    return this.guard('ExecError', async () => {
      const { supervisor, nsenterPath } = await this.started();
      const record = this.container(containerId);
      await supervisor.refresh(record);
      if (record.state !== 'running' || record.init === undefined) {
        const message = `container "${containerId}" is not running`;
        throw new RuntimeError('ContainerNotRunning', message);
      }
      return execInContainer({
        busyboxPath: this.busyboxPath,
        nsenterPath,
        initPid: record.init.pid,
        containerDir: supervisor.dir(containerId),
        env: record.env,
        command,
        timeoutMs,
      });
    });
  }

  async probeTcp(
    sandboxId: string,
    address: ProbeAddress,
    timeoutMs: number,
  ): Promise<TcpProbeResult> {
    assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'a probe needs a positive timeoutMs');
    const { nsenterPath } = await this.started();
    const netnsPath = this.probeTarget(sandboxId);
    return probeTcpIn({ nsenterPath, netnsPath }, address, timeoutMs);
  }

  async probeHttp(
    sandboxId: string,
    request: HttpProbeRequest,
    timeoutMs: number,
  ): Promise<HttpProbeResponse> {
    assert(Number.isSafeInteger(timeoutMs) && timeoutMs > 0, 'a probe needs a positive timeoutMs');
    const { nsenterPath } = await this.started();
    const netnsPath = this.probeTarget(sandboxId);
    return probeHttpIn({ nsenterPath, netnsPath }, request, timeoutMs);
  }

  async logs(containerId: string, options: LinuxLogOptions): Promise<string[]> {
    return this.guard('LogsError', async () => {
      const { supervisor } = await this.started();
      this.container(containerId);
      return readContainerLog(join(supervisor.dir(containerId), 'container.log'), {
        tailLines: options.tailLines,
        timestamps: options.timestamps,
        sinceMs: options.sinceMs ?? 0,
      });
    });
  }

  /**
   * SIGKILLs every process of every container at once, without waiting or recording (a forced
   * exit, e.g. a second Ctrl-C). The exits are noticed later, by this or the next runtime.
   */
  killAllNow(): void {
    for (const record of this.containers.values()) {
      if (record.state === 'running') killCgroupNow(record);
    }
  }

  /** Releases what outlives the containers: the per-node cgroup group when it is empty. */
  async close(): Promise<void> {
    const ready = await this.ready?.catch(() => undefined);
    if (ready === undefined) return;
    await Promise.all([...this.starts.values()].map((start) => start.catch(() => undefined)));
    await removeEmptyGroup(ready.cgroupLayout, this.paths.cgroupGroup);
  }

  /** The container's log file (CRI format), e.g. for following it; it may not exist yet. */
  logPath(containerId: string): string {
    return join(this.paths.containersDir, this.container(containerId).id, 'container.log');
  }

  /** The lowest pod IP no ready sandbox (or one being made) has. */
  private allocateIp(): string {
    const used = new Set(this.ipsInFlight);
    for (const sandbox of this.sandboxes.values()) {
      if (sandbox.state === 'ready') used.add(sandbox.ip);
    }
    for (let host = 2; host <= 254; host += 1) {
      const ip = `${this.podIpPrefix}.${host}`;
      if (!used.has(ip)) {
        this.ipsInFlight.add(ip);
        return ip;
      }
    }
    const message = `no free pod IP in ${this.podIpPrefix}.0/24 on node "${this.options.nodeName}"`;
    throw new RuntimeError('CreatePodSandboxError', message);
  }

  /** Turns an unexpected failure (an I/O error) into the operating error the port promises. */
  private async guard<T>(reason: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof RuntimeError || error instanceof AssertionError) throw error;
      throw new RuntimeError(reason, error instanceof Error ? error.message : String(error));
    }
  }

  private started(): Promise<Ready> {
    this.ready ??= this.load();
    return this.ready;
  }

  private async load(): Promise<Ready> {
    const detected = await detectCgroupLayout();
    if (!detected.ok) throw new Error(`The Linux runtime cannot start: ${detected.error}`);
    const nsenterPath = await findNsenter();
    if (nsenterPath === undefined) throw new Error("The Linux runtime needs util-linux's nsenter");
    await mkdir(this.paths.nodeDir, { recursive: true });
    const baseDir = await ensureBaseLayer(this.paths.nodeDir, this.busyboxPath);
    const supervisor = new ContainerSupervisor({
      clock: this.options.clock,
      baseDir,
      busyboxPath: this.busyboxPath,
      containersDir: this.paths.containersDir,
      cgroupGroup: this.paths.cgroupGroup,
      cgroupLayout: detected.layout,
      log: this.log,
    });
    const loaded = await loadAndSweep({
      paths: this.paths,
      busyboxPath: this.busyboxPath,
      supervisor,
      cgroupLayout: detected.layout,
      log: this.log,
    });
    this.sandboxes = loaded.sandboxes;
    this.containers = loaded.containers;
    return { supervisor, nsenterPath, cgroupLayout: detected.layout };
  }

  private async afterStart(containerId: string): Promise<void> {
    await this.starts.get(containerId)?.catch(() => undefined);
  }

  private probeTarget(sandboxId: string): string {
    const sandbox = this.sandbox(sandboxId);
    if (sandbox.state !== 'ready') {
      throw new RuntimeError('SandboxNotReady', `sandbox "${sandboxId}" is not ready`);
    }
    return sandbox.netnsPath;
  }

  private saveSandbox(record: SandboxRecord): Promise<void> {
    return writeJsonAtomic(join(this.paths.sandboxesDir, record.id, 'state.json'), record);
  }

  private sandbox(sandboxId: string): SandboxRecord {
    const record = this.sandboxes.get(sandboxId);
    if (record === undefined)
      throw new RuntimeError('NotFound', `sandbox "${sandboxId}" not found`);
    return record;
  }

  private container(containerId: string): ContainerRecord {
    const record = this.containers.get(containerId);
    if (record === undefined) {
      throw new RuntimeError('NotFound', `container "${containerId}" not found`);
    }
    return record;
  }
}
