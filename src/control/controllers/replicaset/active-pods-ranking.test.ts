// Table tests of the scale-down victim order (ActivePodsWithRanks) and its helpers.

import { describe, expect, it } from 'vitest';
import { formatTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import {
  compareRankedPods,
  logarithmicBucket,
  podDeletionCost,
  podDeletionCostAnnotation,
  podsToDelete,
  rankByRelatedPodsOnSameNode,
  sortActivePodsWithRanks,
} from './active-pods-ranking.js';

/** 2026-01-01T00:00:00Z. */
const nowMs = 1_767_225_600_000;

interface PodShape {
  name?: string;
  uid?: string;
  node?: string;
  phase?: string;
  /** Seconds since the pod became Ready; null: Ready without a transition time; absent: not ready. */
  readyForSeconds?: number | null;
  cost?: string;
  restarts?: number;
  sidecarRestarts?: number;
  /** Seconds since creation; null: no creationTimestamp. */
  ageSeconds?: number | null;
  deleting?: boolean;
}

function pod(shape: PodShape): KubeObject {
  const name = shape.name ?? 'p';
  const ready = shape.readyForSeconds;
  const condition: Record<string, string> = { type: 'Ready', status: 'True' };
  if (typeof ready === 'number') condition.lastTransitionTime = formatTime(nowMs - ready * 1000);
  const age = shape.ageSeconds === undefined ? 7200 : shape.ageSeconds;
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: 'ns',
    uid: shape.uid ?? `uid-${name}`,
  };
  if (age !== null) metadata.creationTimestamp = formatTime(nowMs - age * 1000);
  if (shape.cost !== undefined) metadata.annotations = { [podDeletionCostAnnotation]: shape.cost };
  if (shape.deleting === true) metadata.deletionTimestamp = formatTime(nowMs);
  return {
    metadata,
    spec: {
      nodeName: shape.node ?? 'node-1',
      containers: [{ name: 'app' }],
      initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'setup' }],
    },
    status: {
      phase: shape.phase ?? 'Running',
      conditions: ready === undefined ? [] : [condition],
      containerStatuses: [{ name: 'app', restartCount: shape.restarts ?? 0 }],
      initContainerStatuses: [
        { name: 'proxy', restartCount: shape.sidecarRestarts ?? 0 },
        { name: 'setup', restartCount: 99 },
      ],
    },
  };
}

const readyPod: PodShape = { readyForSeconds: 3600 };

interface Row {
  rule: string;
  a: PodShape;
  b: PodShape;
  ranks?: [number, number];
  logarithmic?: boolean;
  first: 'a' | 'b';
}

const rows: Row[] = [
  { rule: 'unassigned before assigned', a: { node: '' }, b: {}, first: 'a' },
  { rule: 'assigned after unassigned', a: {}, b: { node: '' }, first: 'b' },
  { rule: 'Pending before Running', a: { phase: 'Pending' }, b: {}, first: 'a' },
  { rule: 'Pending before Unknown', a: { phase: 'Unknown' }, b: { phase: 'Pending' }, first: 'b' },
  { rule: 'Unknown before Running', a: {}, b: { phase: 'Unknown' }, first: 'b' },
  { rule: 'phase beats node', a: { phase: 'Pending', node: '' }, b: {}, first: 'a' },
  { rule: 'not ready before ready', a: readyPod, b: {}, first: 'b' },
  {
    rule: 'readiness beats cost',
    a: { cost: '100' },
    b: { ...readyPod, cost: '-100' },
    first: 'a',
  },
  { rule: 'lower deletion cost first', a: { cost: '10' }, b: { cost: '3' }, first: 'b' },
  { rule: 'negative cost first', a: { cost: '-5' }, b: {}, first: 'a' },
  { rule: 'an invalid cost counts as 0', a: { cost: '+10' }, b: { cost: '1' }, first: 'a' },
  { rule: 'cost beats rank', a: { cost: '1' }, b: {}, ranks: [5, 1], first: 'b' },
  { rule: 'higher rank first', a: {}, b: {}, ranks: [1, 3], first: 'b' },
  {
    rule: 'rank beats readiness time',
    a: { readyForSeconds: 10 },
    b: readyPod,
    ranks: [1, 2],
    first: 'b',
  },
  { rule: 'ready more recently first', a: readyPod, b: { readyForSeconds: 10 }, first: 'b' },
  {
    rule: 'ready in the same log bucket: UID order',
    a: { readyForSeconds: 3600, uid: 'uid-2' },
    b: { readyForSeconds: 3601, uid: 'uid-1' },
    first: 'b',
  },
  {
    rule: 'ready time compared raw without LogarithmicScaleDown',
    a: { readyForSeconds: 3600, uid: 'uid-2' },
    b: { readyForSeconds: 3601, uid: 'uid-1' },
    logarithmic: false,
    first: 'a',
  },
  { rule: 'missing ready time first', a: readyPod, b: { readyForSeconds: null }, first: 'b' },
  { rule: 'more restarts first', a: { restarts: 1 }, b: { restarts: 3 }, first: 'b' },
  {
    rule: 'restarts beat age',
    a: { restarts: 2, ageSeconds: 86400 },
    b: { ageSeconds: 5 },
    first: 'a',
  },
  {
    rule: 'equal restarts: more sidecar restarts first',
    a: { restarts: 2, sidecarRestarts: 1 },
    b: { restarts: 2, sidecarRestarts: 4 },
    first: 'b',
  },
  { rule: 'newer first', a: { ageSeconds: 86400 }, b: { ageSeconds: 60 }, first: 'b' },
  {
    rule: 'created in the same log bucket: UID order',
    a: { ageSeconds: 7000, uid: 'uid-1' },
    b: { ageSeconds: 6000, uid: 'uid-2' },
    first: 'a',
  },
  {
    rule: 'creation compared raw without LogarithmicScaleDown',
    a: { ageSeconds: 7000, uid: 'uid-1' },
    b: { ageSeconds: 6000, uid: 'uid-2' },
    logarithmic: false,
    first: 'b',
  },
  { rule: 'missing creation time first', a: {}, b: { ageSeconds: null }, first: 'b' },
  { rule: 'ties broken by UID', a: { uid: 'uid-9' }, b: { uid: 'uid-1' }, first: 'b' },
  {
    rule: 'equal UIDs broken by name',
    a: { name: 'web-b', uid: 'same' },
    b: { name: 'web-a', uid: 'same' },
    first: 'b',
  },
];

