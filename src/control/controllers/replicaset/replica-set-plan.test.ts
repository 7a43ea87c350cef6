// The pure ReplicaSet plan: create/delete counts, burst caps, victims, and the pod template.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import { newControllerRef } from './controller-ref.js';
import { planReplicas, podFromTemplate, podNamePrefix } from './replica-set-plan.js';

/** 2026-01-01T00:00:00Z. */
const nowMs = 1_767_225_600_000;

function pod(index: number, shape: { node?: string; ready?: boolean; ageSeconds?: number } = {}) {
  const conditions = shape.ready === true ? [{ type: 'Ready', status: 'True' }] : [];
  return {
    metadata: {
      name: `web-${index}`,
      namespace: 'ns',
      uid: `uid-${String(index).padStart(3, '0')}`,
      creationTimestamp: formatTime(nowMs - (shape.ageSeconds ?? 60) * 1000),
    },
    spec: { nodeName: shape.node ?? 'node-1' },
    status: { phase: 'Running', conditions },
  } satisfies KubeObject;
}

const replicaSet: KubeObject = {
  metadata: { name: 'web', namespace: 'ns', uid: 'uid-web' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' }, annotations: { note: 'x' }, name: 'ignored' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    },
  },
};

describe('the replica plan', () => {
  it.each([
    [3, 0, 500, { kind: 'create', count: 3 }],
    [3, 2, 500, { kind: 'create', count: 1 }],
    [3, 3, 500, { kind: 'none' }],
    [0, 0, 500, { kind: 'none' }],
    [1000, 0, 500, { kind: 'create', count: 500 }],
    [10, 1, 4, { kind: 'create', count: 4 }],
  ])('wants %i with %i pods and burst %i: %j', (desired, have, burst, plan) => {
    const activePods = Array.from({ length: have }, (_, i) => pod(i));
    expect(
      planReplicas({
        desiredReplicas: desired,
        activePods,
        relatedPods: [],
        burstReplicas: burst,
        nowMs,
      }),
    ).toEqual(plan);
  });

  it('deletes the surplus in ranked order: unscheduled, then not ready, then newest', () => {
    const activePods = [
      pod(0, { ready: true, ageSeconds: 86_400 }),
      pod(1, { ready: true, ageSeconds: 30 }),
      pod(2, { node: '' }),
      pod(3),
    ];
    const plan = planReplicas({ desiredReplicas: 1, activePods, relatedPods: [], nowMs });
    expect(plan.kind).toBe('delete');
    const names = plan.kind === 'delete' ? plan.victims.map((p) => p.metadata.name) : [];
    expect(names).toEqual(['web-2', 'web-3', 'web-1']);
  });

  it('caps deletions at the burst', () => {
    const activePods = Array.from({ length: 9 }, (_, i) => pod(i));
    const plan = planReplicas({
      desiredReplicas: 2,
      activePods,
      relatedPods: [],
      burstReplicas: 3,
      nowMs,
    });
    expect(plan.kind === 'delete' ? plan.victims.length : -1).toBe(3);
  });

  it('always closes the gap by min(|diff|, burst) with distinct owned pods', () => {
    const shape = fc.record({
      node: fc.constantFrom('', 'node-1', 'node-2'),
      ready: fc.boolean(),
      ageSeconds: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(shape, { maxLength: 25 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 10 }),
        (shapes, desired, burst) => {
          const activePods = shapes.map((s, i) => pod(i, s));
          const plan = planReplicas({
            desiredReplicas: desired,
            activePods,
            relatedPods: activePods,
            burstReplicas: burst,
            nowMs,
          });
          const diff = activePods.length - desired;
          if (diff === 0) return plan.kind === 'none';
          if (diff < 0) return plan.kind === 'create' && plan.count === Math.min(-diff, burst);
          if (plan.kind !== 'delete') return false;
          const names = new Set(plan.victims.map((p) => p.metadata.name));
          return (
            plan.victims.length === Math.min(diff, burst) &&
            names.size === plan.victims.length &&
            plan.victims.every((victim) =>
              activePods.includes(victim as (typeof activePods)[number]),
            )
          );
        },
      ),
      { numRuns: 200, seed: 20260101 },
    );
  });
});

describe('pods made from the template', () => {
  it('carry the template labels, annotations, spec, a generateName and the controller reference', () => {
    const reference = newControllerRef(replicaSet, { apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    const made = podFromTemplate(replicaSet, reference);
    expect(made).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: 'web-',
        labels: { app: 'web' },
        annotations: { note: 'x' },
        ownerReferences: [reference],
      },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    const template = (replicaSet.spec as { template: { spec: unknown } }).template;
    expect(made.spec).not.toBe(template.spec);
  });

  it('use the bare name as prefix when `<name>-` would not be a valid name', () => {
    expect(podNamePrefix('web')).toBe('web-');
    expect(podNamePrefix('Web_1')).toBe('Web_1');
    // apimachinery's maskTrailingDash quirk: a 254-character prefix still validates.
    expect(podNamePrefix('a'.repeat(253))).toBe(`${'a'.repeat(253)}-`);
  });
});
