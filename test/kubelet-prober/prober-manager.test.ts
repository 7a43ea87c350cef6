// ProberManager in virtual time: a SimRuntime and an engine clock, the kubelet's calls made by
// hand, and every probe, flip and event checked at the virtual instant it happens.

import { describe, expect, it } from 'vitest';
import { newTestEngine } from '../support/sim-base.js';
import { SimRuntime, type SimImageScript } from '../../src/sim/sim-runtime.js';
import type { HttpProbeRequest, ProbeAddress } from '../../src/control/ports/container-runtime.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { JsonObject } from '../../src/control/store/types.js';
import {
  ProberManager,
  type ProbeChange,
} from '../../src/control/kubelet/prober/prober-manager.js';

/** Counts the probe calls that reach the runtime, with their virtual time. */
class CountingRuntime extends SimRuntime {
  readonly calls: Array<{ atMs: number; call: string }> = [];
  private readonly now: () => number;

  constructor(options: ConstructorParameters<typeof SimRuntime>[0]) {
    super(options);
    this.now = () => options.clock.nowMs();
  }

  override exec(containerId: string, command: string[], timeoutMs: number) {
    this.calls.push({ atMs: this.now(), call: `exec ${command.join(' ')}` });
    return super.exec(containerId, command, timeoutMs);
  }

  override probeTcp(sandboxId: string, address: ProbeAddress, timeoutMs: number) {
    this.calls.push({ atMs: this.now(), call: `tcp ${address.port}` });
    return super.probeTcp(sandboxId, address, timeoutMs);
  }

  override probeHttp(sandboxId: string, request: HttpProbeRequest, timeoutMs: number) {
    this.calls.push({ atMs: this.now(), call: `http ${request.path}` });
    return super.probeHttp(sandboxId, request, timeoutMs);
  }
}

/** Time the kubelet has run before the tests add containers: no start-up jitter after it. */
const warmUpMs = 60_000;

async function newWorld(
  images: Record<string, SimImageScript>,
  options: { warmUp?: boolean } = {},
) {
  const engine = newTestEngine();
  const clock = engine.clock('node/worker-1');
  const runtime = new CountingRuntime({
    clock,
    rng: createRng(7, 'runtime/worker-1'),
    nodeName: 'worker-1',
    behavior: { imagePullMs: 0, containerStartMs: 0, images },
  });
  const changes: Array<ProbeChange & { atMs: number }> = [];
  const events: Array<{
    atMs: number;
    pod: string;
    type: string;
    reason: string;
    message: string;
  }> = [];
  let t0 = engine.nowMs();
  const manager = new ProberManager({
    runtime,
    clock,
    rng: createRng(7, 'kubelet/worker-1/prober'),
    onChange: (change) => changes.push({ ...change, atMs: clock.nowMs() - t0 }),
    recordEvent: (pod, type, reason, message) => {
      const name = String((pod.metadata as JsonObject).name);
      events.push({ atMs: clock.nowMs() - t0, pod: name, type, reason, message });
    },
  });
  const runFor = (ms: number): Promise<void> => engine.runUntil(engine.nowMs() + ms);
  /** Runs until `ms` after the containers started. */
  const runTo = (ms: number): Promise<void> => engine.runUntil(t0 + ms);
  if (options.warmUp !== false) await runFor(warmUpMs);
  t0 = engine.nowMs();

  /** Runs the pod's containers in the SimRuntime and hands them to the prober. */
  async function start(pod: JsonObject, images: Record<string, string>) {
    const metadata = pod.metadata as JsonObject;
    const sandboxId = await runtime.runPodSandbox({
      name: String(metadata.name),
      namespace: 'default',
      uid: String(metadata.uid),
      attempt: 0,
      hostname: String(metadata.name),
      labels: {},
    });
    const ip = (await runtime.listPodSandboxes()).find((s) => s.id === sandboxId)?.ip ?? '';
    const ids: Record<string, string> = {};
    for (const [name, image] of Object.entries(images)) {
      ids[name] = await startOne(sandboxId, name, image);
      const { startedAtMs } = await runtime.containerStatus(ids[name]);
      manager.addContainer(pod, {
        name,
        containerId: ids[name],
        sandboxId,
        podIp: ip,
        startedAtMs,
      });
    }
    return { sandboxId, ip, ids };
  }

  async function startOne(sandboxId: string, name: string, image: string): Promise<string> {
    const pull = runtime.pullImage(image);
    await engine.runUntil(engine.nowMs());
    await pull;
    const id = await runtime.createContainer(sandboxId, {
      name,
      image,
      command: [],
      args: [],
      env: [],
      workingDir: '',
      attempt: 0,
      labels: {},
      limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
    });
    const started = runtime.startContainer(id);
    await engine.runUntil(engine.nowMs());
    await started;
    return id;
  }

  return { engine, runtime, manager, changes, events, runFor, runTo, start, startOne };
}

