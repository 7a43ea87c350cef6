import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/client/manual-clock.js';
import { podInfo, podObject } from '../../../test/scheduler/scheduler-fixtures.js';
import { podInfoOf } from './framework/pod-info.js';
import type { QueuedPodInfo } from './framework/types.js';
import { SchedulingQueue, isPodUpdated } from './queue.js';

const bySequence = (a: QueuedPodInfo, b: QueuedPodInfo) =>
  a.podInfo.priority !== b.podInfo.priority
    ? a.podInfo.priority > b.podInfo.priority
    : a.sequence < b.sequence;

function newQueue(options: { preEnqueue?: (pod: ReturnType<typeof podInfo>) => boolean } = {}) {
  const clock = new ManualClock({ startMs: 1_000_000 });
  const queue = new SchedulingQueue({ clock, less: bySequence, ...options });
  queue.run();
  return { clock, queue };
}

/** Pops and fails a pod as unschedulable in the same cycle. */
async function failOnce(queue: SchedulingQueue): Promise<QueuedPodInfo> {
  const info = (await queue.pop())!;
  queue.addUnschedulable(info, queue.schedulingCycle);
  return info;
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then in arrival order', async () => {
    const { queue } = newQueue();
    queue.add(podInfo('a'));
    const high = podInfoOf({
      ...podObject('b'),
      spec: { ...(podObject('b').spec as object), priority: 10 },
    });
    queue.add(high);
    queue.add(podInfo('c'));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.pop())!.podInfo.name);
    expect(order).toEqual(['b', 'a', 'c']);
  });

  it('computes backoff as initial × 2^(attempts−1), capped at the maximum', () => {
    const { queue } = newQueue();
    expect([1, 2, 3, 4, 5, 6].map((n) => queue.backoffDurationMs(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('keeps an unschedulable pod until a cluster event, then backs it off', async () => {
    const { clock, queue } = newQueue();
    queue.add(podInfo('p'));
    await failOnce(queue);
    expect(queue.whereIs('default/p')).toBe('unschedulable');
    clock.advance(60_000);
    expect(queue.whereIs('default/p')).toBe('unschedulable');
    queue.moveAllToActiveOrBackoff('NodeAdd');
    // The backoff (1 s after one attempt) ran out long ago: straight to activeQ.
    expect(queue.whereIs('default/p')).toBe('active');
  });

  it('moves a pod that failed just now to backoffQ and releases it when the backoff ends', async () => {
    const { clock, queue } = newQueue();
    queue.add(podInfo('p'));
    await failOnce(queue); // attempt 1: 1 s backoff
    queue.moveAllToActiveOrBackoff('NodeAdd');
    expect(queue.whereIs('default/p')).toBe('backoff');
    clock.advance(999);
    expect(queue.whereIs('default/p')).toBe('backoff');
    clock.advance(1); // the 1 s flush finds the backoff over
    expect(queue.whereIs('default/p')).toBe('active');
    await failOnce(queue); // attempt 2: 2 s backoff
    queue.moveAllToActiveOrBackoff('NodeUpdate');
    clock.advance(1_000);
    expect(queue.whereIs('default/p')).toBe('backoff');
    clock.advance(1_000);
    expect(queue.whereIs('default/p')).toBe('active');
  });

  it('backs a pod off at once when a move request came during its cycle', async () => {
    const { queue } = newQueue();
    queue.add(podInfo('p'));
    const info = (await queue.pop())!;
    const cycle = queue.schedulingCycle;
    queue.moveAllToActiveOrBackoff('AssignedPodDelete');
    queue.addUnschedulable(info, cycle);
    expect(queue.whereIs('default/p')).toBe('backoff');
  });

  it('flushes pods left unschedulable for more than 5 minutes', async () => {
    const { clock, queue } = newQueue();
    queue.add(podInfo('p'));
    await failOnce(queue);
    clock.advance(5 * 60_000);
    expect(queue.whereIs('default/p')).toBe('unschedulable');
    clock.advance(30_000);
    expect(queue.whereIs('default/p')).toBe('active');
  });

  it('puts errored pods straight into backoffQ', async () => {
    const { clock, queue } = newQueue();
    queue.add(podInfo('p'));
    const info = (await queue.pop())!;
    queue.addAfterError(info);
    expect(queue.whereIs('default/p')).toBe('backoff');
    clock.advance(1_000);
    expect(queue.whereIs('default/p')).toBe('active');
  });

  it('ignores status-only updates of an unschedulable pod but moves it on a spec change', async () => {
    const { queue } = newQueue();
    queue.add(podInfo('p'));
    await failOnce(queue);
    const base = podObject('p', { cpu: '1' });
    queue.update(podInfoOf({ ...podObject('p'), status: { conditions: [] } }));
    expect(queue.whereIs('default/p')).toBe('unschedulable');
    queue.update(podInfoOf(base));
    expect(queue.whereIs('default/p')).not.toBe('unschedulable');
    expect(isPodUpdated(podObject('p'), { ...podObject('p'), status: { phase: 'Pending' } })).toBe(
      false,
    );
  });

  it('holds gated pods back until the gate is removed', async () => {
    const gated = (pod: ReturnType<typeof podInfo>) =>
      !((pod.pod.spec as { schedulingGates?: unknown[] }).schedulingGates?.length ?? 0);
    const { queue } = newQueue({ preEnqueue: gated });
    const spec = { ...(podObject('g').spec as object), schedulingGates: [{ name: 'x' }] };
    queue.add(podInfoOf({ ...podObject('g'), spec }));
    queue.moveAllToActiveOrBackoff('NodeAdd');
    expect(queue.whereIs('default/g')).toBe('unschedulable');
    queue.update(podInfoOf(podObject('g')));
    expect(queue.whereIs('default/g')).toBe('active');
  });

  it('resolves a waiting pop when a pod arrives, and refuses pods beyond the bound', async () => {
    const clock = new ManualClock();
    const queue = new SchedulingQueue({ clock, less: bySequence, podCountMax: 1 });
    const waiting = queue.pop();
    queue.add(podInfo('a'));
    expect((await waiting)?.podInfo.name).toBe('a');
    queue.add(podInfo('b'));
    expect(queue.add(podInfo('c'))).toBe(false);
    expect(queue.droppedFullCount).toBe(1);
  });

  it('tracks nominated pods per node', () => {
    const { queue } = newQueue();
    queue.add(podInfoOf({ ...podObject('n'), status: { nominatedNodeName: 'node-1' } }));
    expect(queue.nominatedPodsForNode('node-1').map((p) => p.name)).toEqual(['n']);
    queue.delete('default/n');
    expect(queue.nominatedPodsForNode('node-1')).toEqual([]);
  });
});
