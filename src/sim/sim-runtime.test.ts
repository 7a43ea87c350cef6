// Tests of SimRuntime: the ContainerRuntime contract plus its scripted, timed behaviour.

import { describe, expect, it } from 'vitest';
import { runContainerRuntimeContract } from '../../test/contracts/container-runtime.js';
import {
  RuntimeError,
  type ContainerConfig,
  type PodSandboxConfig,
} from '../control/ports/container-runtime.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { Engine } from './engine/engine.js';
import { SimRuntime, type SimRuntimeBehavior } from './sim-runtime.js';

const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));
const startMs = 1_767_225_600_000;

function newWorld(behavior: Partial<SimRuntimeBehavior> = {}, seed = 1) {
  const engine = new Engine({
    startMs,
    drain: hostDrain,
    eventCountMax: 100_000,
    drainRoundsMax: 100,
  });
  const runtime = new SimRuntime({
    clock: engine.clock('node/worker-1'),
    rng: createRng(seed, 'runtime/worker-1'),
    nodeName: 'worker-1',
    behavior: { imagePullMs: 100, containerStartMs: 50, ...behavior },
    podIpPrefix: '10.244.1',
  });
  const advance = (ms: number): Promise<void> => engine.runUntil(engine.nowMs() + ms);
  return { engine, runtime, advance };
}

/** Records how a promise settles, so a test can check it after letting time pass. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

const sandboxConfig: PodSandboxConfig = {
  name: 'web-1',
  namespace: 'default',
  uid: 'uid-1',
  attempt: 0,
  hostname: 'web-1',
  labels: {},
};

function containerConfig(image: string, memoryLimitBytes = 0): ContainerConfig {
  return {
    name: 'app',
    image,
    command: [],
    args: [],
    env: [],
    workingDir: '',
    attempt: 0,
    labels: { app: 'web' },
    limits: { memoryBytes: memoryLimitBytes, cpuMillis: 0, pidsMax: 0 },
  };
}

/** Pulls, creates and starts a container of `image`; returns its id once running. */
async function started(world: ReturnType<typeof newWorld>, image: string, limitBytes = 0) {
  const { runtime, advance } = world;
  const sandboxId = await runtime.runPodSandbox(sandboxConfig);
  const pull = track(runtime.pullImage(image));
  await advance(1_000);
  expect(pull.done).toBe(true);
  const id = await runtime.createContainer(sandboxId, containerConfig(image, limitBytes));
  const start = track(runtime.startContainer(id));
  await advance(50);
  expect(start).toEqual({ done: true, value: undefined });
  return { id, sandboxId };
}

runContainerRuntimeContract('SimRuntime', {
  newRuntime: async () => {
    const world = newWorld({ images: { 'sim/job:1': { exitAfterMs: 200, exitCode: 3 } } });
    return {
      runtime: world.runtime,
      advance: world.advance,
      image: 'sim/server:1',
      exitImage: { image: 'sim/job:1', exitCode: 3 },
      cleanup: async () => {},
    };
  },
});

describe('SimRuntime images', () => {
  it('takes the pull time once, shares a pull in flight, then answers at once', async () => {
    const { runtime, advance } = newWorld({ images: { 'big:1': { pullMs: 300, sizeBytes: 7 } } });
    const first = track(runtime.pullImage('big:1'));
    const second = track(runtime.pullImage('big:1'));
    await advance(299);
    expect(first.done).toBe(false);
    await advance(1);
    expect(first.done && second.done).toBe(true);
    expect(second.value).toBe(first.value);
    expect(first.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = track(runtime.pullImage('big:1'));
    await advance(0);
    expect(again.value).toBe(first.value);
    expect(await runtime.listImages()).toEqual([{ ref: 'big:1', id: first.value, sizeBytes: 7 }]);
  });

  it('fails pulls of failPull images with ErrImagePull after the pull time', async () => {
    const { runtime, advance } = newWorld({ images: { 'bad:1': { failPull: true } } });
    const pull = track(runtime.pullImage('bad:1'));
    await advance(100);
    expect(pull.error).toBeInstanceOf(RuntimeError);
    expect((pull.error as RuntimeError).reason).toBe('ErrImagePull');
    expect((pull.error as RuntimeError).message).toContain('"bad:1"');
    expect(await runtime.listImages()).toEqual([]);
  });

  it('refuses to create a container whose image was never pulled', async () => {
    const { runtime } = newWorld();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig);
    await expect(runtime.createContainer(sandboxId, containerConfig('nginx:1'))).rejects.toThrow(
      /not present/,
    );
  });
});

