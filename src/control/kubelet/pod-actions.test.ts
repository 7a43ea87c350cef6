// Tests of computePodActions: what one sync does for each pod/runtime situation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePodActions, findNextInitContainerToRun } from './pod-actions.js';
import {
  fixtureContainer as container,
  fixturePod as pod,
  fixtureSandbox,
  fixtureState as stateOf,
} from './testing/runtime-fixtures.js';

const sandbox = (id: string, state: 'ready' | 'notready', attempt = 0) =>
  fixtureSandbox(id, state, { attempt });

const two = {
  containers: [
    { name: 'a', image: 'img:1' },
    { name: 'b', image: 'img:1' },
  ],
};

describe('computePodActions', () => {
  it('creates the first sandbox and starts every container of a new pod', () => {
    const actions = computePodActions(pod(two), stateOf([], []));
    expect(actions).toMatchObject({ createSandbox: true, sandboxAttempt: 0, killPod: true });
    expect(actions.containersToStart).toEqual(['a', 'b']);
  });

  it('starts with the first init container when the pod has init containers', () => {
    const spec = { ...two, initContainers: [{ name: 'i1', image: 'img:1' }] };
    const actions = computePodActions(pod(spec), stateOf([], []));
    expect(actions.nextInitContainer).toBe('i1');
    expect(actions.containersToStart).toEqual([]);
  });

  it('keeps a pod whose containers run', () => {
    const state = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'running'), container('b', 'running')],
    );
    const actions = computePodActions(pod(two), state);
    expect(actions).toMatchObject({ killPod: false, createSandbox: false, containersToStart: [] });
    expect(actions.containersToKill).toEqual([]);
  });

  it('restarts an exited container under Always whatever its exit code', () => {
    const state = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'running'), container('b', 'exited', { exitCode: 0 })],
    );
    expect(computePodActions(pod(two), state).containersToStart).toEqual(['b']);
  });

  it('restarts only failed containers under OnFailure and kills the pod when all succeeded', () => {
    const spec = { ...two, restartPolicy: 'OnFailure' };
    const failed = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'exited', { exitCode: 0 }), container('b', 'exited', { exitCode: 3 })],
    );
    expect(computePodActions(pod(spec), failed).containersToStart).toEqual(['b']);
    const done = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'exited', { exitCode: 0 }), container('b', 'exited', { exitCode: 0 })],
    );
    expect(computePodActions(pod(spec), done)).toMatchObject({
      killPod: true,
      containersToStart: [],
    });
  });

  it('never restarts under Never and does not re-create the sandbox of a finished pod', () => {
    const spec = { ...two, restartPolicy: 'Never' };
    const containers = [container('a', 'exited', { exitCode: 1 }), container('b', 'exited')];
    const running = computePodActions(pod(spec), stateOf([sandbox('s1', 'ready')], containers));
    expect(running).toMatchObject({ killPod: true, createSandbox: false, containersToStart: [] });
    const stopped = computePodActions(pod(spec), stateOf([sandbox('s1', 'notready')], containers));
    expect(stopped).toMatchObject({ killPod: true, createSandbox: false });
  });

  it('re-creates a sandbox that stopped while containers should run, with the next attempt', () => {
    const state = stateOf(
      [sandbox('s1', 'notready', 2)],
      [container('a', 'exited'), container('b', 'exited')],
    );
    const actions = computePodActions(pod(two), state);
    expect(actions).toMatchObject({
      createSandbox: true,
      killPod: true,
      sandboxAttempt: 3,
      sandboxId: 's1',
    });
    expect(actions.containersToStart).toEqual(['a', 'b']);
  });

  it('kills and restarts a container whose liveness probe failed', () => {
    const a = container('a', 'running');
    const state = stateOf([sandbox('s1', 'ready')], [a, container('b', 'running')]);
    const actions = computePodActions(pod(two), state, new Map([[a.id, 'liveness' as const]]));
    expect(actions.containersToKill).toEqual([
      {
        containerId: a.id,
        name: 'a',
        reason: 'liveness',
        message: 'Container a failed liveness probe, will be restarted',
      },
    ]);
    expect(actions.containersToStart).toEqual(['a']);
    const never = computePodActions(
      pod({ ...two, restartPolicy: 'Never' }),
      state,
      new Map([[a.id, 'startup' as const]]),
    );
    expect(never.containersToKill[0]?.message).toBe('Container a failed startup probe');
    expect(never.containersToStart).toEqual([]);
  });

  it('restarts a running container whose image changed, whatever the policy', () => {
    const spec = { restartPolicy: 'Never', containers: [{ name: 'a', image: 'img:2' }] };
    const state = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'running', { image: 'img:1' })],
    );
    const actions = computePodActions(pod(spec), state);
    expect(actions.containersToKill[0]?.message).toBe(
      'Container a definition changed, will be restarted',
    );
    expect(actions.containersToStart).toEqual(['a']);
  });

  it('restarts nothing once the pod is being deleted', () => {
    const state = stateOf(
      [sandbox('s1', 'ready')],
      [container('a', 'exited', { exitCode: 1 }), container('b', 'running')],
    );
    const deleting = pod(two, { deletionTimestamp: '2026-01-01T00:00:30Z' });
    expect(computePodActions(deleting, state).containersToStart).toEqual([]);
  });
});

