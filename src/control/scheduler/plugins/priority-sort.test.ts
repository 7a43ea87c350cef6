import { describe, expect, it } from 'vitest';
import { makePod } from '../../../../test/scheduler/fixtures.js';
import { podInfoOf } from '../framework/pod-info.js';
import type { QueuedPodInfo } from '../framework/types.js';
import { factory, NAME } from './priority-sort.js';
import { newPlugin } from '../../../../test/scheduler/fixtures.js';

function queued(priority: number, timestampMs: number, sequence: number): QueuedPodInfo {
  const podInfo = podInfoOf(makePod({ name: `p${sequence}`, spec: { priority } }));
  return { podInfo, initialAttemptAtMs: 0, timestampMs, attempts: 0, sequence };
}

describe('PrioritySort', () => {
  const plugin = newPlugin(factory);
  const less = (a: QueuedPodInfo, b: QueuedPodInfo) => plugin.less?.(a, b);

  it('is named as upstream', () => {
    expect(plugin.name).toBe(NAME);
    expect(NAME).toBe('PrioritySort');
  });

  it('pops higher priority first, then the earlier timestamp, then the earlier sequence', () => {
    expect(less(queued(10, 5, 1), queued(1, 0, 0))).toBe(true);
    expect(less(queued(1, 0, 0), queued(10, 5, 1))).toBe(false);
    expect(less(queued(1, 3, 5), queued(1, 4, 0))).toBe(true);
    expect(less(queued(1, 3, 0), queued(1, 3, 1))).toBe(true);
    expect(less(queued(1, 3, 1), queued(1, 3, 0))).toBe(false);
  });

  it('orders a shuffled queue the same way every time', () => {
    const pods = [queued(0, 2, 3), queued(5, 9, 4), queued(0, 1, 1), queued(5, 9, 2)];
    const sorted = [...pods].sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
    expect(sorted.map((q) => q.sequence)).toEqual([2, 4, 1, 3]);
  });
});
