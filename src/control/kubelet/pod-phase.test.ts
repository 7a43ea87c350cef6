// Table tests of the pod phase (reference §7.1, upstream getPhase).

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../store/types.js';
import { computePodPhase, type PhaseSpec } from './pod-phase.js';
import type { RestartPolicy } from './pod-view.js';

const running: JsonObject = { running: { startedAt: '2026-01-01T00:00:00Z' } };
const exited = (exitCode: number): JsonObject => ({ terminated: { exitCode } });
const waiting = (reason: string): JsonObject => ({ waiting: { reason } });

function status(name: string, state: JsonObject, lastState: JsonObject = {}): JsonObject {
  return { name, state, lastState };
}

function spec(policy: RestartPolicy, containers = ['a', 'b'], inits: string[] = []): PhaseSpec {
  return { containerNames: containers, initContainerNames: inits, restartPolicy: policy };
}

describe('computePodPhase', () => {
  const crashLooping = status('b', waiting('CrashLoopBackOff'), exited(1));
  it.each([
    ['Always', [status('a', running), status('b', running)], false, 'Running'],
    ['Always', [status('a', running), status('b', waiting('ContainerCreating'))], false, 'Pending'],
    ['Always', [status('a', running)], false, 'Pending'],
    ['Always', [status('a', exited(0)), status('b', exited(1))], false, 'Running'],
    ['Always', [status('a', exited(0)), status('b', exited(0))], false, 'Running'],
    ['Always', [status('a', running), crashLooping], false, 'Running'],
    ['OnFailure', [status('a', exited(0)), status('b', exited(0))], false, 'Succeeded'],
    ['OnFailure', [status('a', exited(0)), status('b', exited(1))], false, 'Running'],
    ['OnFailure', [status('a', exited(0)), crashLooping], false, 'Running'],
    ['Never', [status('a', exited(0)), status('b', exited(0))], false, 'Succeeded'],
    ['Never', [status('a', exited(0)), status('b', exited(1))], false, 'Failed'],
    ['Never', [status('a', running), status('b', exited(1))], false, 'Running'],
    ['Always', [status('a', exited(0)), status('b', exited(0))], true, 'Succeeded'],
    ['Always', [status('a', exited(0)), status('b', exited(137))], true, 'Failed'],
    ['OnFailure', [status('a', exited(0)), crashLooping], true, 'Failed'],
  ] as const)('%s with %j (terminal: %s) is %s', (policy, statuses, terminal, phase) => {
    expect(computePodPhase(spec(policy), statuses, terminal)).toBe(phase);
  });

  it('stays Pending while an init container has not completed', () => {
    const phaseSpec = spec('Always', ['a'], ['init-1', 'init-2']);
    const statuses = [
      status('init-1', exited(0)),
      status('init-2', running),
      status('a', waiting('PodInitializing')),
    ];
    expect(computePodPhase(phaseSpec, statuses, false)).toBe('Pending');
  });

  it('fails when an init container failed under restartPolicy Never', () => {
    const phaseSpec = spec('Never', ['a'], ['init']);
    const statuses = [status('init', exited(2)), status('a', waiting('PodInitializing'))];
    expect(computePodPhase(phaseSpec, statuses, false)).toBe('Failed');
  });

  it('keeps a failed init container Pending when it will be restarted', () => {
    const phaseSpec = spec('OnFailure', ['a'], ['init']);
    const backingOff = status('init', waiting('CrashLoopBackOff'), exited(2));
    const statuses = [backingOff, status('a', waiting('PodInitializing'))];
    expect(computePodPhase(phaseSpec, statuses, false)).toBe('Pending');
    expect(computePodPhase(spec('Never', ['a'], ['init']), statuses, false)).toBe('Failed');
  });

  it('is Pending when a container status is missing and nothing runs', () => {
    expect(computePodPhase(spec('Always'), [], false)).toBe('Pending');
  });
});
