// ContainerRuntime contract: the sim runtime and the real one run this suite.
//
// Nothing here assumes simulated time: every wait goes through the fixture's `advance`, which is
// an engine run in sim and a real sleep in real mode, and an operation is awaited by advancing in
// steps until it settles (bounded).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RuntimeError,
  runtimeLabels,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStatus,
  type PodSandboxConfig,
} from '../../src/control/ports/container-runtime.js';

export interface ContainerRuntimeFixture {
  runtime: ContainerRuntime;
  /** Lets `ms` of the runtime's time pass. */
  advance(ms: number): Promise<void>;
  /** An image whose container runs until stopped. */
  image: string;
  /** Command for `image`, if it needs one to run until stopped. Default []. */
  command?: string[];
  /** An image whose container exits by itself soon (within stepCountMax × stepMs). */
  exitImage: { image: string; exitCode: number; command?: string[] };
  cleanup(): Promise<void>;
}

export interface ContainerRuntimeContractOptions {
  newRuntime(): Promise<ContainerRuntimeFixture>;
  /** Step of time let pass while waiting for an operation, ms. Default 50. */
  stepMs?: number;
  /** Most steps to wait for one operation or state. Default 200. */
  stepCountMax?: number;
}

const hostSetImmediate = setImmediate;
const macrotask = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