describe('the scale-down victim order', () => {
  it.each(rows)('$rule', (row) => {
    const [rankA, rankB] = row.ranks ?? [0, 0];
    const a = { pod: pod({ name: 'a', ...row.a }), rank: rankA };
    const b = { pod: pod({ name: 'b', ...row.b }), rank: rankB };
    const options = { nowMs, logarithmicScaleDown: row.logarithmic ?? true };
    const expected = row.first === 'a' ? -1 : 1;
    expect(compareRankedPods(a, b, options)).toBe(expected);
    expect(compareRankedPods(b, a, options)).toBe(-expected);
    const sorted = sortActivePodsWithRanks([b, a], options).map((p) => p.metadata.name);
    expect(sorted[0]).toBe(row.first === 'a' ? a.pod.metadata.name : b.pod.metadata.name);
  });

  it('compares a pod with itself as equal', () => {
    const entry = { pod: pod(readyPod), rank: 2 };
    expect(compareRankedPods(entry, entry, { nowMs })).toBe(0);
  });

  it('sorts a mixed set in upstream order', () => {
    const pods = [
      pod({ name: 'old-ready', ...readyPod, ageSeconds: 86400 }),
      pod({ name: 'fresh-ready', readyForSeconds: 5, ageSeconds: 10 }),
      pod({ name: 'running-not-ready' }),
      pod({ name: 'pending', phase: 'Pending' }),
      pod({ name: 'unscheduled', node: '', phase: 'Pending' }),
      pod({ name: 'cheap-ready', ...readyPod, cost: '-1' }),
    ];
    const order = sortActivePodsWithRanks(
      pods.map((p) => ({ pod: p, rank: 0 })),
      { nowMs },
    ).map((p) => p.metadata.name);
    expect(order).toEqual([
      'unscheduled',
      'pending',
      'running-not-ready',
      'cheap-ready',
      'fresh-ready',
      'old-ready',
    ]);
  });
});

describe('pod deletion cost', () => {
  it.each([
    [undefined, 0],
    ['0', 0],
    ['5', 5],
    ['-5', -5],
    ['-0', 0],
    ['-007', -7],
    ['+5', 0],
    ['05', 0],
    ['00', 0],
    ['', 0],
    ['abc', 0],
    ['1.5', 0],
    [' 5', 0],
    ['2147483647', 2147483647],
    ['2147483648', 0],
    ['-2147483648', -2147483648],
    ['-2147483649', 0],
  ])('reads %j as %i', (text, cost) => {
    const annotations = text === undefined ? undefined : { [podDeletionCostAnnotation]: text };
    expect(podDeletionCost(annotations)).toBe(cost);
  });
});

describe('the logarithmic age bucket', () => {
  it.each([
    [-5, -1],
    [0, -1],
    [1, 19],
    [1000, 29],
    [1073, 29],
    [1074, 30],
    [3_600_000, 41],
    [86_400_000, 46],
  ])('of %i ms is %i', (ageMs, bucket) => {
    expect(logarithmicBucket(ageMs)).toBe(bucket);
  });
});

describe('ranks by related pods on the same node', () => {
  it('counts active related pods per node, unassigned pods under the empty name', () => {
    const a = pod({ name: 'a', node: 'n1' });
    const b = pod({ name: 'b', node: 'n2' });
    const c = pod({ name: 'c', node: '' });
    const related = [
      a,
      b,
      c,
      pod({ name: 'sibling-1', node: 'n1' }),
      pod({ name: 'sibling-2', node: 'n1' }),
      pod({ name: 'gone', node: 'n2', deleting: true }),
      pod({ name: 'done', node: 'n2', phase: 'Succeeded' }),
      pod({ name: 'waiting', node: '' }),
    ];
    const ranks = rankByRelatedPodsOnSameNode([a, b, c], related).map((r) => r.rank);
    expect(ranks).toEqual([3, 1, 2]);
  });

  it('deletes the pod whose node holds the most related pods first', () => {
    const pods = [pod({ name: 'a', node: 'n1' }), pod({ name: 'b', node: 'n2' })];
    const related = [...pods, pod({ name: 'sibling', node: 'n2' })];
    const victims = podsToDelete(pods, 1, { nowMs, relatedPods: related });
    expect(victims.map((p) => p.metadata.name)).toEqual(['b']);
  });

  it('keeps the given order when every pod goes, as upstream skips the sort', () => {
    const pods = [pod({ name: 'ready', ...readyPod }), pod({ name: 'pending', phase: 'Pending' })];
    expect(podsToDelete(pods, 2, { nowMs }).map((p) => p.metadata.name)).toEqual([
      'ready',
      'pending',
    ]);
  });
});
