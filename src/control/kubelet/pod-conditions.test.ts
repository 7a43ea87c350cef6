// Tests of the kubelet's pod conditions (upstream status/generate.go).

import { describe, expect, it } from 'vitest';
import {
  containersReadyCondition,
  initializedCondition,
  kubeletConditions,
  readyCondition,
} from './pod-conditions.js';

const running = { running: {} };

describe('pod conditions', () => {
  it('lists unready containers in Go slice format', () => {
    const statuses = [
      { name: 'a', state: running, ready: false },
      { name: 'b', state: running, ready: false },
      { name: 'c', state: running, ready: true },
    ];
    expect(containersReadyCondition(['a', 'b', 'c'], statuses, 'Running')).toEqual({
      type: 'ContainersReady',
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a b]',
    });
  });

  it('reports unknown containers first, then unready ones', () => {
    const statuses = [{ name: 'b', state: running, ready: false }];
    expect(containersReadyCondition(['a', 'b'], statuses, 'Pending').message).toBe(
      'containers with unknown status: [a], containers with unready status: [b]',
    );
  });

  it('uses PodCompleted and PodFailed for terminal pods', () => {
    const statuses = [{ name: 'a', state: { terminated: { exitCode: 0 } }, ready: false }];
    expect(containersReadyCondition(['a'], statuses, 'Succeeded')).toEqual({
      type: 'ContainersReady',
      status: 'False',
      reason: 'PodCompleted',
    });
    expect(containersReadyCondition(['a'], statuses, 'Failed').reason).toBe('PodFailed');
  });

  it('holds Ready back while a readiness gate is not True', () => {
    const containersReady = { type: 'ContainersReady', status: 'True' as const };
    expect(readyCondition(containersReady, ['example.com/gate'], [])).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    });
    const gate = [{ type: 'example.com/gate', status: 'False' }];
    expect(readyCondition(containersReady, ['example.com/gate'], gate).message).toBe(
      'the status of pod readiness gate "example.com/gate" is not "True", but False',
    );
  });

  it('is not Initialized while init containers are incomplete, then is once an app ran', () => {
    const statuses = [
      { name: 'i1', state: { terminated: { exitCode: 0 } } },
      { name: 'i2', state: running },
    ];
    expect(initializedCondition(['i1', 'i2'], ['a'], statuses, 'Pending')).toEqual({
      type: 'Initialized',
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [i2]',
    });
    const started = [...statuses, { name: 'a', state: running }];
    expect(initializedCondition(['i1', 'i2'], ['a'], started, 'Running').status).toBe('True');
  });

  it('come in upstream order with PodScheduled True', () => {
    const conditions = kubeletConditions({
      initNames: [],
      containerNames: ['a'],
      readinessGates: [],
      statuses: [{ name: 'a', state: running, ready: true }],
      phase: 'Running',
      sandboxReady: true,
      foreign: [],
    });
    expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
  });
});