describe('init containers', () => {
  const spec = {
    initContainers: [
      { name: 'i1', image: 'img:1' },
      { name: 'i2', image: 'img:1' },
    ],
    containers: [{ name: 'a', image: 'img:1' }],
  };

  it('run one at a time in order', () => {
    const ready = [sandbox('s1', 'ready')];
    expect(computePodActions(pod(spec), stateOf(ready, [])).nextInitContainer).toBe('i1');
    const firstRunning = stateOf(ready, [container('i1', 'running')]);
    expect(computePodActions(pod(spec), firstRunning).nextInitContainer).toBeUndefined();
    const firstDone = stateOf(ready, [container('i1', 'exited')]);
    expect(computePodActions(pod(spec), firstDone).nextInitContainer).toBe('i2');
    const allDone = stateOf(ready, [container('i1', 'exited'), container('i2', 'exited')]);
    expect(findNextInitContainerToRun(pod(spec), allDone).done).toBe(true);
    expect(computePodActions(pod(spec), allDone).containersToStart).toEqual(['a']);
  });

  it('restart a failed init container unless the policy is Never, which fails the pod', () => {
    const state = stateOf([sandbox('s1', 'ready')], [container('i1', 'exited', { exitCode: 1 })]);
    expect(computePodActions(pod(spec), state).nextInitContainer).toBe('i1');
    const never = computePodActions(pod({ ...spec, restartPolicy: 'Never' }), state);
    expect(never).toMatchObject({ killPod: true, nextInitContainer: undefined });
  });
});

describe('computePodActions properties', () => {
  const stateKinds = ['none', 'running', 'exited0', 'exited1', 'created'] as const;
  const arbitraryPod = fc.record({
    policy: fc.constantFrom('Always', 'OnFailure', 'Never'),
    sandboxReady: fc.boolean(),
    states: fc.array(fc.constantFrom(...stateKinds), { minLength: 1, maxLength: 4 }),
  });

  function build(input: { policy: string; sandboxReady: boolean; states: readonly string[] }) {
    const names = input.states.map((_, i) => `c${i}`);
    const spec = {
      restartPolicy: input.policy,
      containers: names.map((name) => ({ name, image: 'img:1' })),
    };
    const containers = input.states.flatMap((kind, i) => {
      const name = `c${i}`;
      if (kind === 'none') return [];
      if (kind === 'running' || kind === 'created') return [container(name, kind)];
      return [container(name, 'exited', { exitCode: kind === 'exited0' ? 0 : 1 })];
    });
    const state = stateOf([sandbox('s1', input.sandboxReady ? 'ready' : 'notready')], containers);
    return { pod: pod(spec), state, names };
  }

  it('starts only spec containers, in order, never one that runs, never a finished one under Never', () => {
    fc.assert(
      fc.property(arbitraryPod, (input) => {
        const { pod: p, state, names } = build(input);
        const actions = computePodActions(p, state);
        const started = actions.containersToStart;
        expect(started).toEqual(names.filter((n) => started.includes(n)));
        for (const name of started) {
          const index = names.indexOf(name);
          if (!actions.createSandbox) expect(input.states[index]).not.toBe('running');
          if (input.policy === 'Never') expect(input.states[index]).not.toMatch(/^exited/);
          if (input.policy === 'OnFailure') expect(input.states[index]).not.toBe('exited0');
        }
        if (actions.killPod && !actions.createSandbox) expect(started).toEqual([]);
      }),
      { numRuns: 300, seed: 20260101 },
    );
  });

  it('starts nothing for a pod being deleted', () => {
    fc.assert(
      fc.property(arbitraryPod, (input) => {
        const { state, names } = build({ ...input, sandboxReady: true });
        const spec = {
          restartPolicy: input.policy,
          containers: names.map((name) => ({ name, image: 'img:1' })),
        };
        const deleting = pod(spec, { deletionTimestamp: '2026-01-01T00:00:30Z' });
        expect(computePodActions(deleting, state).containersToStart).toEqual([]);
      }),
      { numRuns: 200, seed: 20260102 },
    );
  });
});
