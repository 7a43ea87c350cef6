// The event recorder against the real API server on the sim transport, in virtual time:
// counting, aggregation, the spam filter and retries, as kubectl would see the stored events.

import { describe, expect, it } from 'vitest';
import { aggregateMessagePrefix } from '../../src/control/events/event-correlator.js';
import { objectReference } from '../../src/control/events/event-types.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import { createSimWorld, epochMs } from '../client/sim-world.js';
import { kubeletRecorder, pod } from './fixtures.js';

describe('EventRecorder on the API server', () => {
  it('creates a first occurrence with count 1, named after the object and the time', async () => {
    const world = await createSimWorld();
    const { recorder, stored } = kubeletRecorder(world);
    const items = await world.run(async () => {
      recorder.event(pod, 'Normal', 'Pulled', 'Successfully pulled image "nginx"');
      await recorder.whenIdle();
      return stored();
    }, 1_000);
    expect(items).toHaveLength(1);
    const event = items[0];
    expect(event?.metadata.name).toMatch(/^web-1\.[0-9a-f]{16}$/);
    expect(event).toMatchObject({
      involvedObject: pod,
      reason: 'Pulled',
      message: 'Successfully pulled image "nginx"',
      source: { component: 'kubelet', host: 'worker-1' },
      count: 1,
      type: 'Normal',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      reportingComponent: 'kubelet',
      reportingInstance: 'worker-1',
    });
    expect(event?.metadata.uid).toMatch(/./);
  });

  it('writes annotations with an annotated event', async () => {
    const world = await createSimWorld();
    const { recorder, stored } = kubeletRecorder(world);
    const items = await world.run(async () => {
      recorder.annotatedEvent(
        pod,
        { 'example.com/detail': '{"n":1}' },
        {
          type: 'Normal',
          reason: 'Scheduled',
          message: 'placed',
        },
      );
      await recorder.whenIdle();
      return stored();
    }, 1_000);
    expect(items[0]?.metadata.annotations).toEqual({ 'example.com/detail': '{"n":1}' });
    expect(items[0]?.reason).toBe('Scheduled');
  });

  it('counts a repeat on the same event, keeping its name and firstTimestamp', async () => {
    const world = await createSimWorld();
    const { recorder, clock, stored } = kubeletRecorder(world);
    const items = await world.run(async () => {
      recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      await recorder.whenIdle();
      const [first] = await stored();
      await clock.sleep(5_000);
      recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
      await recorder.whenIdle();
      return { first, now: await stored() };
    }, 10_000);
    expect(items.now).toHaveLength(1);
    expect(items.now[0]).toMatchObject({
      metadata: { name: items.first?.metadata.name, uid: items.first?.metadata.uid },
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:05Z',
    });
  });

  it('combines similar events that differ only in message once there are ten', async () => {
    const world = await createSimWorld();
    const { recorder, clock, stored } = kubeletRecorder(world);
    const items = await world.run(async () => {
      for (let i = 1; i <= 11; i++) {
        recorder.event(pod, 'Warning', 'FailedMount', `Unable to mount volume ${i}`);
        await clock.sleep(50_000);
      }
      await recorder.whenIdle();
      return stored();
    }, 600_000);
    expect(items).toHaveLength(10);
    const combined = items.filter((e) => e.message.startsWith(aggregateMessagePrefix));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      message: `${aggregateMessagePrefix}Unable to mount volume 11`,
      count: 2,
      firstTimestamp: '2026-01-01T00:07:30Z',
      lastTimestamp: '2026-01-01T00:08:20Z',
    });
    const single = items.filter((e) => !e.message.startsWith(aggregateMessagePrefix));
    expect(single.map((e) => e.message).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `Unable to mount volume ${i}`),
    );
  });

  it('drops events about one object past a burst of 25 and admits one more after 300 s', async () => {
    const world = await createSimWorld();
    const { recorder, clock, stored } = kubeletRecorder(world);
    const counts = await world.run(async () => {
      for (let i = 0; i < 30; i++) recorder.event(pod, 'Normal', `Reason${i}`, 'm');
      await recorder.whenIdle();
      const afterBurst = (await stored()).length;
      await clock.sleep(299_000);
      recorder.event(pod, 'Normal', 'TooEarly', 'm');
      await clock.sleep(1_000);
      recorder.event(pod, 'Normal', 'Refilled', 'm');
      recorder.event(pod, 'Normal', 'NoTokenLeft', 'm');
      await recorder.whenIdle();
      const reasons = (await stored()).map((e) => e.reason);
      return { afterBurst, reasons };
    }, 400_000);
    expect(counts.afterBurst).toBe(25);
    expect(counts.reasons).toHaveLength(26);
    expect(counts.reasons).toContain('Refilled');
    expect(counts.reasons).not.toContain('TooEarly');
    expect(counts.reasons).not.toContain('NoTokenLeft');
    expect(recorder.stats()).toMatchObject({ created: 26, droppedSpam: 7 });
  });

  it('budgets each object separately', async () => {
    const world = await createSimWorld();
    const { recorder, stored } = kubeletRecorder(world);
    const other = { ...pod, name: 'web-2', uid: 'uid-web-2' };
    const items = await world.run(async () => {
      for (let i = 0; i < 30; i++) recorder.event(pod, 'Normal', `Reason${i}`, 'm');
      recorder.event(other, 'Normal', 'Started', 'm');
      await recorder.whenIdle();
      return stored();
    }, 1_000);
    expect(items.filter((e) => e.involvedObject.name === 'web-2')).toHaveLength(1);
  });

  it('retries while the API server is unreachable and writes the event when it is back', async () => {
    const world = await createSimWorld();
    const { recorder, transport, stored } = kubeletRecorder(world);
    transport.unreachableCount = 2;
    const items = await world.run(async () => {
      recorder.event(pod, 'Normal', 'Pulled', 'm');
      await recorder.whenIdle();
      return stored();
    }, 30_000);
    expect(items).toHaveLength(1);
    const [first, second, third] = transport.requestTimesMs.map((ms) => ms - epochMs);
    expect(first).toBe(0);
    expect(second).toBeGreaterThanOrEqual(0);
    expect(second).toBeLessThan(10_000);
    expect((third ?? 0) - (second ?? 0)).toBe(10_000);
    expect(recorder.stats()).toMatchObject({ failedAttempts: 2, created: 1 });
  });

  it('gives up after 12 attempts, and only then writes the events queued behind', async () => {
    const world = await createSimWorld();
    const { recorder, transport, stored } = kubeletRecorder(world);
    transport.unreachableCount = 12;
    const items = await world.run(async () => {
      recorder.event(pod, 'Normal', 'Lost', 'm');
      recorder.event(pod, 'Normal', 'Kept', 'm');
      await recorder.whenIdle();
      return stored();
    }, 200_000);
    expect(items.map((e) => e.reason)).toEqual(['Kept']);
    expect(transport.requestTimesMs).toHaveLength(13);
    expect((transport.requestTimesMs[12] ?? 0) - epochMs).toBeGreaterThan(100_000);
    expect(recorder.stats()).toMatchObject({ failedAttempts: 12, droppedRetriesExhausted: 1 });
  });

  it('does not retry an event the server refuses', async () => {
    const world = await createSimWorld();
    const { recorder, transport } = kubeletRecorder(world);
    await world.run(async () => {
      recorder.event(pod, 'Normal', 'Pulled', 'x'.repeat(4 * 1024 * 1024));
      await recorder.whenIdle();
    }, 60_000);
    expect(recorder.stats()).toMatchObject({ rejected: 1, failedAttempts: 0 });
    expect(transport.requestTimesMs).toHaveLength(1);
  });

  it('reports on an object read from the server through objectReference', async () => {
    const world = await createSimWorld();
    const { recorder, client, stored } = kubeletRecorder(world);
    const items = await world.run(async () => {
      const node = await client.create(coreResources.nodes, '', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'worker-1' },
      });
      recorder.event(objectReference(node), 'Normal', 'NodeReady', 'Node worker-1 is ready');
      await recorder.whenIdle();
      return stored();
    }, 1_000);
    expect(items[0]?.metadata.namespace).toBe('default');
    expect(items[0]?.involvedObject).toMatchObject({ kind: 'Node', name: 'worker-1' });
    expect(items[0]?.involvedObject.uid).toMatch(/./);
    expect(items[0]?.involvedObject.namespace).toBeUndefined();
  });
});
