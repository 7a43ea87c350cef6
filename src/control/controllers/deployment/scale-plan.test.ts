import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deploymentFixture, rsFixture } from '../../../../test/deployment/fixtures.js';
import type { ReplicaSet } from './deployment-objects.js';
import { maxUnavailableOf } from './rolling-params.js';
import {
  isScalingEvent,
  newReplicaSetReplicas,
  oldPodsRunning,
  planHistoryCleanup,
  planNewReplicaSet,
  planOldReplicaSets,
  planRecreateScaleDown,
  planScale,
  proportionOf,
} from './scale-plan.js';

const sizes = (steps: { rs: ReplicaSet; replicas: number }[]) =>
  steps.map((step) => [step.rs.metadata.name, step.replicas]);

describe('newReplicaSetReplicas', () => {
  it.each([
    // [desired, old spec, new spec, expected]: 25%/25% → surge ceil(desired/4)
    [10, 10, 0, 3],
    [10, 8, 3, 5],
    [10, 10, 3, 3],
    [1, 1, 0, 1],
    [4, 4, 0, 1],
    [10, 0, 9, 10],
  ])(
    'with %i desired, %i old and %i new replicas, sizes the new one to %i',
    (desired, oldCount, newCount, expected) => {
      const deployment = deploymentFixture({ replicas: desired });
      const old = rsFixture({ name: 'old', replicas: oldCount });
      const fresh = rsFixture({ name: 'new', replicas: newCount });
      expect(newReplicaSetReplicas(deployment, [old, fresh], fresh)).toEqual({
        ok: true,
        value: expected,
      });
    },
  );

  it('sizes a Recreate ReplicaSet to spec.replicas at once', () => {
    const deployment = deploymentFixture({ replicas: 5, strategy: { type: 'Recreate' } });
    const fresh = rsFixture({ name: 'new', replicas: 0 });
    expect(newReplicaSetReplicas(deployment, [fresh], fresh)).toEqual({ ok: true, value: 5 });
  });
});

describe('planNewReplicaSet', () => {
  it('scales a new ReplicaSet above spec.replicas back down', () => {
    const deployment = deploymentFixture({ replicas: 3 });
    const fresh = rsFixture({ name: 'new', replicas: 5 });
    expect(planNewReplicaSet(deployment, [fresh], fresh)).toEqual({ ok: true, value: 3 });
  });
});

