// Tests of SimRuntime's probe surface: exec durations and timeouts, scripted TCP and HTTP.

import { describe, expect, it } from 'vitest';
import {
  RuntimeError,
  type ContainerConfig,
  type HttpProbeRequest,
  type PodSandboxConfig,
} from '../control/ports/container-runtime.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { Engine } from './engine/engine.js';
import { SimRuntime, type SimImageScript } from './sim-runtime.js';

const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

function newWorld(images: Record<string, SimImageScript>) {
  const engine = new Engine({
    startMs: 1_767_225_600_000,
    drain: hostDrain,
    eventCountMax: 100_000,
    drainRoundsMax: 100,
  });
  const runtime = new SimRuntime({
    clock: engine.clock('node/worker-1'),
    rng: createRng(1, 'runtime/worker-1'),
    nodeName: 'worker-1',
    behavior: { imagePullMs: 0, containerStartMs: 0, images },
  });
  const advance = (ms: number): Promise<void> => engine.runUntil(engine.nowMs() + ms);
  return { engine, runtime, advance };
}

type World = ReturnType<typeof newWorld>;

/** Records how a promise settles, so a test can check it after letting time pass. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

function sandboxConfig(name: string): PodSandboxConfig {
  return { name, namespace: 'default', uid: `uid-${name}`, attempt: 0, hostname: name, labels: {} };
}

function containerConfig(image: string): ContainerConfig {
  return {
    name: 'app',
    image,
    command: [],
    args: [],
    env: [],
    workingDir: '',
    attempt: 0,
    labels: {},
    limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
  };
}

/** A sandbox running one container of `image`; resolves once it runs. */
async function running(world: World, image: string, name = 'web-1') {
  const { runtime, advance } = world;
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(name));
  const pull = track(runtime.pullImage(image));
  await advance(0);
  expect(pull.done).toBe(true);
  const id = await runtime.createContainer(sandboxId, containerConfig(image));
  const start = track(runtime.startContainer(id));
  await advance(0);
  expect(start.done).toBe(true);
  const ip = (await runtime.listPodSandboxes()).find((s) => s.id === sandboxId)?.ip ?? '';
  return { sandboxId, id, ip };
}

function get(host: string, port: number, path: string): HttpProbeRequest {
  return { scheme: 'HTTP', host, port, path, headers: [] };
}

describe('SimRuntime exec durations', () => {
  it('answers after the scripted duration, and passes the time since start', async () => {
    const seen: number[] = [];
    const world = newWorld({
      'slow:1': {
        exec: (_command, sinceStartMs) => {
          seen.push(sinceStartMs);
          return { exitCode: 0, stdout: 'ok', stderr: '', durationMs: 300 };
        },
      },
    });
    const { id } = await running(world, 'slow:1');
    await world.advance(1_000);
    const result = track(world.runtime.exec(id, ['check'], 1_000));
    await world.advance(299);
    expect(result.done).toBe(false);
    await world.advance(1);
    expect(result).toEqual({ done: true, value: { exitCode: 0, stdout: 'ok', stderr: '' } });
    expect(seen).toEqual([1_000]);
  });

  it('rejects with DeadlineExceeded at the timeout when the command needs longer', async () => {
    const world = newWorld({
      'hang:1': { exec: { exitCode: 0, stdout: '', stderr: '', durationMs: 5_000 } },
    });
    const { id } = await running(world, 'hang:1');
    const result = track(world.runtime.exec(id, ['sleep', '5'], 1_000));
    await world.advance(999);
    expect(result.done).toBe(false);
    await world.advance(1);
    expect(result.done).toBe(true);
    expect(result.error).toBeInstanceOf(RuntimeError);
    expect((result.error as RuntimeError).reason).toBe('DeadlineExceeded');
  });

  it('rejects an exec whose container stopped while it ran', async () => {
    const world = newWorld({
      'slow:1': { exec: { exitCode: 0, stdout: '', stderr: '', durationMs: 500 } },
    });
    const { id } = await running(world, 'slow:1');
    const result = track(world.runtime.exec(id, ['check'], 1_000));
    const stop = track(world.runtime.stopContainer(id, 100));
    await world.advance(500);
    expect(stop.done).toBe(true);
    expect((result.error as RuntimeError).reason).toBe('ContainerNotRunning');
  });
});