function podOf(containers: JsonObject[], metadata: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1', ...metadata },
    spec: { containers },
  };
}

const exec = (...command: string[]) => ({ exec: { command } });

describe('ProberManager readiness', () => {
  const images: Record<string, SimImageScript> = {
    'web:1': {
      listen: [
        {
          port: 8080,
          http: [
            { path: '/ready', statusCode: 200, body: 'ok' },
            { path: '/ready', statusCode: 500, fromMs: 60_000 },
            { path: '/moved', statusCode: 301, body: 'elsewhere' },
          ],
        },
      ],
    },
  };
  const probe = {
    httpGet: { path: '/ready', port: 8080 },
    successThreshold: 2,
    failureThreshold: 2,
  };

  it('turns ready after successThreshold successes, unready after failureThreshold', async () => {
    const world = await newWorld(images);
    await world.start(podOf([{ name: 'web', readinessProbe: probe }]), { web: 'web:1' });
    expect(world.manager.isReady('uid-1', 'web')).toBe(false);
    expect(world.manager.isStarted('uid-1', 'web')).toBe(true);
    await world.runTo(9_999);
    expect(world.manager.isReady('uid-1', 'web')).toBe(false);
    await world.runTo(10_000);
    expect(world.manager.isReady('uid-1', 'web')).toBe(true);
    await world.runTo(69_999);
    expect(world.manager.isReady('uid-1', 'web')).toBe(true);
    await world.runTo(70_000);
    expect(world.manager.isReady('uid-1', 'web')).toBe(false);
    await world.runTo(100_000);
    expect(world.changes).toEqual([
      { podUid: 'uid-1', containerName: 'web', kind: 'readiness', result: 'success', atMs: 10_000 },
      { podUid: 'uid-1', containerName: 'web', kind: 'readiness', result: 'failure', atMs: 70_000 },
    ]);
    const message = 'Readiness probe failed: HTTP probe failed with statuscode: 500';
    expect(world.events.map((e) => e.atMs)).toEqual([60_000, 70_000, 80_000, 90_000, 100_000]);
    expect(world.events[0]).toEqual({
      atMs: 60_000,
      pod: 'web-1',
      type: 'Warning',
      reason: 'Unhealthy',
      message,
    });
    expect(world.runtime.calls.map((c) => c.call)).toEqual(Array(11).fill('http /ready'));
  });

  it('tells 200 from 500 and counts a redirect as success with a ProbeWarning', async () => {
    const world = await newWorld({
      ...images,
      'web:1': {
        listen: [
          {
            port: 8080,
            http: [
              { path: '/ok', statusCode: 200 },
              { path: '/bad', statusCode: 500 },
              { path: '/moved', statusCode: 301, body: 'elsewhere' },
            ],
          },
        ],
      },
    });
    const http = (path: string) => ({ httpGet: { path, port: 8080 } });
    await world.start(
      podOf([
        { name: 'ok', readinessProbe: http('/ok') },
        { name: 'bad', readinessProbe: http('/bad') },
        { name: 'moved', readinessProbe: http('/moved') },
      ]),
      { ok: 'web:1', bad: 'idle:1', moved: 'idle:1' },
    );
    await world.runTo(30_000);
    expect(world.manager.isReady('uid-1', 'ok')).toBe(true);
    expect(world.manager.isReady('uid-1', 'bad')).toBe(false);
    expect(world.manager.isReady('uid-1', 'moved')).toBe(true);
    const messages = new Set(world.events.map((e) => `${e.reason}: ${e.message}`));
    expect([...messages].sort()).toEqual([
      'ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: elsewhere',
      'Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500',
    ]);
  });

  it('reports a closed TCP port with the dial error', async () => {
    const world = await newWorld({});
    const { ip } = await world.start(
      podOf([{ name: 'db', readinessProbe: { tcpSocket: { port: 5432 } } }]),
      { db: 'db:1' },
    );
    await world.runTo(20_000);
    expect(world.manager.isReady('uid-1', 'db')).toBe(false);
    expect(world.events.map((e) => e.message)).toEqual(
      Array(3).fill(`Readiness probe failed: dial tcp ${ip}:5432: connect: connection refused`),
    );
    expect(world.changes).toEqual([]);
  });

  it('resolves named ports from the container, and reports unknown names as errors', async () => {
    const world = await newWorld({ 'web:1': { listen: [{ port: 8080 }] } });
    const ports = [{ name: 'http', containerPort: 8080 }];
    await world.start(
      podOf([
        { name: 'named', ports, readinessProbe: { tcpSocket: { port: 'http' } } },
        { name: 'unknown', ports, readinessProbe: { tcpSocket: { port: 'metrics' } } },
      ]),
      { named: 'web:1', unknown: 'idle:1' },
    );
    await world.runTo(0);
    expect(world.manager.isReady('uid-1', 'named')).toBe(true);
    expect(world.manager.isReady('uid-1', 'unknown')).toBe(false);
    expect(world.events).toEqual([
      {
        atMs: 0,
        pod: 'web-1',
        type: 'Warning',
        reason: 'Unhealthy',
        message:
          'Readiness probe errored and resulted in unknown state: ' +
          'strconv.Atoi: parsing "metrics": invalid syntax',
      },
    ]);
    expect(world.runtime.calls.map((c) => c.call)).toEqual(['tcp 8080']);
  });

  it('waits for initialDelaySeconds, probing on the first period tick past it', async () => {
    const world = await newWorld({});
    const readinessProbe = { ...exec('check'), initialDelaySeconds: 15 };
    await world.start(podOf([{ name: 'app', readinessProbe }]), { app: 'app:1' });
    await world.runTo(40_000);
    expect(world.runtime.calls.map((c) => c.atMs - (world.engine.nowMs() - 40_000))).toEqual([
      20_000, 30_000, 40_000,
    ]);
    expect(world.changes.map((c) => c.atMs)).toEqual([20_000]);
  });

  it('is ready at once without a readiness probe, and unknown containers are not', async () => {
    const world = await newWorld({});
    await world.start(podOf([{ name: 'plain' }]), { plain: 'plain:1' });
    expect(world.manager.isReady('uid-1', 'plain')).toBe(true);
    expect(world.manager.isStarted('uid-1', 'plain')).toBe(true);
    expect(world.manager.isReady('uid-1', 'other')).toBe(false);
    expect(world.manager.isStarted('uid-2', 'plain')).toBe(false);
  });
});

