// The kubelet runs pods through the SimRuntime in virtual time: phases, restarts with back-off,
// restart policies, image pull failures, OOM kills and init containers.

import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/control/api/values/time.js';
import {
  boundPod,
  condition,
  containerStatus,
  createKubeletWorld,
  createPod,
  epochMs,
  eventsOf,
  getPod,
  observePod,
  stateHistory,
  statusOf,
  waitFor,
  type Status,
} from './kubelet-world.js';

function atMs(time: string): number {
  return (parseTime(time) as number) - epochMs;
}

describe('the kubelet runs pods', () => {
  it('brings a pod to Running and Ready with upstream events', async () => {
    const world = await createKubeletWorld();
    const observed = observePod(world, 'web');
    const { pod, events } = await world.run(async () => {
      world.startKubelet();
      await createPod(world.user, boundPod('web'));
      await world.userClock.sleep(5_000);
      return { pod: await getPod(world.user, 'web'), events: await eventsOf(world.user, 'web') };
    }, 6_000);
    expect(statusOf(pod).phase).toBe('Running');
    expect(condition(pod, 'Ready')?.status).toBe('True');
    expect(condition(pod, 'ContainersReady')?.status).toBe('True');
    expect(condition(pod, 'PodReadyToStartContainers')?.status).toBe('True');
    expect(statusOf(pod)).toMatchObject({
      hostIP: '192.168.0.11',
      podIP: '10.244.1.2',
      qosClass: 'BestEffort',
      startTime: '2026-01-01T00:00:00Z',
    });
    const app = containerStatus(pod) as Status;
    expect(app).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'nginx:1.27' });
    expect(app.containerID).toMatch(/^sim:\/\/[0-9a-f]{64}$/);
    expect(app.imageID).toMatch(/^sha256:/);
    expect(stateHistory(observed.seen)).toEqual(['waiting:ContainerCreating', 'running']);
    const phases = observed.seen.map((o) => statusOf(o.pod).phase);
    expect(phases[phases.length - 1]).toBe('Running');
    expect(phases).toContain('Pending');
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toEqual([
      'Pulling: Pulling image "nginx:1.27"',
      'Pulled: Successfully pulled image "nginx:1.27" in 2s (2s including waiting). ' +
        'Image size: 50000000 bytes.',
      'Created: Created container: app',
      'Started: Started container app',
    ]);
    expect(events[0]).toMatchObject({
      source: { component: 'kubelet', host: 'worker-1' },
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
    });
  });

  it('restarts a crashing container after 10 s, 20 s, 40 s… in CrashLoopBackOff', async () => {
    const world = await createKubeletWorld({
      images: { 'crash:1': { exitAfterMs: 1_000, exitCode: 1 } },
      behavior: { containerStartMs: 0 },
    });
    const observed = observePod(world, 'crash');
    const pod = await world.run(async () => {
      world.startKubelet();
      await createPod(
        world.user,
        boundPod('crash', { containers: [{ name: 'app', image: 'crash:1' }] }),
      );
      await world.userClock.sleep(120_000);
      return getPod(world.user, 'crash');
    }, 121_000);
    // Containers start at once (containerStartMs 0), so every time is a whole second: the gap
    // between one run's finish and the next run's start is the back-off (the first restart waits
    // only for the next 1 s relist to notice the exit).
    const runs = new Map<string, { startedAtMs?: number; finishedAtMs?: number }>();
    const note = (id: string, state: Status | undefined) => {
      if (state === undefined) return;
      const run = runs.get(id) ?? {};
      if (state.running !== undefined) run.startedAtMs = atMs(state.running.startedAt);
      if (state.terminated !== undefined) {
        run.startedAtMs = atMs(state.terminated.startedAt);
        run.finishedAtMs = atMs(state.terminated.finishedAt);
      }
      runs.set(id, run);
    };
    for (const { pod: seen } of observed.seen) {
      const app = containerStatus(seen);
      if (app?.containerID !== undefined) note(app.containerID, app.state);
      const last = app?.lastState.terminated as Status | undefined;
      if (last !== undefined) note(last.containerID, app?.lastState);
    }
    const ordered = [...runs.values()].sort((a, b) => (a.startedAtMs ?? 0) - (b.startedAtMs ?? 0));
    const waits = ordered
      .slice(1)
      .map((run, i) => ((run.startedAtMs ?? 0) - (ordered[i]?.finishedAtMs ?? 0)) / 1000);
    expect(waits).toEqual([1, 10, 20, 40]);
    expect(statusOf(pod).phase).toBe('Running');
    const app = containerStatus(pod) as Status;
    expect(app.restartCount).toBe(4);
    expect(app.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message:
        'back-off 1m20s restarting failed container=app ' +
        `pod=crash_default(${pod?.metadata.uid})`,
    });
    expect(app.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(condition(pod, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const backOff = (await world.run(() => eventsOf(world.user, 'crash'), 0)).find(
      (e) => e.reason === 'BackOff',
    );
    expect(backOff?.message).toBe(
      `Back-off restarting failed container app in pod crash_default(${pod?.metadata.uid})`,
    );
    expect(stateHistory(observed.seen)).toContain('waiting:CrashLoopBackOff');
  });

  it('completes a pod with restartPolicy Never and exit 0 as Succeeded/Completed', async () => {
    const world = await createKubeletWorld({ images: { 'job:1': { exitAfterMs: 1_000 } } });
    const pod = await world.run(async () => {
      world.startKubelet();
      const spec = { restartPolicy: 'Never', containers: [{ name: 'app', image: 'job:1' }] };
      await createPod(world.user, boundPod('job', spec));
      await world.userClock.sleep(10_000);
      return getPod(world.user, 'job');
    }, 11_000);
    expect(statusOf(pod).phase).toBe('Succeeded');
    const app = containerStatus(pod) as Status;
    expect(app.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(app).toMatchObject({ restartCount: 0, ready: false, started: false });
    expect(condition(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(pod, 'Initialized')).toMatchObject({ status: 'True', reason: 'PodCompleted' });
    expect(condition(pod, 'PodReadyToStartContainers')?.status).toBe('False');
    expect(statusOf(pod).podIP).toBe('10.244.1.2');
    const running = await world.run(() => world.runtime.listContainers({ state: 'running' }), 0);
    expect(running).toEqual([]);
  });

  it('fails a pod with restartPolicy Never whose container exits 1', async () => {
    const world = await createKubeletWorld({
      images: { 'fail:1': { exitAfterMs: 1_000, exitCode: 1 } },
    });
    const pod = await world.run(async () => {
      world.startKubelet();
      const spec = { restartPolicy: 'Never', containers: [{ name: 'app', image: 'fail:1' }] };
      await createPod(world.user, boundPod('fail', spec));
      await world.userClock.sleep(10_000);
      return getPod(world.user, 'fail');
    }, 11_000);
    expect(statusOf(pod).phase).toBe('Failed');
    expect(containerStatus(pod)?.state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('restarts only failures under OnFailure and then succeeds', async () => {
    let runs = 0;
    const world = await createKubeletWorld({
      images: { 'flaky:1': { exitAfterMs: 1_000, exitCode: 1 }, 'ok:1': { exitAfterMs: 1_000 } },
    });
    const pod = await world.run(async () => {
      world.startKubelet();
      const spec = {
        restartPolicy: 'OnFailure',
        containers: [
          { name: 'app', image: 'flaky:1' },
          { name: 'done', image: 'ok:1' },
        ],
      };
      await createPod(world.user, boundPod('onfailure', spec));
      return waitFor(world.userClock, 'two restarts', async () => {
        const current = await getPod(world.user, 'onfailure');
        runs = containerStatus(current)?.restartCount ?? 0;
        return runs >= 2 ? current : undefined;
      });
    }, 60_000);
    expect(statusOf(pod).phase).toBe('Running');
    const done = containerStatus(pod, 'done') as Status;
    expect(done.restartCount).toBe(0);
    expect(done.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('reports ErrImagePull, then ImagePullBackOff, and retries the pull after 10 s', async () => {
    const world = await createKubeletWorld({
      images: { 'missing:1': { failPull: true, pullMs: 1_000 } },
    });
    const observed = observePod(world, 'pull');
    const { pod, events } = await world.run(async () => {
      world.startKubelet();
      await createPod(
        world.user,
        boundPod('pull', { containers: [{ name: 'app', image: 'missing:1' }] }),
      );
      await world.userClock.sleep(30_000);
      return { pod: await getPod(world.user, 'pull'), events: await eventsOf(world.user, 'pull') };
    }, 31_000);
    const history = stateHistory(observed.seen);
    expect(history.slice(0, 4)).toEqual([
      'waiting:ContainerCreating',
      'waiting:ErrImagePull',
      'waiting:ImagePullBackOff',
      'waiting:ErrImagePull',
    ]);
    const errAt = observed.seen
      .filter((o) => containerStatus(o.pod)?.state.waiting?.reason === 'ErrImagePull')
      .map((o) => o.atMs);
    expect(errAt[0]).toBe(1_000);
    expect(errAt.find((t) => t > 1_000)).toBe(12_000);
    expect(statusOf(pod).phase).toBe('Pending');
    expect(containerStatus(pod)?.state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message:
        'Back-off pulling image "missing:1": ErrImagePull: simulated pull failure on "worker-1"',
    });
    const reasons = events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'Normal Pulling: Pulling image "missing:1"',
        'Warning Failed: Failed to pull image "missing:1": simulated pull failure on "worker-1"',
        'Warning Failed: Error: ErrImagePull',
        'Normal BackOff: Back-off pulling image "missing:1"',
        'Warning Failed: Error: ImagePullBackOff',
      ]),
    );
  });

  it('shows OOMKilled for a container that outgrew its memory limit', async () => {
    const world = await createKubeletWorld({
      images: { 'hog:1': { memoryBytes: 2 ** 30, memoryAfterMs: 1_000 } },
    });
    const pod = await world.run(async () => {
      world.startKubelet();
      const container = { name: 'app', image: 'hog:1', resources: { limits: { memory: '512Mi' } } };
      await createPod(world.user, boundPod('hog', { containers: [container] }));
      return waitFor(world.userClock, 'an OOM kill', async () => {
        const current = await getPod(world.user, 'hog');
        return containerStatus(current)?.lastState.terminated !== undefined ? current : undefined;
      });
    }, 30_000);
    expect(containerStatus(pod)?.lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'OOMKilled',
    });
    expect(containerStatus(pod)?.restartCount).toBe(1);
  });

  it('runs init containers one after the other before the app container', async () => {
    const world = await createKubeletWorld({ images: { 'setup:1': { exitAfterMs: 2_000 } } });
    const observed = observePod(world, 'init');
    const pod = await world.run(async () => {
      world.startKubelet();
      const spec = {
        initContainers: [
          { name: 'first', image: 'setup:1' },
          { name: 'second', image: 'setup:1' },
        ],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      };
      await createPod(world.user, boundPod('init', spec));
      await world.userClock.sleep(20_000);
      return getPod(world.user, 'init');
    }, 21_000);
    expect(statusOf(pod).phase).toBe('Running');
    const inits = statusOf(pod).initContainerStatuses as Status[];
    expect(inits.map((s) => [s.name, s.state.terminated?.reason, s.ready])).toEqual([
      ['first', 'Completed', true],
      ['second', 'Completed', true],
    ]);
    const first = atMs((inits[0] as Status).state.terminated.finishedAt);
    const second = atMs((inits[1] as Status).state.terminated.startedAt);
    expect(second).toBeGreaterThanOrEqual(first);
    expect(stateHistory(observed.seen)).toEqual(['waiting:PodInitializing', 'running']);
    const initializing = observed.seen.find(
      (o) => condition(o.pod, 'Initialized')?.status === 'False',
    );
    expect(condition(initializing?.pod, 'Initialized')?.reason).toBe('ContainersNotInitialized');
  });

  it('re-creates a sandbox that stopped under the pod', async () => {
    const world = await createKubeletWorld();
    const observed = observePod(world, 'web');
    const result = await world.run(async () => {
      world.startKubelet();
      await createPod(world.user, boundPod('web'));
      await world.userClock.sleep(5_000);
      const [sandbox] = await world.runtime.listPodSandboxes();
      if (sandbox !== undefined) await world.runtime.stopPodSandbox(sandbox.id);
      await world.userClock.sleep(5_000);
      return {
        pod: await getPod(world.user, 'web'),
        events: await eventsOf(world.user, 'web'),
        sandboxes: await world.runtime.listPodSandboxes(),
      };
    }, 16_000);
    expect(result.events.map((e) => e.reason)).toContain('SandboxChanged');
    const changed = result.events.find((e) => e.reason === 'SandboxChanged');
    expect(changed?.message).toBe('Pod sandbox changed, it will be killed and re-created.');
    expect(statusOf(result.pod).phase).toBe('Running');
    expect(containerStatus(result.pod)?.restartCount).toBe(1);
    const fresh = result.sandboxes.find((s) => s.config.name === 'web' && s.state === 'ready');
    expect(statusOf(result.pod).podIPs).toEqual([{ ip: fresh?.ip }]);
    expect(
      observed.seen.some((o) => condition(o.pod, 'PodReadyToStartContainers')?.status === 'False'),
    ).toBe(true);
    const web = result.sandboxes.filter((s) => s.config.name === 'web');
    expect(web.map((s) => [s.config.attempt, s.state])).toEqual(
      expect.arrayContaining([
        [0, 'notready'],
        [1, 'ready'],
      ]),
    );
  });
});
