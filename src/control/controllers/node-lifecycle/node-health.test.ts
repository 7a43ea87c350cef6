// Table and property tests of the per-node health verdict: probe timestamps move only when the
// node's own signals move, and staleness is judged on the controller's clock alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../api/values/time.js';
import type { NodeCondition, NodeHealthRecord, NodeObservation } from './node-health.js';
import {
  conditionsMarkedUnknown,
  judgeNodeHealth,
  nodeStatusNeverUpdatedMessage,
  nodeStatusNeverUpdatedReason,
  nodeStatusUnknownMessage,
  nodeStatusUnknownReason,
  recordAfterStatusWrite,
} from './node-health.js';

const t0 = Date.UTC(2026, 0, 1);
const grace = { monitorGracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };
const at = (ms: number) => ({ nowMs: t0 + ms, nowText: formatTime(t0 + ms), ...grace });

function ready(status: string, heartbeatMs: number, transitionMs = 0): NodeCondition {
  return {
    type: 'Ready',
    status,
    lastHeartbeatTime: formatTime(t0 + heartbeatMs),
    lastTransitionTime: formatTime(t0 + transitionMs),
  };
}

function observe(conditions: NodeCondition[], renewMs?: number): NodeObservation {
  return {
    creationTimestamp: formatTime(t0),
    creationMs: t0,
    conditions,
    lease: renewMs === undefined ? undefined : { renewMs: t0 + renewMs },
  };
}

function record(probeMs: number, readyCondition: NodeCondition | undefined, renewMs?: number) {
  const lease = renewMs === undefined ? undefined : { renewMs: t0 + renewMs };
  return {
    probeTimestampMs: t0 + probeMs,
    readyTransitionTimestampMs: t0,
    readyCondition,
    lease,
  } satisfies NodeHealthRecord;
}

describe('judgeNodeHealth: when the probe timestamp moves', () => {
  it.each([
    {
      name: 'a node seen for the first time is probed now',
      previous: undefined,
      node: observe([ready('True', 0)]),
      nowMs: 7_000,
      probeMs: 7_000,
    },
    {
      name: 'an unchanged heartbeat and no lease leave it alone',
      previous: record(1_000, ready('True', 0)),
      node: observe([ready('True', 0)]),
      nowMs: 30_000,
      probeMs: 1_000,
    },
    {
      name: 'a changed heartbeat moves it, even backwards in kubelet time',
      previous: record(1_000, ready('True', 10_000)),
      node: observe([ready('True', -600_000)]),
      nowMs: 30_000,
      probeMs: 30_000,
    },
    {
      name: 'a later lease renewTime moves it',
      previous: record(1_000, ready('True', 0), 10_000),
      node: observe([ready('True', 0)], 20_000),
      nowMs: 25_000,
      probeMs: 25_000,
    },
    {
      name: 'an earlier or equal lease renewTime does not',
      previous: record(1_000, ready('True', 0), 10_000),
      node: observe([ready('True', 0)], 10_000),
      nowMs: 25_000,
      probeMs: 1_000,
    },
    {
      name: 'the first lease the controller sees moves it',
      previous: record(1_000, ready('True', 0)),
      node: observe([ready('True', 0)], -3_600_000),
      nowMs: 25_000,
      probeMs: 25_000,
    },
    {
      name: 'a node that never posted Ready starts from its creationTimestamp',
      previous: undefined,
      node: observe([]),
      nowMs: 25_000,
      probeMs: 0,
    },
  ])('$name', ({ previous, node, nowMs, probeMs }) => {
    const verdict = judgeNodeHealth(previous, node, at(nowMs));
    expect(verdict.record.probeTimestampMs - t0).toBe(probeMs);
  });
});