describe('planOldReplicaSets', () => {
  const deployment = deploymentFixture({ replicas: 10 });

  it('waits while the new pods are unavailable and the surge is used', () => {
    const old = rsFixture({ name: 'old', replicas: 10 });
    const fresh = rsFixture({ name: 'new', replicas: 3, available: 0 });
    // maxScaledDown = 13 − 8 − 3 = 2 > 0: old pods may go down to 8 available.
    expect(sizes(planOldReplicaSets(deployment, [old, fresh], [old], fresh).steps)).toEqual([
      ['old', 8],
    ]);
    const full = rsFixture({ name: 'old', replicas: 8 });
    expect(planOldReplicaSets(deployment, [full, fresh], [full], fresh).steps).toEqual([]);
  });

  it('removes unhealthy old replicas first, bounded by the allowed shrink', () => {
    const old = rsFixture({ name: 'old', replicas: 10, available: 6, createdAtS: 0 });
    const fresh = rsFixture({ name: 'new', replicas: 3, available: 3 });
    // maxScaledDown = 13 − 8 − 0 = 5: 4 unhealthy go first; 9 available − 8 → 1 more.
    expect(sizes(planOldReplicaSets(deployment, [old, fresh], [old], fresh).steps)).toEqual([
      ['old', 6],
      ['old', 5],
    ]);
  });

  it('scales the oldest ReplicaSets down first', () => {
    const older = rsFixture({ name: 'older', replicas: 2, createdAtS: 0 });
    const old = rsFixture({ name: 'old', replicas: 8, createdAtS: 10 });
    const fresh = rsFixture({ name: 'new', replicas: 3, available: 3 });
    const steps = planOldReplicaSets(deployment, [older, old, fresh], [older, old], fresh).steps;
    expect(sizes(steps)).toEqual([
      ['older', 0],
      ['old', 5],
    ]);
  });

  it('reports the upstream error when an old ReplicaSet shows more available than desired', () => {
    const old = rsFixture({ name: 'old', replicas: 8, available: 9 });
    const fresh = rsFixture({ name: 'new', replicas: 3, available: 2 });
    const plan = planOldReplicaSets(deployment, [old, fresh], [old], fresh);
    expect(plan.error).toBe(
      'when cleaning up unhealthy replicas, got invalid request to scale down default/old 8 -> 9',
    );
  });

  it('never plans below spec.replicas − maxUnavailable available pods (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { minLength: 1, maxLength: 3 }),
        fc.tuple(fc.nat(30), fc.nat(30)),
        fc.constantFrom('0%', '25%', '50%', 1, 3),
        fc.constantFrom('0%', '25%', '100%', 1, 2),
        (desired, oldSpecs, [newSpec, newAvail], surge, unavailable) => {
          const d = deploymentFixture({
            replicas: desired,
            strategy: {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
            },
          });
          const olds = oldSpecs.map(([spec, avail], i) =>
            rsFixture({
              name: `old-${i}`,
              replicas: spec,
              available: Math.min(spec, avail),
              createdAtS: i,
            }),
          );
          const fresh = rsFixture({
            name: 'new',
            replicas: newSpec,
            available: Math.min(newSpec, newAvail),
          });
          const plan = planOldReplicaSets(d, [...olds, fresh], olds, fresh);
          expect(plan.error).toBeUndefined();
          const finalSize = new Map(olds.map((rs) => [rs.metadata.name, rs.spec.replicas ?? 0]));
          for (const step of plan.steps) finalSize.set(step.rs.metadata.name, step.replicas);
          // Available pods left: each old ReplicaSet keeps min(its available, its new size).
          const left =
            olds.reduce((sum, rs) => {
              const size = finalSize.get(rs.metadata.name) ?? 0;
              return sum + Math.min(rs.status?.availableReplicas ?? 0, size);
            }, 0) + (fresh.status?.availableReplicas ?? 0);
          const before = [...olds, fresh].reduce(
            (s, rs) => s + (rs.status?.availableReplicas ?? 0),
            0,
          );
          const bound = desired - maxUnavailableOf(d);
          expect(left).toBeGreaterThanOrEqual(Math.min(before, bound));
          for (const size of finalSize.values()) expect(size).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('planScale (scaling events)', () => {
  it('sizes the only active ReplicaSet to spec.replicas', () => {
    const deployment = deploymentFixture({ replicas: 7 });
    const only = rsFixture({ name: 'only', replicas: 4 });
    expect(sizes(planScale(deployment, only, []))).toEqual([['only', 7]]);
  });

  it('zeroes old ReplicaSets once the new one is saturated', () => {
    const deployment = deploymentFixture({ replicas: 4 });
    const fresh = rsFixture({
      name: 'new',
      replicas: 4,
      annotations: { 'deployment.kubernetes.io/desired-replicas': '4' },
    });
    const old = rsFixture({ name: 'old', replicas: 1 });
    expect(sizes(planScale(deployment, fresh, [old]))).toEqual([['old', 0]]);
  });

  it('spreads a scale-up mid-rollout in proportion to size, leftover to the largest', () => {
    // 10 → 20 replicas with 25% surge: max 13 → 25, so 12 more over 8 (old) and 5 (new).
    const annotations = {
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    };
    const deployment = deploymentFixture({ replicas: 20 });
    const old = rsFixture({ name: 'old', replicas: 8, createdAtS: 0, annotations });
    const fresh = rsFixture({ name: 'new', replicas: 5, createdAtS: 10, annotations });
    // old: round(8×25/13)=15 → +7; new: round(5×25/13)=10 → +5; total +12.
    expect(sizes(planScale(deployment, fresh, [old]))).toEqual([
      ['old', 15],
      ['new', 10],
    ]);
  });

  it('spreads a scale-down mid-rollout, larger and older first', () => {
    const annotations = {
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    };
    const deployment = deploymentFixture({ replicas: 5 });
    const old = rsFixture({ name: 'old', replicas: 8, createdAtS: 0, annotations });
    const fresh = rsFixture({ name: 'new', replicas: 5, createdAtS: 10, annotations });
    // max 13 → 7: −6. old: round(8×7/13)=4 → −4; new: round(5×7/13)=3 → −2.
    expect(sizes(planScale(deployment, fresh, [old]))).toEqual([
      ['old', 4],
      ['new', 3],
    ]);
  });

  it('brings the total to spec.replicas + maxSurge, clamping at zero as upstream (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 4 }),
        (desired, before, specs) => {
          fc.pre(desired !== before);
          const annotations = {
            'deployment.kubernetes.io/desired-replicas': String(before),
            'deployment.kubernetes.io/max-replicas': String(before + Math.ceil(before / 4)),
          };
          const deployment = deploymentFixture({ replicas: desired });
          const all = specs.map((replicas, i) =>
            rsFixture({ name: `rs-${i}`, replicas, createdAtS: i, annotations }),
          );
          const steps = planScale(deployment, all[all.length - 1], all.slice(0, -1));
          const total = steps.reduce((sum, step) => sum + step.replicas, 0);
          const allowed = desired > 0 ? desired + Math.ceil(desired / 4) : 0;
          // The rounding leftover goes to the first ReplicaSet, clamped at 0 (as upstream), so
          // the total only overshoots when that clamp bit.
          if ((steps[0]?.replicas ?? 0) > 0) expect(total).toBe(allowed);
          else expect(total).toBeGreaterThanOrEqual(allowed);
          for (const step of steps) expect(step.replicas).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('proportionOf', () => {
  it('never exceeds what is left to add', () => {
    const deployment = deploymentFixture({ replicas: 100 });
    const rs = rsFixture({
      name: 'a',
      replicas: 10,
      annotations: { 'deployment.kubernetes.io/max-replicas': '13' },
    });
    expect(proportionOf(rs, deployment, 5, 3)).toBe(2);
    expect(proportionOf(rs, deployment, 5, 5)).toBe(0);
  });
});

describe('recreate helpers', () => {
  it('scale every active old ReplicaSet to zero', () => {
    const steps = planRecreateScaleDown([
      rsFixture({ name: 'a', replicas: 2 }),
      rsFixture({ name: 'b', replicas: 0 }),
    ]);
    expect(sizes(steps)).toEqual([['a', 0]]);
  });

  it('see old pods running until all are gone or terminal', () => {
    const fresh = rsFixture({ name: 'new', replicas: 1 });
    const old = rsFixture({ name: 'old', replicas: 0, current: 0 });
    const pods = (phase: string) => new Map([['uid-old', [{ status: { phase } }]]]);
    expect(oldPodsRunning(fresh, [old], new Map())).toBe(false);
    expect(oldPodsRunning(fresh, [old], pods('Running'))).toBe(true);
    expect(oldPodsRunning(fresh, [old], pods('Unknown'))).toBe(true);
    expect(oldPodsRunning(fresh, [old], pods('Succeeded'))).toBe(false);
    expect(oldPodsRunning(fresh, [old], pods('Failed'))).toBe(false);
    const stillCounted = rsFixture({ name: 'old', replicas: 0, current: 1 });
    expect(oldPodsRunning(fresh, [stillCounted], new Map())).toBe(true);
    const newPods = new Map([['uid-new', [{ status: { phase: 'Running' } }]]]);
    expect(oldPodsRunning(fresh, [old], newPods)).toBe(false);
  });
});

describe('isScalingEvent', () => {
  it('is true when an active ReplicaSet was sized for another replica count', () => {
    const deployment = deploymentFixture({ replicas: 5 });
    const sized = (desired: string) =>
      rsFixture({
        name: 'a',
        replicas: 3,
        annotations: { 'deployment.kubernetes.io/desired-replicas': desired },
      });
    expect(isScalingEvent(deployment, [sized('5')])).toBe(false);
    expect(isScalingEvent(deployment, [sized('3')])).toBe(true);
    expect(isScalingEvent(deployment, [rsFixture({ name: 'b', replicas: 3 })])).toBe(false);
  });
});

describe('planHistoryCleanup', () => {
  it('deletes the oldest fully scaled-down revisions beyond the limit', () => {
    const deployment = deploymentFixture({ revisionHistoryLimit: 2 });
    const old = [1, 2, 3, 4].map((revision) =>
      rsFixture({ name: `r${revision}`, replicas: 0, revision, createdAtS: 10 - revision }),
    );
    expect(planHistoryCleanup(deployment, old).map((rs) => rs.metadata.name)).toEqual(['r1', 'r2']);
  });

  it('keeps ReplicaSets that still have pods or an unobserved generation', () => {
    const deployment = deploymentFixture({ revisionHistoryLimit: 0 });
    const busy = rsFixture({ name: 'busy', replicas: 0, current: 1, revision: 1 });
    const unobserved = rsFixture({
      name: 'unobserved',
      replicas: 0,
      revision: 2,
      generation: 3,
      status: { observedGeneration: 2 },
    });
    const idle = rsFixture({ name: 'idle', replicas: 0, revision: 3 });
    expect(
      planHistoryCleanup(deployment, [busy, unobserved, idle]).map((rs) => rs.metadata.name),
    ).toEqual(['idle']);
  });
});