describe('SimRuntime containers', () => {
  it('starts after containerStartMs and runs until stopped', async () => {
    const world = newWorld();
    const { runtime, advance } = world;
    const sandboxId = await runtime.runPodSandbox(sandboxConfig);
    const pull = track(runtime.pullImage('srv:1'));
    await advance(100);
    expect(pull.done).toBe(true);
    const id = await runtime.createContainer(sandboxId, containerConfig('srv:1'));
    const start = track(runtime.startContainer(id));
    await advance(49);
    expect((await runtime.containerStatus(id)).state).toBe('created');
    await advance(1);
    expect(start.done).toBe(true);
    const status = await runtime.containerStatus(id);
    expect(status.state).toBe('running');
    expect(status.startedAtMs).toBe(startMs + 150);
    await advance(3_600_000);
    expect((await runtime.containerStatus(id)).state).toBe('running');
  });

  it('exits by script with its code: Completed for 0, Error otherwise', async () => {
    const world = newWorld({
      images: { 'ok:1': { exitAfterMs: 500 }, 'fail:1': { exitAfterMs: 500, exitCode: 2 } },
    });
    const ok = await started(world, 'ok:1');
    await world.advance(499);
    expect((await world.runtime.containerStatus(ok.id)).state).toBe('running');
    await world.advance(1);
    const okStatus = await world.runtime.containerStatus(ok.id);
    expect(okStatus).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
    expect(okStatus.finishedAtMs - okStatus.startedAtMs).toBe(500);
    const fail = await started(world, 'fail:1');
    await world.advance(500);
    const failStatus = await world.runtime.containerStatus(fail.id);
    expect(failStatus).toMatchObject({ state: 'exited', exitCode: 2, reason: 'Error' });
  });

  it('OOM-kills a container whose memory exceeds its limit, and only then', async () => {
    const world = newWorld({ images: { 'hog:1': { memoryBytes: 2_000, memoryAfterMs: 30 } } });
    const limited = await started(world, 'hog:1', 1_000);
    const roomy = await started(world, 'hog:1', 4_000);
    const unlimited = await started(world, 'hog:1', 0);
    await world.advance(1_000);
    const status = await world.runtime.containerStatus(limited.id);
    expect(status).toMatchObject({ state: 'exited', exitCode: 137, reason: 'OOMKilled' });
    expect((await world.runtime.containerStatus(roomy.id)).state).toBe('running');
    expect((await world.runtime.containerStatus(unlimited.id)).state).toBe('running');
  });

  it('exits 143 when SIGTERM is honoured within the timeout', async () => {
    const world = newWorld({ images: { 'slow:1': { terminationDelayMs: 400 } } });
    const { id } = await started(world, 'slow:1');
    const stop = track(world.runtime.stopContainer(id, 1_000));
    await world.advance(399);
    expect(stop.done).toBe(false);
    await world.advance(1);
    expect(stop.done).toBe(true);
    const status = await world.runtime.containerStatus(id);
    expect(status).toMatchObject({ state: 'exited', exitCode: 143, reason: 'Error' });
  });

  it('kills with 137 at the timeout when the process outlasts it', async () => {
    const world = newWorld({
      images: { 'stubborn:1': { terminationDelayMs: Number.MAX_SAFE_INTEGER } },
    });
    const { id } = await started(world, 'stubborn:1');
    const stop = track(world.runtime.stopContainer(id, 2_000));
    await world.advance(1_999);
    expect(stop.done).toBe(false);
    await world.advance(1);
    expect(stop.done).toBe(true);
    expect(await world.runtime.containerStatus(id)).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
  });

  it('uses the script’s SIGTERM exit code, e.g. 0 for a clean shutdown', async () => {
    const world = newWorld({ images: { 'clean:1': { sigtermExitCode: 0 } } });
    const { id } = await started(world, 'clean:1');
    const stop = track(world.runtime.stopContainer(id, 1_000));
    await world.advance(0);
    expect(stop.done).toBe(true);
    expect(await world.runtime.containerStatus(id)).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('waits for a start in flight before stopping', async () => {
    const world = newWorld();
    const { runtime, advance } = world;
    const sandboxId = await runtime.runPodSandbox(sandboxConfig);
    track(runtime.pullImage('srv:1'));
    await advance(100);
    const id = await runtime.createContainer(sandboxId, containerConfig('srv:1'));
    const start = track(runtime.startContainer(id));
    const stop = track(runtime.stopContainer(id, 1_000));
    await advance(50);
    expect(start.done && stop.done).toBe(true);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 143 });
  });

  it('fails a start when the container is removed meanwhile', async () => {
    const world = newWorld();
    const { runtime, advance } = world;
    const sandboxId = await runtime.runPodSandbox(sandboxConfig);
    track(runtime.pullImage('srv:1'));
    await advance(100);
    const id = await runtime.createContainer(sandboxId, containerConfig('srv:1'));
    const start = track(runtime.startContainer(id));
    await runtime.removeContainer(id);
    await advance(100);
    expect((start.error as RuntimeError).reason).toBe('RunContainerError');
  });

  it('returns scripted logs (tail, RFC 3339 timestamps) and exec results', async () => {
    const world = newWorld({
      images: {
        'talk:1': {
          logLines: ['one', 'two', 'three'],
          exec: (command) => ({
            exitCode: command[0] === 'fail' ? 1 : 0,
            stdout: 'hi',
            stderr: '',
          }),
        },
      },
    });
    const { id } = await started(world, 'talk:1');
    const { runtime } = world;
    expect(await runtime.logs(id, { tailLines: 0, timestamps: false })).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(await runtime.logs(id, { tailLines: 2, timestamps: true })).toEqual([
      '2026-01-01T00:00:01.05Z two',
      '2026-01-01T00:00:01.05Z three',
    ]);
    expect(await runtime.exec(id, ['fail'], 1_000)).toEqual({
      exitCode: 1,
      stdout: 'hi',
      stderr: '',
    });
    expect(await runtime.exec(id, ['ok'], 1_000)).toEqual({
      exitCode: 0,
      stdout: 'hi',
      stderr: '',
    });
  });

  it('keeps returned statuses and configs apart from its own state', async () => {
    const world = newWorld();
    const { id } = await started(world, 'srv:1');
    const status = await world.runtime.containerStatus(id);
    status.state = 'exited';
    expect(() => {
      status.config.labels['app'] = 'changed';
    }).toThrow();
    expect((await world.runtime.containerStatus(id)).state).toBe('running');
  });
});

