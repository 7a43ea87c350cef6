// Tests of the container statuses the kubelet reports (upstream convertToAPIContainerStatuses).

import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../store/types.js';
import type { StartFailure } from './container-statuses.js';
import { applyProbes, containerStatuses } from './container-statuses.js';
import type { PodRuntimeState } from './runtime-view.js';
import { podContainers, podInitContainers } from './pod-view.js';
import {
  fixtureContainer,
  fixturePod,
  fixtureSandbox,
  fixtureState,
} from './testing/runtime-fixtures.js';

const spec = {
  containers: [
    { name: 'web', image: 'img:1' },
    { name: 'aux', image: 'img:1' },
  ],
};

function statuses(
  pod: JsonObject,
  state: PodRuntimeState,
  options: { previous?: JsonValue[]; failures?: Map<string, StartFailure>; init?: boolean } = {},
) {
  const init = options.init === true;
  return containerStatuses({
    pod,
    state,
    previous: options.previous ?? [],
    containers: init ? podInitContainers(pod) : podContainers(pod),
    hasInitContainers: podInitContainers(pod).length > 0,
    isInit: init,
    failures: options.failures ?? new Map(),
    runtimeName: 'sim',
  });
}

const ready = [fixtureSandbox('s1', 'ready')];

describe('containerStatuses', () => {
  it('shows ContainerCreating before anything exists, sorted by name', () => {
    const result = statuses(fixturePod(spec), fixtureState([], []));
    expect(result.map((s) => s.name)).toEqual(['aux', 'web']);
    expect(result[0]).toEqual({
      name: 'aux',
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'img:1',
      imageID: '',
      started: false,
    });
  });

  it('shows PodInitializing for every container of a pod with init containers', () => {
    const pod = fixturePod({ ...spec, initContainers: [{ name: 'setup', image: 'img:1' }] });
    const state = fixtureState(ready, []);
    expect(statuses(pod, state)[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(statuses(pod, state, { init: true })[0]?.state).toEqual({
      waiting: { reason: 'PodInitializing' },
    });
  });

  it('takes state and ids from the newest container, lastState from the one before', () => {
    const previous = fixtureContainer('web', 'exited', { attempt: 2, exitCode: 1 });
    const current = fixtureContainer('web', 'running', { attempt: 3 });
    const result = statuses(fixturePod(spec), fixtureState(ready, [previous, current]));
    const web = result.find((s) => s.name === 'web') as JsonObject;
    expect(web.restartCount).toBe(3);
    expect(web.containerID).toBe('sim://web-3');
    expect(web.imageID).toBe('sha256:1');
    expect(web.state).toEqual({ running: { startedAt: '2026-01-01T00:00:03Z' } });
    expect(web.lastState).toEqual({
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: '2026-01-01T00:00:02Z',
        finishedAt: '2026-01-01T00:00:02Z',
        containerID: 'sim://web-2',
      },
    });
  });

  it('shows the last start failure as the waiting state of a container that will restart', () => {
    const crashed = fixtureContainer('web', 'exited', { attempt: 1, exitCode: 2 });
    const failures = new Map([['web', { reason: 'CrashLoopBackOff', message: 'back-off 10s' }]]);
    const result = statuses(fixturePod(spec), fixtureState(ready, [crashed]), { failures });
    const web = result.find((s) => s.name === 'web') as JsonObject;
    expect(web.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } });
    expect((web.lastState as JsonObject).terminated).toMatchObject({
      exitCode: 2,
      reason: 'Error',
    });
    const never = fixturePod({ ...spec, restartPolicy: 'Never' });
    const shown = statuses(never, fixtureState(ready, [crashed]), { failures });
    expect(shown.find((s) => s.name === 'web')?.state).toMatchObject({
      terminated: { exitCode: 2 },
    });
  });

  it('counts a container that vanished while running as terminated with an unknown status', () => {
    const previous = [
      {
        name: 'web',
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        lastState: {},
        restartCount: 4,
      },
    ];
    const result = statuses(fixturePod(spec), fixtureState(ready, []), { previous });
    const web = result.find((s) => s.name === 'web') as JsonObject;
    expect(web.restartCount).toBe(5);
    expect(web.lastState).toEqual({
      terminated: {
        reason: 'ContainerStatusUnknown',
        message:
          'The container could not be located when the pod was deleted.  ' +
          'The container used to be Running',
        exitCode: 137,
      },
    });
  });
});

describe('applyProbes', () => {
  const pod = fixturePod({
    containers: [
      { name: 'plain', image: 'img:1' },
      { name: 'probed', image: 'img:1', readinessProbe: { exec: { command: ['true'] } } },
      { name: 'slow', image: 'img:1', startupProbe: { exec: { command: ['true'] } } },
    ],
  });
  const state = fixtureState(ready, [
    fixtureContainer('plain', 'running'),
    fixtureContainer('probed', 'running'),
    fixtureContainer('slow', 'running'),
  ]);

  it('marks probe-less running containers started and ready; asks the prober otherwise', () => {
    const result = statuses(pod, state);
    const asked: string[] = [];
    applyProbes(result, podContainers(pod), false, {
      isReady: (name) => (asked.push(`ready ${name}`), false),
      isStarted: (name) => (asked.push(`started ${name}`), false),
    });
    const view = Object.fromEntries(result.map((s) => [s.name, [s.started, s.ready]]));
    expect(view).toEqual({ plain: [true, true], probed: [true, false], slow: [false, false] });
    expect(asked).toEqual(['ready probed', 'started slow']);
  });
});