describe('SimRuntime TCP probes', () => {
  const images: Record<string, SimImageScript> = {
    'srv:1': { listen: [{ port: 8080, fromMs: 5_000, untilMs: 60_000 }] },
  };

  it('refuses before the port listens, accepts while it does, refuses after', async () => {
    const world = newWorld(images);
    const { sandboxId, ip } = await running(world, 'srv:1');
    const probe = () => world.runtime.probeTcp(sandboxId, { host: ip, port: 8080 }, 1_000);
    const refused = { ok: false, error: `dial tcp ${ip}:8080: connect: connection refused` };
    expect(await probe()).toEqual(refused);
    await world.advance(5_000);
    expect(await probe()).toEqual({ ok: true });
    await world.advance(55_000);
    expect(await probe()).toEqual(refused);
  });

  it('reaches the sandbox itself over loopback and other sandboxes by pod IP', async () => {
    const world = newWorld({ ...images, 'idle:1': {} });
    const server = await running(world, 'srv:1', 'server');
    const client = await running(world, 'idle:1', 'client');
    await world.advance(5_000);
    const loopback = await world.runtime.probeTcp(
      server.sandboxId,
      { host: '127.0.0.1', port: 8080 },
      1_000,
    );
    expect(loopback).toEqual({ ok: true });
    const across = await world.runtime.probeTcp(
      client.sandboxId,
      { host: server.ip, port: 8080 },
      1_000,
    );
    expect(across).toEqual({ ok: true });
    const own = await world.runtime.probeTcp(
      client.sandboxId,
      { host: '127.0.0.1', port: 8080 },
      1_000,
    );
    expect(own).toEqual({
      ok: false,
      error: 'dial tcp 127.0.0.1:8080: connect: connection refused',
    });
  });

  it('times out towards unknown hosts after the timeout', async () => {
    const world = newWorld(images);
    const { sandboxId } = await running(world, 'srv:1');
    const result = track(world.runtime.probeTcp(sandboxId, { host: '10.9.9.9', port: 80 }, 2_000));
    await world.advance(1_999);
    expect(result.done).toBe(false);
    await world.advance(1);
    expect(result.value).toEqual({ ok: false, error: 'dial tcp 10.9.9.9:80: i/o timeout' });
  });

  it('refuses once the listening container exited, and rejects for a stopped sandbox', async () => {
    const world = newWorld({ 'srv:1': { listen: [{ port: 80 }], exitAfterMs: 1_000 } });
    const { sandboxId, ip } = await running(world, 'srv:1');
    expect(await world.runtime.probeTcp(sandboxId, { host: ip, port: 80 }, 1_000)).toEqual({
      ok: true,
    });
    await world.advance(1_000);
    const after = await world.runtime.probeTcp(sandboxId, { host: ip, port: 80 }, 1_000);
    expect(after).toMatchObject({ ok: false });
    await world.runtime.stopPodSandbox(sandboxId);
    const error = await world.runtime
      .probeTcp(sandboxId, { host: ip, port: 80 }, 1_000)
      .catch((e: unknown) => e);
    expect((error as RuntimeError).reason).toBe('SandboxNotReady');
  });
});

describe('SimRuntime HTTP probes', () => {
  const images: Record<string, SimImageScript> = {
    'web:1': {
      listen: [
        {
          port: 80,
          http: [
            { path: '/healthz', statusCode: 200, body: 'ok' },
            { path: '/healthz', statusCode: 500, body: 'broken', fromMs: 30_000 },
            { path: '/slow', statusCode: 200, delayMs: 3_000 },
          ],
        },
      ],
    },
  };

  it('answers the route whose time has come, ignoring the query', async () => {
    const world = newWorld(images);
    const { sandboxId, ip } = await running(world, 'web:1');
    const probe = () => world.runtime.probeHttp(sandboxId, get(ip, 80, '/healthz?full=1'), 1_000);
    expect(await probe()).toEqual({ statusCode: 200, body: 'ok' });
    await world.advance(30_000);
    expect(await probe()).toEqual({ statusCode: 500, body: 'broken' });
  });

  it('answers 404 for unknown paths and refuses closed ports', async () => {
    const world = newWorld(images);
    const { sandboxId, ip } = await running(world, 'web:1');
    expect(await world.runtime.probeHttp(sandboxId, get(ip, 80, '/nope'), 1_000)).toEqual({
      statusCode: 404,
      body: '404 page not found\n',
    });
    expect(await world.runtime.probeHttp(sandboxId, get(ip, 81, '/'), 1_000)).toEqual({
      error: `dial tcp ${ip}:81: connect: connection refused`,
    });
  });

  it('answers after the route delay, or times out when the timeout comes first', async () => {
    const world = newWorld(images);
    const { sandboxId, ip } = await running(world, 'web:1');
    const patient = track(world.runtime.probeHttp(sandboxId, get(ip, 80, '/slow'), 5_000));
    const hasty = track(world.runtime.probeHttp(sandboxId, get(ip, 80, '/slow'), 1_000));
    await world.advance(1_000);
    expect(hasty.value).toEqual({
      error: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    });
    expect(patient.done).toBe(false);
    await world.advance(2_000);
    expect(patient.value).toEqual({ statusCode: 200, body: '' });
  });
});
