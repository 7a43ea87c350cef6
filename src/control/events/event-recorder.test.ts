// Tests of the event recorder's queue and writer against an in-memory sink and a manual clock:
// event shape and names, order, retries, rejections, bounds and stop.

import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/client/manual-clock.js';
import { statusErrorFromResponse } from '../client/errors.js';
import { createRng } from '../rng/seeded-rng.js';
import { EventRecorder } from './event-recorder.js';
import type { EventRecorderLimits } from './event-recorder.js';
import type { EventSink } from './event-sink.js';
import type { CoreEvent, EventPatch } from './event-types.js';

const startMs = Date.UTC(2026, 0, 1);
const pod = { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1' };

/** Stores events in a map; can fail the next calls as unreachable or hold them. */
class MemorySink implements EventSink {
  readonly stored = new Map<string, CoreEvent>();
  readonly calls: string[] = [];
  unreachableCount = 0;
  rejectWith: Error | undefined;
  held: (() => void)[] | undefined;
  private revision = 0;

  async create(event: CoreEvent): Promise<CoreEvent> {
    return this.write(`create ${event.metadata.name}`, event);
  }

  async patch(event: CoreEvent, patch: EventPatch): Promise<CoreEvent> {
    if (!this.stored.has(event.metadata.name)) {
      this.calls.push(`patch ${event.metadata.name}`);
      throw statusErrorFromResponse(404, '');
    }
    return this.write(`patch ${event.metadata.name}`, { ...event, ...patch });
  }

  private async write(call: string, event: CoreEvent): Promise<CoreEvent> {
    this.calls.push(call);
    if (this.held !== undefined) await new Promise<void>((resolve) => this.held?.push(resolve));
    if (this.unreachableCount > 0) {
      this.unreachableCount--;
      throw new Error('connection refused');
    }
    if (this.rejectWith !== undefined) throw this.rejectWith;
    const metadata = { ...event.metadata, resourceVersion: String(++this.revision) };
    const stored = { ...event, metadata };
    this.stored.set(metadata.name, stored);
    return stored;
  }
}

function setup(options: Partial<EventRecorderLimits> = {}, host = 'worker-1') {
  const clock = new ManualClock({ startMs });
  const sink = new MemorySink();
  const recorder = new EventRecorder({
    clock,
    rng: createRng(7, 'kubelet'),
    component: 'kubelet',
    host,
    options,
    sink,
  });
  return { clock, sink, recorder };
}

describe('EventRecorder', () => {
  it('writes a first occurrence with upstream fields and a name from the time in ns', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'Pulled image "nginx"');
    await settle();
    const [event] = [...sink.stored.values()];
    expect(event).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'default' },
      involvedObject: pod,
      reason: 'Pulled',
      message: 'Pulled image "nginx"',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
      type: 'Normal',
      reportingComponent: 'kubelet',
      reportingInstance: 'worker-1',
    });
    const match = /^web-1\.([0-9a-f]{16})$/.exec(event?.metadata.name ?? '');
    expect(BigInt(`0x${match?.[1]}`) / 1_000_000n).toBe(BigInt(startMs));
    expect(recorder.stats()).toMatchObject({ queued: 1, created: 1 });
  });

  it('puts events about cluster-scoped objects in the default namespace, without a host', async () => {
    const { sink, recorder } = setup({}, '');
    recorder.event({ kind: 'Node', name: 'worker-1', uid: 'n1' }, 'Warning', 'NodeNotReady', 'x');
    await settle();
    const [event] = [...sink.stored.values()];
    expect(event?.metadata.namespace).toBe('default');
    expect(event?.involvedObject).toEqual({ kind: 'Node', name: 'worker-1', uid: 'n1' });
    expect(event?.source).toEqual({ component: 'kubelet' });
    expect(event?.reportingInstance).toBe('');
  });

  it('names events recorded in the same ms distinctly and in increasing order', async () => {
    const { sink, recorder } = setup();
    for (let i = 0; i < 20; i++) recorder.event(pod, 'Normal', `R${i}`, 'm');
    await settle(500);
    const names = [...sink.stored.keys()];
    expect(new Set(names).size).toBe(20);
    const ns = names.map((name) => BigInt(`0x${name.slice('web-1.'.length)}`));
    for (let i = 1; i < ns.length; i++)
      expect((ns[i] as bigint) > (ns[i - 1] as bigint)).toBe(true);
  });

  it('writes events one at a time in the order they were recorded', async () => {
    const { sink, recorder } = setup();
    sink.held = [];
    for (const reason of ['A', 'B', 'C']) recorder.event(pod, 'Normal', reason, 'm');
    await settle();
    expect(sink.calls).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      sink.held.shift()?.();
      await settle();
    }
    const reasons = [...sink.stored.values()].map((e) => e.reason);
    expect(reasons).toEqual(['A', 'B', 'C']);
  });

  it('updates the earlier event for a repeat and re-creates it when it is gone', async () => {
    const { clock, sink, recorder } = setup();
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    const [name] = [...sink.stored.keys()];
    clock.advance(2_000);
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    expect(sink.stored.get(name as string)).toMatchObject({ count: 2 });
    sink.stored.clear();
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    expect(sink.calls.slice(2)).toEqual([`patch ${name}`, `create ${name}`]);
    expect(sink.stored.get(name as string)).toMatchObject({
      count: 3,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:02Z',
    });
    expect(recorder.stats()).toMatchObject({ created: 1, updated: 2 });
  });

  it('retries an unreachable server, first after a random wait, then every 10 s, 12 tries', async () => {
    const { clock, sink, recorder } = setup();
    sink.unreachableCount = 100;
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    expect(sink.calls).toHaveLength(1);
    clock.advance(9_999);
    await settle();
    expect(sink.calls).toHaveLength(2);
    for (let attempt = 3; attempt <= 12; attempt++) {
      clock.advance(9_999);
      await settle();
      expect(sink.calls).toHaveLength(attempt - 1);
      clock.advance(1);
      await settle();
      expect(sink.calls).toHaveLength(attempt);
    }
    clock.advance(60_000);
    await settle();
    expect(sink.calls).toHaveLength(12);
    expect(recorder.stats()).toMatchObject({ failedAttempts: 12, droppedRetriesExhausted: 1 });
    expect(clock.pendingTimerCount).toBe(0);
  });

  it('writes the event once the server is back', async () => {
    const { clock, sink, recorder } = setup();
    sink.unreachableCount = 2;
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    for (let i = 0; i < 2; i++) {
      expect(sink.stored.size).toBe(0);
      clock.advance(10_000);
      await settle();
    }
    expect(sink.stored.size).toBe(1);
    expect(recorder.stats()).toMatchObject({ failedAttempts: 2, created: 1 });
  });

  it('gives up on an event the server refuses, without retrying', async () => {
    const { clock, sink, recorder } = setup();
    sink.rejectWith = statusErrorFromResponse(422, '');
    recorder.event(pod, 'Normal', 'Pulled', 'm');
    await settle();
    clock.advance(120_000);
    await settle();
    expect(sink.calls).toHaveLength(1);
    expect(recorder.stats()).toMatchObject({ rejected: 1, failedAttempts: 0 });
  });

  it('drops events past queueLengthMax while a write is in flight', async () => {
    const { sink, recorder } = setup({ queueLengthMax: 3 });
    sink.held = [];
    for (let i = 0; i < 6; i++) recorder.event(pod, 'Normal', `R${i}`, 'm');
    expect(recorder.stats()).toMatchObject({ queued: 4, droppedQueueFull: 2 });
    for (let i = 0; i < 4; i++) {
      sink.held.shift()?.();
      await settle();
    }
    await recorder.whenIdle();
    expect(sink.stored.size).toBe(4);
  });

  it('drops events of an unknown type', async () => {
    const { sink, recorder } = setup();
    recorder.event(pod, 'Error' as 'Normal', 'Pulled', 'm');
    await settle();
    expect(sink.calls).toEqual([]);
    expect(recorder.stats()).toMatchObject({ queued: 0, droppedInvalidType: 1 });
  });

  it('stops retrying and drops its queue when stopped', async () => {
    const { clock, sink, recorder } = setup();
    sink.unreachableCount = 100;
    recorder.event(pod, 'Normal', 'A', 'm');
    recorder.event(pod, 'Normal', 'B', 'm');
    await settle();
    recorder.stop();
    await recorder.whenIdle();
    clock.advance(600_000);
    recorder.event(pod, 'Normal', 'C', 'm');
    await settle();
    expect(sink.calls).toHaveLength(1);
    expect(clock.pendingTimerCount).toBe(0);
  });
});
