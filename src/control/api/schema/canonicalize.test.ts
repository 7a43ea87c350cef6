// Tests of canonical quantities and times in stored objects.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { leaseSchema } from '../types/lease.js';
import { nodeSchema } from '../types/node.js';
import { podSchema } from '../types/pod.js';
import { canonicalize } from './canonicalize.js';

function podWith(resources: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'p', ...extra },
    spec: { containers: [{ name: 'c', image: 'x', resources }] },
  };
}

function resourcesOf(pod: JsonObject): unknown {
  return ((pod.spec as JsonObject).containers as JsonObject[])[0]?.resources;
}

describe('canonicalize', () => {
  it('writes pod quantities in canonical form', () => {
    const pod = podWith({
      limits: { cpu: '0.5', memory: '2048Mi' },
      requests: { cpu: 0.25, memory: '1Gi' },
    });
    expect(resourcesOf(canonicalize(podSchema, pod))).toEqual({
      limits: { cpu: '500m', memory: '2Gi' },
      requests: { cpu: '250m', memory: '1Gi' },
    });
  });

  it('keeps text upstream keeps and rounds resource lists up to a milli-unit', () => {
    const pod = podWith({ limits: { cpu: '100n', memory: '1048576' } });
    expect(resourcesOf(canonicalize(podSchema, pod))).toEqual({
      limits: { cpu: '1m', memory: '1048576' },
    });
  });

  it('canonicalises node capacity and allocatable', () => {
    const node = {
      metadata: { name: 'n' },
      status: { capacity: { cpu: '4000m', memory: '8192Mi', pods: 110 } },
    };
    expect(canonicalize(nodeSchema, node).status).toEqual({
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    });
  });

  it('writes metav1.Time at second precision in UTC', () => {
    const pod = podWith({}, { creationTimestamp: '2026-01-01T02:00:00.750+02:00' });
    expect((canonicalize(podSchema, pod).metadata as JsonObject).creationTimestamp).toBe(
      '2026-01-01T00:00:00Z',
    );
  });

  it('writes MicroTime with six fractional digits', () => {
    const lease = {
      spec: {
        renewTime: '2026-01-01T02:00:00.500000+02:00',
        acquireTime: '2026-01-01T00:00:00.123456Z',
      },
    };
    expect(canonicalize(leaseSchema, lease).spec).toEqual({
      renewTime: '2026-01-01T00:00:00.500000Z',
      acquireTime: '2026-01-01T00:00:00.123456Z',
    });
  });

  it('leaves values that do not parse alone and shares unchanged objects', () => {
    const pod = podWith({ limits: { cpu: 'two' } });
    const result = canonicalize(podSchema, pod);
    expect(resourcesOf(result)).toEqual({ limits: { cpu: 'two' } });
    expect(result).toBe(pod);
  });
});
