// Table and property tests of the pod GC's pure decisions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import {
  compareForDeletion,
  failedStatusPatch,
  isNodeReady,
  isPodTerminated,
  missingNodeNames,
  nodeGoneCondition,
  outOfServicePodsToDelete,
  podsOnDeletedNodes,
  terminatedPodsToDelete,
  unscheduledTerminatingPods,
} from './podgc-plan.js';

const epochMs = Date.UTC(2026, 0, 1);

interface PodShape {
  name: string;
  namespace?: string;
  phase?: string;
  reason?: string;
  createdS?: number;
  nodeName?: string;
  deleting?: boolean;
  conditions?: unknown[];
}

function pod(shape: PodShape): KubeObject {
  const status: Record<string, unknown> = {};
  if (shape.phase !== undefined) status.phase = shape.phase;
  if (shape.reason !== undefined) status.reason = shape.reason;
  if (shape.conditions !== undefined) status.conditions = shape.conditions;
  return {
    metadata: {
      name: shape.name,
      namespace: shape.namespace ?? 'default',
      uid: `uid-${shape.name}`,
      creationTimestamp: formatTime(epochMs + (shape.createdS ?? 0) * 1000),
      ...(shape.deleting === true ? { deletionTimestamp: formatTime(epochMs) } : {}),
    },
    spec: shape.nodeName === undefined ? {} : { nodeName: shape.nodeName },
    status,
  };
}

function node(name: string, ready: string, taintKeys: string[] = []): KubeObject {
  return {
    metadata: { name },
    spec: { taints: taintKeys.map((key) => ({ key, effect: 'NoExecute' })) },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}

const names = (pods: readonly KubeObject[]) => pods.map((p) => p.metadata.name);

describe('isPodTerminated', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['Pending', false],
    ['Running', false],
    ['Unknown', false],
    ['Succeeded', true],
    ['Failed', true],
    [undefined, true],
  ];
  for (const [phase, expected] of cases) {
    it(`treats phase ${String(phase)} as ${expected ? 'terminated' : 'live'}`, () => {
      expect(isPodTerminated(pod({ name: 'p', phase }))).toBe(expected);
    });
  }
});

