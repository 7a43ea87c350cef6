import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../store/types.js';
import { podScheduledPatch } from './pod-status-patch.js';

const epochMs = Date.UTC(2026, 0, 1);
const failure = {
  message: '0/1 nodes are available: 1 Insufficient cpu.',
  reason: 'Unschedulable',
};

describe('podScheduledPatch', () => {
  it('sets PodScheduled=False with the message and the current time', () => {
    expect(podScheduledPatch({ metadata: {} }, failure, epochMs)).toEqual({
      status: {
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: failure.message,
            lastProbeTime: null,
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      },
    });
  });

  it('writes nothing when the pod already carries the same condition', () => {
    const pod = podScheduledPatch({}, failure, epochMs) as JsonObject;
    expect(podScheduledPatch(pod, failure, epochMs + 60_000)).toBeUndefined();
  });

  it('keeps the transition time when only the message changes, and adds a nomination', () => {
    const pod = podScheduledPatch({}, failure, epochMs) as JsonObject;
    const next = { ...failure, message: 'other', nominatedNodeName: 'n1' };
    const patch = podScheduledPatch(pod, next, epochMs + 60_000) as {
      status: { conditions: JsonObject[]; nominatedNodeName?: string };
    };
    expect(patch.status.conditions[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(patch.status.nominatedNodeName).toBe('n1');
  });
});