describe('judgeNodeHealth: staleness', () => {
  it('keeps a node within the grace period as it is', () => {
    const verdict = judgeNodeHealth(
      record(0, ready('True', 0)),
      observe([ready('True', 0)]),
      at(50_000),
    );
    expect(verdict.nextConditions).toBeUndefined();
    expect(verdict.currentReady?.status).toBe('True');
    expect(verdict.gracePeriodMs).toBe(50_000);
  });

  it('marks Ready and the pressure conditions Unknown once the grace period is over', () => {
    const conditions = [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: formatTime(t0) },
      { type: 'NetworkUnavailable', status: 'False' },
      ready('True', 0),
    ];
    const verdict = judgeNodeHealth(record(0, ready('True', 0)), observe(conditions), at(50_001));
    expect(verdict.observedReady.status).toBe('True');
    expect(verdict.currentReady).toMatchObject({
      status: 'Unknown',
      reason: nodeStatusUnknownReason,
      message: nodeStatusUnknownMessage,
      lastHeartbeatTime: formatTime(t0),
      lastTransitionTime: formatTime(t0 + 50_001),
    });
    const byType = Object.fromEntries(verdict.nextConditions!.map((c) => [c.type, c]));
    expect(byType.MemoryPressure?.status).toBe('Unknown');
    expect(byType.NetworkUnavailable?.status).toBe('False');
    expect(byType.DiskPressure?.reason).toBe(nodeStatusNeverUpdatedReason);
    expect(byType.PIDPressure?.message).toBe(nodeStatusNeverUpdatedMessage);
  });

  it('writes nothing when Ready is Unknown already', () => {
    const unknown = { ...ready('Unknown', 0), reason: nodeStatusUnknownReason };
    const verdict = judgeNodeHealth(record(0, unknown), observe([unknown]), at(90_000));
    expect(verdict.nextConditions).toBeUndefined();
    expect(verdict.currentReady?.status).toBe('Unknown');
  });

  it('gives a node that never posted Ready the startup grace period, then marks it', () => {
    const early = judgeNodeHealth(undefined, observe([]), at(60_000));
    expect(early.gracePeriodMs).toBe(60_000);
    expect(early.nextConditions).toBeUndefined();
    expect(early.currentReady).toBeUndefined();
    const late = judgeNodeHealth(early.record, observe([]), at(60_001));
    expect(late.currentReady).toMatchObject({
      status: 'Unknown',
      reason: nodeStatusNeverUpdatedReason,
      lastHeartbeatTime: formatTime(t0),
    });
    expect(late.nextConditions?.map((c) => c.type)).toEqual([
      'Ready',
      'MemoryPressure',
      'DiskPressure',
      'PIDPressure',
    ]);
  });

  it('keeps the probe time but records the written Ready after a status write', () => {
    const verdict = judgeNodeHealth(
      record(0, ready('True', 0)),
      observe([ready('True', 0)]),
      at(60_000),
    );
    const written = verdict.nextConditions!;
    const after = recordAfterStatusWrite(verdict, {
      written,
      lease: undefined,
      nowMs: t0 + 60_010,
    });
    expect(after.probeTimestampMs).toBe(t0);
    expect(after.readyTransitionTimestampMs).toBe(t0 + 60_010);
    expect(after.readyCondition?.status).toBe('Unknown');
    const next = judgeNodeHealth(after, observe(written), at(65_000));
    expect(next.record.probeTimestampMs).toBe(t0);
    expect(next.nextConditions).toBeUndefined();
  });
});

describe('conditionsMarkedUnknown', () => {
  it('does not touch conditions that are Unknown already', () => {
    const unknown = { type: 'DiskPressure', status: 'Unknown', lastTransitionTime: 'old' };
    const marked = conditionsMarkedUnknown([unknown], {
      creationTimestamp: formatTime(t0),
      nowText: 'now',
    });
    expect(marked.find((c) => c.type === 'DiskPressure')).toEqual(unknown);
  });
});

describe('judgeNodeHealth with a renewing kubelet', () => {
  it('never goes stale whatever the kubelet clock says, while renewals keep coming', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.array(fc.integer({ min: 1_000, max: 40_000 }), { minLength: 1, maxLength: 30 }),
        (skewMs, gapsMs) => {
          let previous: NodeHealthRecord | undefined;
          let nowMs = 0;
          const heartbeat = ready('True', skewMs);
          for (const gap of gapsMs) {
            nowMs += gap;
            const node = observe([heartbeat], nowMs + skewMs);
            const verdict = judgeNodeHealth(previous, node, at(nowMs));
            if (verdict.nextConditions !== undefined) return false;
            previous = verdict.record;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
