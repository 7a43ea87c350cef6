// Table tests of taint-based eviction decisions: matching tolerations, the toleration time, and
// what happens to a pod's scheduled deletion.
import { describe, expect, it } from 'vitest';
import type { EvictionDecision, PodToleration } from './eviction-plan.js';
import {
  matchingTolerations,
  minTolerationMs,
  noExecuteTaints,
  planPodEviction,
  tolerationsOfPod,
} from './eviction-plan.js';
import type { NodeTaint } from './node-taints.js';

const unreachable: NodeTaint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReady: NodeTaint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

function tol(key: string, seconds?: number, extra: Partial<PodToleration> = {}): PodToleration {
  const t: PodToleration = { key, operator: 'Exists', value: '', effect: 'NoExecute', ...extra };
  if (seconds !== undefined) t.tolerationSeconds = seconds;
  return t;
}

describe('matchingTolerations', () => {
  it('uses the first toleration matching each taint', () => {
    const first = tol('node.kubernetes.io/unreachable', 300);
    const wildcard = tol('', 10, { operator: 'Exists', effect: '' });
    const result = matchingTolerations([unreachable, notReady], [first, wildcard]);
    expect(result).toEqual({ allTolerated: true, used: [first, wildcard] });
  });

  it('fails when one taint is not tolerated', () => {
    const wrongValue = tol('node.kubernetes.io/unreachable', undefined, {
      operator: 'Equal',
      value: 'x',
    });
    expect(matchingTolerations([unreachable], [wrongValue])).toEqual({
      allTolerated: false,
      used: [],
    });
  });
});

describe('minTolerationMs', () => {
  it.each([
    { seconds: [], want: 0 },
    { seconds: [undefined], want: 'forever' },
    { seconds: [300, undefined, 60], want: 60_000 },
    { seconds: [300, 0], want: 0 },
    { seconds: [-5], want: 0 },
  ] as { seconds: (number | undefined)[]; want: number | 'forever' }[])(
    '$seconds → $want',
    ({ seconds, want }) => {
      expect(minTolerationMs(seconds.map((s) => tol('k', s)))).toBe(want);
    },
  );
});

describe('planPodEviction', () => {
  const nowMs = 1_000_000;
  it.each([
    {
      name: 'no taints cancels',
      taints: [],
      tolerations: [tol('node.kubernetes.io/unreachable', 300)],
      want: { kind: 'cancel' },
    },
    {
      name: 'an untolerated taint evicts now',
      taints: [unreachable],
      tolerations: [],
      want: { kind: 'evictNow' },
    },
    {
      name: 'tolerationSeconds schedules a deletion that many seconds from now',
      taints: [unreachable],
      tolerations: [tol('node.kubernetes.io/unreachable', 300)],
      want: { kind: 'schedule', createdAtMs: nowMs, fireAtMs: nowMs + 300_000, replace: false },
    },
    {
      name: 'a toleration without tolerationSeconds keeps the pod forever',
      taints: [unreachable],
      tolerations: [tol('node.kubernetes.io/unreachable')],
      want: { kind: 'cancel' },
    },
    {
      name: 'an earlier scheduled deletion is kept',
      taints: [unreachable],
      tolerations: [tol('node.kubernetes.io/unreachable', 30)],
      scheduled: nowMs - 10_000,
      want: { kind: 'keep' },
    },
    {
      name: 'a deletion scheduled at this same instant is replaced',
      taints: [unreachable],
      tolerations: [tol('node.kubernetes.io/unreachable', 30)],
      scheduled: nowMs,
      want: { kind: 'schedule', createdAtMs: nowMs, fireAtMs: nowMs + 30_000, replace: true },
    },
  ] as {
    name: string;
    taints: NodeTaint[];
    tolerations: PodToleration[];
    scheduled?: number;
    want: EvictionDecision;
  }[])('$name', ({ taints, tolerations, scheduled, want }) => {
    const decision = planPodEviction({
      taints,
      tolerations,
      nowMs,
      scheduledCreatedAtMs: scheduled,
    });
    expect(decision).toEqual(want);
  });
});

describe('reading pods and nodes', () => {
  it('keeps only NoExecute taints', () => {
    const noSchedule: NodeTaint = { key: 'x', effect: 'NoSchedule' };
    expect(noExecuteTaints([noSchedule, unreachable])).toEqual([unreachable]);
  });

  it('reads tolerations with their tolerationSeconds', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        tolerations: [
          { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
          { operator: 'Exists' },
        ],
      },
    };
    expect(tolerationsOfPod(pod)).toEqual([
      { key: 'a', operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 5 },
      { key: '', operator: 'Exists', value: '', effect: '' },
    ]);
  });
});