describe('SimRuntime sandboxes, ids and crashes', () => {
  it('draws ids from the Rng: same seed, same ids', async () => {
    const ids = async (seed: number) => {
      const { runtime } = newWorld({}, seed);
      return [
        await runtime.runPodSandbox(sandboxConfig),
        await runtime.runPodSandbox(sandboxConfig),
      ];
    };
    const first = await ids(5);
    expect(first[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await ids(5)).toEqual(first);
    expect(await ids(6)).not.toEqual(first);
  });

  it('hands out the lowest free pod IP and reuses it after the sandbox stops', async () => {
    const { runtime } = newWorld();
    const a = await runtime.runPodSandbox(sandboxConfig);
    const b = await runtime.runPodSandbox(sandboxConfig);
    const ipOf = async (id: string) =>
      (await runtime.listPodSandboxes()).find((sandbox) => sandbox.id === id)?.ip;
    expect([await ipOf(a), await ipOf(b)]).toEqual(['10.244.1.2', '10.244.1.3']);
    await runtime.stopPodSandbox(a);
    expect(await ipOf(a)).toBe('');
    const c = await runtime.runPodSandbox(sandboxConfig);
    expect(await ipOf(c)).toBe('10.244.1.2');
  });

  it('kills running containers with 137 when their sandbox stops', async () => {
    const world = newWorld();
    const { id, sandboxId } = await started(world, 'srv:1');
    await world.runtime.stopPodSandbox(sandboxId);
    expect(await world.runtime.containerStatus(id)).toMatchObject({
      state: 'exited',
      exitCode: 137,
    });
    await expect(
      world.runtime.createContainer(sandboxId, containerConfig('srv:1')),
    ).rejects.toMatchObject({ reason: 'CreateContainerError' });
  });

  it('forgets everything on crash; operations in flight never settle', async () => {
    const world = newWorld({ images: { 'job:1': { exitAfterMs: 100 } } });
    const { runtime, advance, engine } = world;
    const { id } = await started(world, 'job:1');
    const pull = track(runtime.pullImage('other:1'));
    runtime.crash();
    await advance(10_000);
    expect(pull.done).toBe(false);
    expect(engine.queuedCount).toBe(0);
    expect(await runtime.listPodSandboxes()).toEqual([]);
    expect(await runtime.listContainers()).toEqual([]);
    expect(await runtime.listImages()).toEqual([]);
    await expect(runtime.containerStatus(id)).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('keeps pulled images across a crash when asked, as a disk would', async () => {
    const world = newWorld();
    await started(world, 'srv:1');
    world.runtime.crash({ keepImages: true });
    expect((await world.runtime.listImages()).map((image) => image.ref)).toEqual(['srv:1']);
    expect(await world.runtime.listPodSandboxes()).toEqual([]);
  });
});
