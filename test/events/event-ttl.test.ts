// The event TTL on the API server's store, in virtual time: events recorded by a component vanish
// an hour after their last write, watchers see them go, and a repeated event lives on.

import { describe, expect, it } from 'vitest';
import { startEventTtl } from '../../src/control/apiserver/event-ttl.js';
import type { WatchEvent } from '../../src/control/client/types.js';
import { createSimWorld } from '../client/sim-world.js';
import { events, kubeletRecorder, pod } from './fixtures.js';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

async function ttlWorld() {
  const world = await createSimWorld();
  const ttl = startEventTtl({ store: world.store, clock: world.engine.clock('apiserver') });
  const recording = kubeletRecorder(world);
  const seen: string[] = [];
  const watcher = world.newClient('watcher').client;
  const handle = watcher.watch(
    events,
    'default',
    { resourceVersion: '0', timeoutSeconds: 4 * 3600 },
    {
      onEvent: (event: WatchEvent) => {
        if (event.type !== 'ERROR' && event.type !== 'BOOKMARK') {
          seen.push(`${event.type} ${event.object.metadata.name} ${String(event.object.count)}`);
        }
      },
      onEnd: () => undefined,
    },
  );
  return { world, ttl, seen, stop: () => handle.stop(), ...recording };
}

describe('event TTL', () => {
  it('deletes an event an hour after it was written, and watchers see DELETED', async () => {
    const { world, ttl, seen, stop, recorder, stored } = await ttlWorld();
    const names = await world.run(async () => {
      recorder.event(pod, 'Normal', 'Pulled', 'm');
      await recorder.whenIdle();
      return (await stored()).map((e) => e.metadata.name);
    }, 1_000);
    expect(names).toHaveLength(1);
    await world.run(async () => undefined, hourMs - 5_000);
    expect(await world.run(stored, 1_000)).toHaveLength(1);
    await world.run(async () => undefined, 2 * minuteMs);
    expect(await world.run(stored, 1_000)).toEqual([]);
    expect(seen).toEqual([`ADDED ${names[0]} 1`, `DELETED ${names[0]} 1`]);
    expect(ttl.trackedCount).toBe(0);
    stop();
    ttl.stop();
  });

  it('keeps an event that was counted again until an hour after the repeat', async () => {
    const { world, ttl, seen, stop, recorder, clock, stored } = await ttlWorld();
    await world.run(
      async () => {
        recorder.event(pod, 'Warning', 'BackOff', 'm');
        await clock.sleep(30 * minuteMs);
        recorder.event(pod, 'Warning', 'BackOff', 'm');
        await recorder.whenIdle();
      },
      30 * minuteMs + 1_000,
    );
    await world.run(async () => undefined, 40 * minuteMs);
    const alive = await world.run(stored, 1_000);
    expect(alive.map((e) => e.count)).toEqual([2]);
    await world.run(async () => undefined, 21 * minuteMs);
    expect(await world.run(stored, 1_000)).toEqual([]);
    const name = alive[0]?.metadata.name;
    expect(seen).toEqual([`ADDED ${name} 1`, `MODIFIED ${name} 2`, `DELETED ${name} 2`]);
    stop();
    ttl.stop();
  });

  it('lets a repeat after expiry create the event again under its old name', async () => {
    const { world, ttl, recorder, clock, stored } = await ttlWorld();
    const result = await world.run(
      async () => {
        recorder.event(pod, 'Normal', 'Pulled', 'm');
        await recorder.whenIdle();
        const [first] = await stored();
        await clock.sleep(hourMs + 2 * minuteMs);
        recorder.event(pod, 'Normal', 'Pulled', 'm');
        await recorder.whenIdle();
        return { first, again: await stored() };
      },
      hourMs + 3 * minuteMs,
    );
    expect(result.again).toHaveLength(1);
    expect(result.again[0]).toMatchObject({
      metadata: { name: result.first?.metadata.name },
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
    });
    expect(result.again[0]?.metadata.uid).not.toBe(result.first?.metadata.uid);
    ttl.stop();
  });
});
