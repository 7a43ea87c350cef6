// Tests of the generated pod status and its patch (upstream generateAPIPodStatus + status manager).

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../store/types.js';
import type { PodStatusInput } from './pod-status.js';
import {
  generatePodStatus,
  kubeletOwnedView,
  podStatusPatch,
  rejectedPodStatus,
} from './pod-status.js';
import type { PodRuntimeState } from './runtime-view.js';
import {
  fixtureContainer,
  fixturePod,
  fixtureSandbox,
  fixtureState,
} from './testing/runtime-fixtures.js';

const nowMs = 1_767_225_660_000; // 2026-01-01T00:01:00Z
const spec = { restartPolicy: 'Never', containers: [{ name: 'app', image: 'img:1' }] };

function input(
  pod: JsonObject,
  state: PodRuntimeState,
  extra: Partial<PodStatusInput> = {},
): PodStatusInput {
  return {
    pod,
    previous: (pod.status ?? {}) as JsonObject,
    state,
    failures: new Map(),
    probes: { isReady: () => true, isStarted: () => true },
    podIsTerminal: false,
    hostIp: '192.168.0.11',
    runtimeName: 'sim',
    nowMs,
    ...extra,
  };
}

describe('generatePodStatus', () => {
  it('reports a running pod with IPs, start time and ready conditions', () => {
    const pod = fixturePod(spec, {}, { phase: 'Pending', qosClass: 'BestEffort' });
    const state = fixtureState(
      [fixtureSandbox('s1', 'ready')],
      [fixtureContainer('app', 'running')],
    );
    const status = generatePodStatus(input(pod, state));
    expect(status).toMatchObject({
      phase: 'Running',
      qosClass: 'BestEffort',
      hostIP: '192.168.0.11',
      hostIPs: [{ ip: '192.168.0.11' }],
      podIP: '10.244.0.2',
      podIPs: [{ ip: '10.244.0.2' }],
      startTime: '2026-01-01T00:01:00Z',
    });
    const conditions = status.conditions as JsonObject[];
    expect(conditions.map((c) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ]);
    expect(conditions.every((c) => c.lastProbeTime === null)).toBe(true);
  });

  it('keeps transition times of unchanged conditions, and foreign conditions first', () => {
    const old = {
      phase: 'Running',
      startTime: '2026-01-01T00:00:00Z',
      conditions: [
        { type: 'DisruptionTarget', status: 'True', reason: 'x' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' },
        { type: 'ContainersReady', status: 'False', lastTransitionTime: '2026-01-01T00:00:05Z' },
      ],
    };
    const pod = fixturePod(spec, {}, old);
    const state = fixtureState(
      [fixtureSandbox('s1', 'ready')],
      [fixtureContainer('app', 'running')],
    );
    const status = generatePodStatus(input(pod, state));
    const byType = Object.fromEntries((status.conditions as JsonObject[]).map((c) => [c.type, c]));
    expect((status.conditions as JsonObject[])[0]?.type).toBe('DisruptionTarget');
    expect(byType.Ready?.lastTransitionTime).toBe('2026-01-01T00:00:05Z');
    expect(byType.ContainersReady?.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
    expect(status.startTime).toBe('2026-01-01T00:00:00Z');
  });

  it('never leaves a terminal phase once the API or the kubelet reported it', () => {
    const pod = fixturePod({ ...spec, restartPolicy: 'Always' }, {}, { phase: 'Succeeded' });
    const state = fixtureState(
      [fixtureSandbox('s1', 'ready')],
      [fixtureContainer('app', 'running')],
    );
    expect(generatePodStatus(input(pod, state)).phase).toBe('Succeeded');
  });

  it('holds a terminal phase back while a container of the pod still runs', () => {
    const pod = fixturePod(spec, {}, { phase: 'Running', reason: 'Kept' });
    const exited = fixtureContainer('app', 'exited', { exitCode: 1 });
    const leftover = fixtureContainer('removed-from-spec', 'running');
    const running = fixtureState([fixtureSandbox('s1', 'ready')], [exited, leftover]);
    expect(generatePodStatus(input(pod, running))).toMatchObject({
      phase: 'Running',
      reason: 'Kept',
    });
    const stopped = fixtureState([fixtureSandbox('s1', 'ready')], [exited]);
    expect(generatePodStatus(input(pod, stopped)).phase).toBe('Failed');
  });

  it('gives a host-network pod the node IP', () => {
    const pod = fixturePod({ ...spec, hostNetwork: true }, {}, { phase: 'Pending' });
    const state = fixtureState([fixtureSandbox('s1', 'ready', { ip: '' })], []);
    expect(generatePodStatus(input(pod, state))).toMatchObject({
      podIP: '192.168.0.11',
      podIPs: [{ ip: '192.168.0.11' }],
    });
  });

  it('keeps the pod IP of a pod whose sandbox stopped', () => {
    const pod = fixturePod(spec, {}, { phase: 'Running', podIP: '10.244.0.9' });
    const state = fixtureState(
      [fixtureSandbox('s1', 'notready')],
      [fixtureContainer('app', 'exited')],
    );
    const status = generatePodStatus(input(pod, state));
    expect(status).toMatchObject({ phase: 'Succeeded', podIP: '10.244.0.9' });
  });
});

describe('podStatusPatch', () => {
  it('sets every owned field, clears vanished ones and removes stale condition keys', () => {
    const current = {
      phase: 'Running',
      reason: 'Old',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'x' }],
    };
    const next = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    expect(podStatusPatch('uid-1', current, next)).toEqual({
      metadata: { uid: 'uid-1' },
      status: {
        phase: 'Running',
        reason: null,
        '$setElementOrder/conditions': [{ type: 'Ready' }],
        conditions: [{ type: 'Ready', status: 'True', reason: null, message: null }],
      },
    });
  });

  it('compares only what the kubelet owns', () => {
    const view = kubeletOwnedView({
      phase: 'Running',
      qosClass: 'BestEffort',
      nominatedNodeName: 'n',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'DisruptionTarget', status: 'True' },
      ],
    });
    expect(view).toEqual({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
  });
});

describe('rejectedPodStatus', () => {
  it('is Failed with the admission reason and a "Pod was rejected" message', () => {
    const pod = fixturePod(spec, {}, { phase: 'Pending', qosClass: 'Burstable' });
    expect(
      rejectedPodStatus(pod, 'OutOfcpu', "Node didn't have enough resource: cpu", nowMs),
    ).toEqual({
      phase: 'Failed',
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu",
      startTime: '2026-01-01T00:01:00Z',
      qosClass: 'Burstable',
    });
  });
});

describe('podStatusPatch pod IPs', () => {
  it('replaces a changed pod IP instead of merging both', () => {
    const current = { podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.2' }] };
    const next = { podIP: '10.0.0.3', podIPs: [{ ip: '10.0.0.3' }] };
    const patch = podStatusPatch('uid-1', current, next).status as JsonObject;
    expect(patch['$setElementOrder/podIPs']).toEqual([{ ip: '10.0.0.3' }]);
    expect(patch.podIPs).toEqual([{ ip: '10.0.0.3' }, { ip: '10.0.0.2', $patch: 'delete' }]);
  });
});
