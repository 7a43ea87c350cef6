// Pod readiness and availability (IsPodReady / IsPodAvailable) on plain pod values.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import {
  podIsAvailable,
  podIsReady,
  podReadyCondition,
  podReadySinceMs,
} from './pod-availability.js';

/** 2026-01-01T00:00:00Z. */
const epochMs = 1_767_225_600_000;

function pod(conditions: unknown): KubeObject {
  return { metadata: { name: 'p' }, status: { phase: 'Running', conditions } };
}

const readySinceEpoch = pod([
  { type: 'PodScheduled', status: 'True' },
  { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
]);

describe('pod readiness', () => {
  it.each([
    ['a True Ready condition', [{ type: 'Ready', status: 'True' }], true],
    ['a False Ready condition', [{ type: 'Ready', status: 'False' }], false],
    ['an Unknown Ready condition', [{ type: 'Ready', status: 'Unknown' }], false],
    ['only other conditions', [{ type: 'ContainersReady', status: 'True' }], false],
    ['no conditions', undefined, false],
    ['malformed conditions', 'yes', false],
    [
      'two Ready conditions, the first decides',
      [
        { type: 'Ready', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
      false,
    ],
  ])('a pod with %s is ready: %s', (_what, conditions, ready) => {
    expect(podIsReady(pod(conditions))).toBe(ready);
  });

  it('reads the Ready condition and when it became True', () => {
    expect(podReadyCondition(readySinceEpoch)?.status).toBe('True');
    expect(podReadySinceMs(readySinceEpoch)).toBe(epochMs);
    expect(podReadySinceMs(pod([{ type: 'Ready', status: 'False' }]))).toBeUndefined();
  });
});

describe('pod availability', () => {
  it('counts a ready pod as available at once when minReadySeconds is 0', () => {
    expect(podIsAvailable(readySinceEpoch, 0, epochMs)).toBe(true);
  });

  it('never counts a pod that is not ready', () => {
    const notReady = pod([
      { type: 'Ready', status: 'False', lastTransitionTime: '2020-01-01T00:00:00Z' },
    ]);
    expect(podIsAvailable(notReady, 0, epochMs)).toBe(false);
    expect(podIsAvailable(notReady, 5, epochMs + 3_600_000)).toBe(false);
  });

  it('needs strictly more than minReadySeconds of readiness', () => {
    expect(podIsAvailable(readySinceEpoch, 10, epochMs + 9_999)).toBe(false);
    expect(podIsAvailable(readySinceEpoch, 10, epochMs + 10_000)).toBe(false);
    expect(podIsAvailable(readySinceEpoch, 10, epochMs + 10_001)).toBe(true);
  });

  it('does not count a ready pod without a transition time once minReadySeconds is set', () => {
    const noTime = pod([{ type: 'Ready', status: 'True' }]);
    expect(podIsAvailable(noTime, 0, epochMs)).toBe(true);
    expect(podIsAvailable(noTime, 1, epochMs + 3_600_000)).toBe(false);
  });
});