describe('ProberManager liveness', () => {
  it('reports one failure after failureThreshold failures, then holds until re-added', async () => {
    const world = await newWorld({
      'app:1': { exec: { exitCode: 1, stdout: 'unhealthy', stderr: '\n' } },
      'app:2': { exec: { exitCode: 0, stdout: '', stderr: '' } },
    });
    const pod = podOf([{ name: 'app', livenessProbe: exec('check') }]);
    const { sandboxId } = await world.start(pod, { app: 'app:1' });
    await world.runTo(100_000);
    expect(world.changes).toEqual([
      { podUid: 'uid-1', containerName: 'app', kind: 'liveness', result: 'failure', atMs: 20_000 },
    ]);
    expect(world.runtime.calls.map((c) => c.call)).toEqual(Array(3).fill('exec check'));
    expect(world.events.map((e) => e.message)).toEqual(
      Array(3).fill('Liveness probe failed: unhealthy\n'),
    );
    expect(world.manager.isReady('uid-1', 'app')).toBe(true);

    const restarted = await world.startOne(sandboxId, 'app', 'app:2');
    const { startedAtMs } = await world.runtime.containerStatus(restarted);
    const container = { name: 'app', containerId: restarted, sandboxId, podIp: '', startedAtMs };
    world.manager.addContainer(pod, container);
    world.manager.addContainer(pod, container);
    await world.runTo(150_000);
    expect(world.runtime.calls).toHaveLength(3 + 6);
    expect(world.changes).toHaveLength(1);
  });

  it('fails an exec probe that outlives its timeout with upstream’s message', async () => {
    const world = await newWorld({
      'app:1': { exec: { exitCode: 0, stdout: '', stderr: '', durationMs: 5_000 } },
    });
    const livenessProbe = { ...exec('sh', '-c', 'sleep 5'), failureThreshold: 1 };
    await world.start(podOf([{ name: 'app', livenessProbe }]), { app: 'app:1' });
    await world.runTo(30_000);
    expect(world.changes).toEqual([
      { podUid: 'uid-1', containerName: 'app', kind: 'liveness', result: 'failure', atMs: 1_000 },
    ]);
    expect(world.events.map((e) => e.message)).toEqual([
      'Liveness probe failed: command "sh -c sleep 5" timed out',
    ]);
  });

  it('probes again right after a probe that outlasted a period tick', async () => {
    const world = await newWorld({
      'app:1': { exec: { exitCode: 0, stdout: '', stderr: '', durationMs: 15_000 } },
    });
    const livenessProbe = { ...exec('slow'), timeoutSeconds: 20 };
    await world.start(podOf([{ name: 'app', livenessProbe }]), { app: 'app:1' });
    await world.runTo(50_000);
    const t0 = world.engine.nowMs() - 50_000;
    expect(world.runtime.calls.map((c) => c.atMs - t0)).toEqual([0, 15_000, 30_000, 45_000]);
  });

  it('runs no liveness or startup probes for a terminating pod: it counts as started', async () => {
    const world = await newWorld({});
    const pod = podOf(
      [
        {
          name: 'app',
          livenessProbe: exec('live'),
          startupProbe: exec('start'),
          readinessProbe: exec('ready'),
        },
      ],
      { deletionTimestamp: '2026-01-01T00:01:00Z' },
    );
    await world.start(pod, { app: 'app:1' });
    await world.runTo(20_000);
    expect(world.manager.isStarted('uid-1', 'app')).toBe(true);
    expect(new Set(world.runtime.calls.map((c) => c.call))).toEqual(new Set(['exec ready']));
  });
});