describe('terminatedPodsToDelete', () => {
  const pods = [
    pod({ name: 'run', phase: 'Running', createdS: 0 }),
    pod({ name: 'old', phase: 'Succeeded', createdS: 1 }),
    pod({ name: 'new', phase: 'Failed', createdS: 9 }),
    pod({ name: 'evicted', phase: 'Failed', reason: 'Evicted', createdS: 8 }),
    pod({ name: 'b-mid', phase: 'Succeeded', createdS: 5 }),
    pod({ name: 'a-mid', phase: 'Succeeded', createdS: 5 }),
  ];

  it('deletes the excess over the threshold, evicted first, then oldest, then by name', () => {
    expect(names(terminatedPodsToDelete(pods, 2))).toEqual(['evicted', 'old', 'a-mid']);
  });

  it('deletes nothing at or under the threshold, or when the threshold is not positive', () => {
    expect(terminatedPodsToDelete(pods, 5)).toEqual([]);
    expect(terminatedPodsToDelete(pods, 0)).toEqual([]);
    expect(terminatedPodsToDelete(pods, -1)).toEqual([]);
  });

  it('keeps exactly threshold terminated pods and never picks a live one', () => {
    const shape = fc.record({
      phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      evicted: fc.boolean(),
      createdS: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(shape, { maxLength: 30 }), fc.integer({ min: 1, max: 10 }), (s, t) => {
        const list = s.map((x, i) =>
          pod({
            name: `p${i}`,
            phase: x.phase,
            createdS: x.createdS,
            reason: x.evicted ? 'Evicted' : undefined,
          }),
        );
        const chosen = terminatedPodsToDelete(list, t);
        const terminated = list.filter(isPodTerminated).length;
        expect(chosen.length).toBe(Math.max(0, terminated - t));
        expect(chosen.every(isPodTerminated)).toBe(true);
        const kept = list.filter((p) => isPodTerminated(p) && !chosen.includes(p));
        for (const gone of chosen) {
          for (const stays of kept) expect(compareForDeletion(gone, stays)).toBeLessThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('compareForDeletion', () => {
  it('is a total order: antisymmetric and zero only for the same pod', () => {
    const shape = fc.record({
      name: fc.constantFrom('a', 'b'),
      namespace: fc.constantFrom('x', 'y'),
      createdS: fc.integer({ min: 0, max: 2 }),
      evicted: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, shape, (a, b) => {
        const make = (s: typeof a) =>
          pod({ ...s, phase: 'Failed', reason: s.evicted ? 'Evicted' : undefined });
        const x = make(a);
        const y = make(b);
        expect(Math.sign(compareForDeletion(x, y)) + Math.sign(compareForDeletion(y, x))).toBe(0);
        const same = a.name === b.name && a.namespace === b.namespace;
        expect(compareForDeletion(x, y) === 0).toBe(
          same && a.createdS === b.createdS && a.evicted === b.evicted,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('outOfServicePodsToDelete', () => {
  const nodes = new Map([
    ['down-tainted', node('down-tainted', 'False', ['node.kubernetes.io/out-of-service'])],
    ['down', node('down', 'Unknown')],
    ['up-tainted', node('up-tainted', 'True', ['node.kubernetes.io/out-of-service'])],
  ]);

  it('picks only terminating pods on a not-Ready node with the out-of-service taint', () => {
    const pods = [
      pod({ name: 'a', nodeName: 'down-tainted', deleting: true }),
      pod({ name: 'b', nodeName: 'down-tainted' }),
      pod({ name: 'c', nodeName: 'down', deleting: true }),
      pod({ name: 'd', nodeName: 'up-tainted', deleting: true }),
      pod({ name: 'e', nodeName: 'unknown-node', deleting: true }),
      pod({ name: 'f', deleting: true }),
    ];
    expect(names(outOfServicePodsToDelete(pods, (n) => nodes.get(n)))).toEqual(['a']);
  });

  it('reads readiness from the Ready condition only', () => {
    expect(isNodeReady(node('n', 'True'))).toBe(true);
    expect(isNodeReady(node('n', 'False'))).toBe(false);
    expect(isNodeReady({ metadata: { name: 'n' } })).toBe(false);
  });
});

describe('orphaned and unscheduled pods', () => {
  const pods = [
    pod({ name: 'a', nodeName: 'gone' }),
    pod({ name: 'b', nodeName: 'here' }),
    pod({ name: 'c', nodeName: 'also-gone' }),
    pod({ name: 'd', nodeName: 'gone', deleting: true }),
    pod({ name: 'e' }),
    pod({ name: 'f', deleting: true }),
  ];

  it('lists node names missing from the cache, once each, sorted', () => {
    expect(missingNodeNames(pods, new Set(['here']))).toEqual(['also-gone', 'gone']);
  });

  it('selects the pods of confirmed-deleted nodes', () => {
    expect(names(podsOnDeletedNodes(pods, new Set(['gone'])))).toEqual(['a', 'd']);
  });

  it('selects terminating pods that have no node', () => {
    expect(names(unscheduledTerminatingPods(pods))).toEqual(['f']);
  });
});

describe('failedStatusPatch', () => {
  it('marks a live pod Failed with the uid as precondition and no condition by default', () => {
    expect(failedStatusPatch(pod({ name: 'p', phase: 'Running' }), undefined, epochMs)).toEqual({
      metadata: { uid: 'uid-p' },
      status: { phase: 'Failed' },
    });
  });

  it('adds DisruptionTarget with the transition time now', () => {
    const patch = failedStatusPatch(
      pod({ name: 'p', phase: 'Pending' }),
      nodeGoneCondition,
      epochMs,
    );
    expect(patch?.status).toEqual({
      phase: 'Failed',
      conditions: [
        {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByPodGC',
          message: 'PodGC: node no longer exists',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    });
  });

  it('keeps the transition time of an unchanged condition status', () => {
    const old = {
      type: 'DisruptionTarget',
      status: 'True',
      lastTransitionTime: '2025-12-31T00:00:00Z',
    };
    const shape = { name: 'p', phase: 'Running', conditions: [old] };
    const patch = failedStatusPatch(pod(shape), nodeGoneCondition, epochMs + 60_000);
    const written = (patch?.status as { conditions: Array<{ lastTransitionTime: string }> })
      .conditions[0];
    expect(written?.lastTransitionTime).toBe('2025-12-31T00:00:00Z');
  });

  it('sends nothing for a pod that already Succeeded or Failed', () => {
    expect(failedStatusPatch(pod({ name: 'p', phase: 'Succeeded' }), nodeGoneCondition, 0)).toBe(
      undefined,
    );
    expect(failedStatusPatch(pod({ name: 'p', phase: 'Failed' }), undefined, 0)).toBe(undefined);
  });
});