export function runContainerRuntimeContract(
  name: string,
  options: ContainerRuntimeContractOptions,
): void {
  const stepMs = options.stepMs ?? 50;
  const stepCountMax = options.stepCountMax ?? 200;
  let fixture: ContainerRuntimeFixture;
  let podCount = 0;

  /** Awaits an operation, letting time pass in steps until it settles. */
  async function settle<T>(operation: Promise<T>): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    operation.then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    for (let step = 0; step <= stepCountMax && outcome === undefined; step += 1) {
      await fixture.advance(step === 0 ? 0 : stepMs);
      await macrotask();
    }
    if (outcome === undefined) throw new Error(`operation did not settle in ${stepCountMax} steps`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Lets time pass until the container is in `state`. */
  async function waitForState(id: string, state: string): Promise<ContainerStatus> {
    for (let step = 0; step <= stepCountMax; step += 1) {
      const status = await settle(fixture.runtime.containerStatus(id));
      if (status.state === state) return status;
      await fixture.advance(stepMs);
    }
    throw new Error(`container ${id} did not become ${state}`);
  }

  function sandboxConfig(labels: Record<string, string> = {}): PodSandboxConfig {
    podCount += 1;
    const uid = `00000000-0000-4000-8000-${String(podCount).padStart(12, '0')}`;
    const podName = `pod-${podCount}`;
    return { name: podName, namespace: 'default', uid, attempt: 0, hostname: podName, labels };
  }

  function containerConfig(
    sandbox: PodSandboxConfig,
    containerName: string,
    exits = false,
  ): ContainerConfig {
    const image = exits ? fixture.exitImage.image : fixture.image;
    const command = (exits ? fixture.exitImage.command : fixture.command) ?? [];
    return {
      name: containerName,
      image,
      command,
      args: [],
      env: [{ name: 'GREETING', value: 'hello' }],
      workingDir: '',
      attempt: 0,
      labels: {
        [runtimeLabels.podUid]: sandbox.uid,
        [runtimeLabels.podName]: sandbox.name,
        [runtimeLabels.podNamespace]: sandbox.namespace,
        [runtimeLabels.containerName]: containerName,
        [runtimeLabels.attempt]: '0',
      },
      limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
    };
  }

  /** A ready sandbox with one started container of the long-running image. */
  async function runningContainer(): Promise<{ sandboxId: string; containerId: string }> {
    const runtime = fixture.runtime;
    const sandbox = sandboxConfig();
    const sandboxId = await settle(runtime.runPodSandbox(sandbox));
    await settle(runtime.pullImage(fixture.image));
    const containerId = await settle(
      runtime.createContainer(sandboxId, containerConfig(sandbox, 'app')),
    );
    await settle(runtime.startContainer(containerId));
    return { sandboxId, containerId };
  }

  async function expectRuntimeError(operation: Promise<unknown>, reason?: string): Promise<void> {
    const error = await settle(operation).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RuntimeError);
    if (reason !== undefined) expect((error as RuntimeError).reason).toBe(reason);
  }

  describe(`ContainerRuntime contract: ${name}`, () => {
    beforeEach(async () => {
      fixture = await options.newRuntime();
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('runs a ready sandbox that lists with its config', async () => {
      const config = sandboxConfig({ app: 'web' });
      const id = await settle(fixture.runtime.runPodSandbox(config));
      expect(id).toMatch(/^\S+$/);
      const listed = await settle(fixture.runtime.listPodSandboxes());
      const sandbox = listed.find((candidate) => candidate.id === id);
      expect(sandbox?.state).toBe('ready');
      expect(sandbox?.config).toEqual(config);
      expect(sandbox?.createdAtMs).toBeGreaterThan(0);
      expect(sandbox?.ip).toMatch(/^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})?$/);
    });

    it('gives two sandboxes distinct ids and distinct IPs', async () => {
      const first = await settle(fixture.runtime.runPodSandbox(sandboxConfig()));
      const second = await settle(fixture.runtime.runPodSandbox(sandboxConfig()));
      expect(first).not.toBe(second);
      const listed = await settle(fixture.runtime.listPodSandboxes());
      const ips = listed.filter((s) => s.id === first || s.id === second).map((s) => s.ip);
      if (ips.every((ip) => ip !== '')) expect(new Set(ips).size).toBe(2);
    });

    it('filters sandboxes by labels, pod UID included, and after removal', async () => {
      const runtime = fixture.runtime;
      const withUid = (config: PodSandboxConfig) => ({
        ...config,
        labels: { ...config.labels, [runtimeLabels.podUid]: config.uid },
      });
      const web = withUid(sandboxConfig({ app: 'web' }));
      const db = withUid(sandboxConfig({ app: 'db' }));
      const webId = await settle(runtime.runPodSandbox(web));
      const dbId = await settle(runtime.runPodSandbox(db));
      const ids = async (labels?: Record<string, string>) =>
        (await settle(runtime.listPodSandboxes(labels === undefined ? undefined : { labels })))
          .map((s) => s.id)
          .filter((id) => id === webId || id === dbId);
      expect((await ids()).sort()).toEqual([webId, dbId].sort());
      expect(await ids({ app: 'web' })).toEqual([webId]);
      const dbUid = db.labels[runtimeLabels.podUid] as string;
      expect(await ids({ [runtimeLabels.podUid]: dbUid })).toEqual([dbId]);
      expect(await ids({ [runtimeLabels.podUid]: dbUid, app: 'web' })).toEqual([]);
      await settle(runtime.stopPodSandbox(dbId));
      await settle(runtime.removePodSandbox(dbId));
      expect(await ids({ [runtimeLabels.podUid]: dbUid })).toEqual([]);
    });

    it('stops a sandbox (idempotently), making it notready', async () => {
      const id = await settle(fixture.runtime.runPodSandbox(sandboxConfig()));
      await settle(fixture.runtime.stopPodSandbox(id));
      await settle(fixture.runtime.stopPodSandbox(id));
      const listed = await settle(fixture.runtime.listPodSandboxes());
      expect(listed.find((sandbox) => sandbox.id === id)?.state).toBe('notready');
    });

    it('removes a sandbox (idempotently)', async () => {
      const id = await settle(fixture.runtime.runPodSandbox(sandboxConfig()));
      await settle(fixture.runtime.stopPodSandbox(id));
      await settle(fixture.runtime.removePodSandbox(id));
      await settle(fixture.runtime.removePodSandbox(id));
      const listed = await settle(fixture.runtime.listPodSandboxes());
      expect(listed.map((sandbox) => sandbox.id)).not.toContain(id);
    });

    it('pulls an image idempotently and lists it once', async () => {
      const first = await settle(fixture.runtime.pullImage(fixture.image));
      const second = await settle(fixture.runtime.pullImage(fixture.image));
      expect(first).not.toBe('');
      expect(second).toBe(first);
      const images = await settle(fixture.runtime.listImages());
      const matching = images.filter((image) => image.ref === fixture.image);
      expect(matching).toHaveLength(1);
      expect(matching[0]?.id).toBe(first);
      expect(matching[0]?.sizeBytes).toBeGreaterThanOrEqual(0);
    });

    it('creates, starts, stops and removes a container through its states', async () => {
      const runtime = fixture.runtime;
      const sandbox = sandboxConfig();
      const sandboxId = await settle(runtime.runPodSandbox(sandbox));
      await settle(runtime.pullImage(fixture.image));
      const config = containerConfig(sandbox, 'app');
      const id = await settle(runtime.createContainer(sandboxId, config));
      const created = await settle(runtime.containerStatus(id));
      expect(created).toMatchObject({ id, sandboxId, state: 'created', startedAtMs: 0 });
      expect(created.config).toEqual(config);
      expect(created.createdAtMs).toBeGreaterThan(0);
      expect(created.imageRef).not.toBe('');

      await settle(runtime.startContainer(id));
      const running = await settle(runtime.containerStatus(id));
      expect(running.state).toBe('running');
      expect(running.startedAtMs).toBeGreaterThanOrEqual(created.createdAtMs);
      expect(running.finishedAtMs).toBe(0);

      await settle(runtime.stopContainer(id, 200));
      const exited = await settle(runtime.containerStatus(id));
      expect(exited.state).toBe('exited');
      expect(exited.finishedAtMs).toBeGreaterThanOrEqual(running.startedAtMs);
      expect(exited.reason).not.toBe('');
      await settle(runtime.stopContainer(id, 200));

      await settle(runtime.removeContainer(id));
      await settle(runtime.removeContainer(id));
      await expectRuntimeError(runtime.containerStatus(id), 'NotFound');
    });

    it('reports the exit code of a container that exits by itself', async () => {
      const runtime = fixture.runtime;
      const sandbox = sandboxConfig();
      const sandboxId = await settle(runtime.runPodSandbox(sandbox));
      await settle(runtime.pullImage(fixture.exitImage.image));
      const config = containerConfig(sandbox, 'job', true);
      const id = await settle(runtime.createContainer(sandboxId, config));
      await settle(runtime.startContainer(id));
      const exited = await waitForState(id, 'exited');
      expect(exited.exitCode).toBe(fixture.exitImage.exitCode);
      expect(exited.reason).toBe(fixture.exitImage.exitCode === 0 ? 'Completed' : 'Error');
      expect(exited.finishedAtMs).toBeGreaterThanOrEqual(exited.startedAtMs);
    });

    it('filters containers by sandbox, state and labels', async () => {
      const runtime = fixture.runtime;
      const first = await runningContainer();
      const second = await runningContainer();
      const all = await settle(runtime.listContainers());
      expect(all.map((c) => c.id)).toEqual(
        expect.arrayContaining([first.containerId, second.containerId]),
      );
      const bySandbox = await settle(runtime.listContainers({ sandboxId: first.sandboxId }));
      expect(bySandbox.map((c) => c.id)).toEqual([first.containerId]);
      const status = await settle(runtime.containerStatus(second.containerId));
      const podUid = status.config.labels[runtimeLabels.podUid] as string;
      const byLabels = await settle(
        runtime.listContainers({
          labels: { [runtimeLabels.podUid]: podUid, [runtimeLabels.containerName]: 'app' },
        }),
      );
      expect(byLabels.map((c) => c.id)).toEqual([second.containerId]);
      const noMatch = await settle(
        runtime.listContainers({ labels: { [runtimeLabels.podUid]: podUid, other: 'x' } }),
      );
      expect(noMatch).toEqual([]);
      await settle(runtime.stopContainer(first.containerId, 200));
      const running = await settle(runtime.listContainers({ state: 'running' }));
      expect(running.map((c) => c.id)).toContain(second.containerId);
      expect(running.map((c) => c.id)).not.toContain(first.containerId);
      const exited = await settle(
        runtime.listContainers({ sandboxId: first.sandboxId, state: 'exited' }),
      );
      expect(exited.map((c) => c.id)).toEqual([first.containerId]);
    });

    it('stops the containers of a stopped sandbox', async () => {
      const { sandboxId, containerId } = await runningContainer();
      await settle(fixture.runtime.stopPodSandbox(sandboxId));
      const status = await settle(fixture.runtime.containerStatus(containerId));
      expect(status.state).toBe('exited');
    });

    it('execs in a running container and refuses once it stopped', async () => {
      const { containerId } = await runningContainer();
      const result = await settle(fixture.runtime.exec(containerId, ['true'], 1_000));
      expect(result.exitCode).toBe(0);
      expect(typeof result.stdout).toBe('string');
      await settle(fixture.runtime.stopContainer(containerId, 200));
      await expectRuntimeError(fixture.runtime.exec(containerId, ['true'], 1_000));
    });

    it('returns log lines, honouring tailLines', async () => {
      const { containerId } = await runningContainer();
      const all = await settle(
        fixture.runtime.logs(containerId, { tailLines: 0, timestamps: false }),
      );
      expect(Array.isArray(all)).toBe(true);
      for (const line of all) expect(typeof line).toBe('string');
      const tail = await settle(
        fixture.runtime.logs(containerId, { tailLines: 1, timestamps: true }),
      );
      expect(tail.length).toBeLessThanOrEqual(1);
    });

    it('probes a closed port inside a sandbox as refused, over TCP and HTTP', async () => {
      const { sandboxId } = await runningContainer();
      const address = { host: '127.0.0.1', port: 1 };
      const tcp = await settle(fixture.runtime.probeTcp(sandboxId, address, 1_000));
      expect(tcp).toEqual({
        ok: false,
        error: 'dial tcp 127.0.0.1:1: connect: connection refused',
      });
      const request = { scheme: 'HTTP' as const, ...address, path: '/', headers: [] };
      const http = await settle(fixture.runtime.probeHttp(sandboxId, request, 1_000));
      expect(http).toEqual({ error: 'dial tcp 127.0.0.1:1: connect: connection refused' });
    });

    it('rejects probes from unknown sandboxes with RuntimeError NotFound', async () => {
      const unknown = 'f'.repeat(64);
      const address = { host: '127.0.0.1', port: 80 };
      await expectRuntimeError(fixture.runtime.probeTcp(unknown, address, 100), 'NotFound');
      const request = { scheme: 'HTTP' as const, ...address, path: '/', headers: [] };
      await expectRuntimeError(fixture.runtime.probeHttp(unknown, request, 100), 'NotFound');
    });

    it('rejects unknown ids with RuntimeError NotFound', async () => {
      const runtime = fixture.runtime;
      const unknown = 'f'.repeat(64);
      const sandbox = sandboxConfig();
      await expectRuntimeError(runtime.containerStatus(unknown), 'NotFound');
      await expectRuntimeError(runtime.startContainer(unknown), 'NotFound');
      await expectRuntimeError(runtime.stopContainer(unknown, 100), 'NotFound');
      await expectRuntimeError(runtime.exec(unknown, ['true'], 100), 'NotFound');
      await expectRuntimeError(
        runtime.logs(unknown, { tailLines: 0, timestamps: false }),
        'NotFound',
      );
      await expectRuntimeError(runtime.stopPodSandbox(unknown), 'NotFound');
      await expectRuntimeError(
        runtime.createContainer(unknown, containerConfig(sandbox, 'app')),
        'NotFound',
      );
      await settle(runtime.removeContainer(unknown));
      await settle(runtime.removePodSandbox(unknown));
    });
  });
}