describe('ProberManager startup', () => {
  const images: Record<string, SimImageScript> = {
    'slow:1': { listen: [{ port: 8080, fromMs: 25_000 }] },
  };
  const container = {
    name: 'app',
    startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 10 },
    readinessProbe: exec('ready'),
    livenessProbe: exec('live'),
  };

  it('holds readiness and liveness until the startup probe succeeds', async () => {
    const world = await newWorld(images);
    await world.start(podOf([container]), { app: 'slow:1' });
    await world.runTo(29_999);
    expect(world.manager.isStarted('uid-1', 'app')).toBe(false);
    expect(world.manager.isReady('uid-1', 'app')).toBe(false);
    await world.runTo(45_000);
    const t0 = world.engine.nowMs() - 45_000;
    expect(world.runtime.calls.map((c) => `${c.atMs - t0} ${c.call}`)).toEqual([
      '0 tcp 8080',
      '10000 tcp 8080',
      '20000 tcp 8080',
      '30000 tcp 8080',
      '30000 exec ready',
      '40000 exec ready',
      '40000 exec live',
    ]);
    expect(world.changes.map((c) => `${c.atMs} ${c.kind} ${c.result}`)).toEqual([
      '30000 startup success',
      '30000 readiness success',
    ]);
    expect(world.manager.isReady('uid-1', 'app')).toBe(true);
  });

  it('reports a startup failure once and never runs the other probes', async () => {
    const world = await newWorld({});
    const failing = { ...container, startupProbe: { tcpSocket: { port: 8080 } } };
    await world.start(podOf([failing]), { app: 'never:1' });
    await world.runTo(100_000);
    expect(world.changes.map((c) => `${c.atMs} ${c.kind} ${c.result}`)).toEqual([
      '20000 startup failure',
    ]);
    expect(world.runtime.calls.map((c) => c.call)).toEqual(Array(3).fill('tcp 8080'));
    expect(world.events[0]?.message).toMatch(/^Startup probe failed: dial tcp .*refused$/);
  });
});

describe('ProberManager removal and start-up jitter', () => {
  it('makes no runtime call after removeContainer, and drops a probe in flight', async () => {
    const world = await newWorld({
      'app:1': { exec: { exitCode: 1, stdout: 'no', stderr: '', durationMs: 500 } },
    });
    await world.start(
      podOf([
        { name: 'a', readinessProbe: exec('a'), livenessProbe: exec('a') },
        { name: 'b', readinessProbe: exec('b') },
      ]),
      { a: 'app:1', b: 'app:1' },
    );
    await world.runTo(10_100);
    const before = world.runtime.calls.filter((c) => c.call === 'exec a').length;
    expect(before).toBe(4);
    world.manager.removeContainer('uid-1', 'a');
    await world.runTo(100_000);
    expect(world.runtime.calls.filter((c) => c.call === 'exec a')).toHaveLength(before);
    expect(world.events.filter((e) => e.message.includes('Liveness'))).toHaveLength(1);
    expect(world.runtime.calls.filter((c) => c.call === 'exec b').length).toBeGreaterThan(2);
    expect(world.manager.isReady('uid-1', 'a')).toBe(false);
    world.manager.removePod('uid-1');
    world.manager.stop();
    const total = world.runtime.calls.length;
    await world.runFor(100_000);
    expect(world.runtime.calls).toHaveLength(total);
    expect(world.changes).toEqual([]);
  });

  it('staggers the first probe by a draw from the Rng right after the kubelet starts', async () => {
    const firstProbeAtMs = async () => {
      const world = await newWorld({}, { warmUp: false });
      const { engine } = world;
      const addedAtMs = engine.nowMs();
      await world.start(podOf([{ name: 'app', readinessProbe: exec('check') }]), {
        app: 'app:1',
      });
      await world.runFor(30_000);
      return (world.runtime.calls[0]?.atMs ?? -1) - addedAtMs;
    };
    const expected = Math.trunc(createRng(7, 'kubelet/worker-1/prober').float() * 10_000);
    expect(await firstProbeAtMs()).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    expect(await firstProbeAtMs()).toBe(expected);
  });
});
