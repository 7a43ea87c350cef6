// Tests of the engine: event order, async draining, determinism, timers, skew and bounds.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../control/rng/seeded-rng.js';
import { Engine, eventPhases, type EngineOptions } from './engine.js';

// Captured at module load, before any run installs the guard.
const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

function newEngine(options: Partial<EngineOptions> = {}): Engine {
  return new Engine({
    startMs: 0,
    drain: hostDrain,
    eventCountMax: 100_000,
    drainRoundsMax: 1_000,
    ...options,
  });
}

describe('Engine async draining', () => {
  it('lets an await chain started by an event finish before time advances', async () => {
    const engine = newEngine({ startMs: 1_000 });
    const clock = engine.clock('a');
    const log: string[] = [];
    const seen: number[] = [];
    async function leaf(): Promise<number> {
      await null;
      const four = await Promise.resolve(1)
        .then((x) => x + 1)
        .then((x) => x * 2);
      return four + clock.nowMs();
    }
    async function middle(): Promise<number> {
      seen.push(clock.nowMs());
      const value = await leaf();
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      return value;
    }
    engine.schedule({
      atMs: 1_100,
      phase: 'delivery',
      endpoint: 'a',
      run: async () => {
        for (let i = 0; i < 5; i += 1) {
          await Promise.resolve(i);
          seen.push(clock.nowMs());
        }
        log.push(`chain ${await middle()}`);
      },
    });
    engine.schedule({ atMs: 1_101, phase: 'fault', endpoint: 'a', run: () => log.push('later') });
    await engine.runUntil(1_200);
    expect(log).toEqual(['chain 1104', 'later']);
    expect(seen).toEqual([1_100, 1_100, 1_100, 1_100, 1_100, 1_100]);
    expect(engine.nowMs()).toBe(1_200);
  });

  it('lets a chain finish before the next event of the same instant', async () => {
    const engine = newEngine();
    const log: string[] = [];
    engine.schedule({
      atMs: 5,
      phase: 'timer',
      endpoint: 'a',
      run: async () => {
        await Promise.resolve();
        await Promise.resolve();
        log.push('a done');
      },
    });
    engine.schedule({ atMs: 5, phase: 'timer', endpoint: 'b', run: () => log.push('b') });
    await engine.runUntilQuiet();
    expect(log).toEqual(['a done', 'b']);
  });

  it('runs events scheduled by continuations at the same instant before later ones', async () => {
    const engine = newEngine();
    const clock = engine.clock('a');
    const log: string[] = [];
    engine.schedule({
      atMs: 10,
      phase: 'delivery',
      endpoint: 'a',
      run: async () => {
        await null;
        await clock.sleep(0);
        log.push(`slept at ${clock.nowMs()}`);
      },
    });
    engine.schedule({ atMs: 11, phase: 'fault', endpoint: 'a', run: () => log.push('at 11') });
    await engine.runUntil(20);
    expect(log).toEqual(['slept at 10', 'at 11']);
  });

  it('drains after ordinary events and skips the drain after sync events', async () => {
    let drainCount = 0;
    const engine = newEngine({
      drain: () => {
        drainCount += 1;
        return hostDrain();
      },
    });
    for (let i = 0; i < 3; i += 1) {
      engine.schedule({ atMs: i, phase: 'timer', endpoint: 'async', run: () => {} });
      engine.schedule({ atMs: i, phase: 'timer', endpoint: 'sync', run: () => {}, sync: true });
    }
    await engine.runUntilQuiet();
    expect(drainCount).toBe(3);
    expect(engine.eventCount).toBe(6);
  });
});

describe('Engine ordering', () => {
  it('orders one instant by phase, then endpoint, then scheduling order', async () => {
    const engine = newEngine();
    const log: string[] = [];
    const add = (phase: (typeof eventPhases)[number], endpoint: string, tag: string): void => {
      engine.schedule({ atMs: 7, phase, endpoint, run: () => log.push(tag), sync: true });
    };
    add('delivery', 'a', 'delivery a');
    add('timer', 'b', 'timer b #1');
    add('timer', 'a', 'timer a');
    add('fault', 'z', 'fault z');
    add('timer', 'b', 'timer b #2');
    engine.schedule({ atMs: 6, phase: 'delivery', endpoint: 'z', run: () => log.push('at 6') });
    await engine.runUntilQuiet();
    expect(log).toEqual(['at 6', 'fault z', 'timer a', 'timer b #1', 'timer b #2', 'delivery a']);
  });

  it('runs events due by endMs, leaves later ones queued and moves now to endMs', async () => {
    const engine = newEngine({ startMs: 100 });
    const log: number[] = [];
    for (const atMs of [150, 100, 200, 201]) {
      engine.schedule({ atMs, phase: 'timer', endpoint: 'a', run: () => log.push(atMs) });
    }
    await engine.runUntil(200);
    expect(log).toEqual([100, 150, 200]);
    expect(engine.nowMs()).toBe(200);
    expect(engine.queuedCount).toBe(1);
    await engine.runUntilQuiet();
    expect(log).toEqual([100, 150, 200, 201]);
    expect(engine.nowMs()).toBe(201);
  });

  it('gives identical event sequences for two runs with one seed', async () => {
    const first = await randomWorld(42);
    const second = await randomWorld(42);
    expect(first.length).toBeGreaterThan(100);
    expect(second).toEqual(first);
    expect(await randomWorld(43)).not.toEqual(first);
  });

  it('does not reorder other endpoints when one endpoint schedules extra events', async () => {
    const base = await fixedWorld(false);
    const withExtra = await fixedWorld(true);
    const others = (log: string[]): string[] => log.filter((line) => !line.startsWith('b'));
    expect(withExtra.length).toBe(base.length + 10);
    expect(others(withExtra)).toEqual(others(base));
  });
});

describe('Engine timers and clocks', () => {
  it('does not fire cancelled timers; cancel is idempotent and harmless after firing', async () => {
    const engine = newEngine();
    const clock = engine.clock('a');
    const log: string[] = [];
    const kept = clock.setTimer(5, () => log.push('kept'));
    const cancelled = clock.setTimer(5, () => log.push('cancelled'));
    cancelled.cancel();
    cancelled.cancel();
    await engine.runUntil(10);
    kept.cancel();
    expect(log).toEqual(['kept']);
    expect(engine.queuedCount).toBe(0);
  });

  it('reads engine time plus skew and fires skewed timers at engine time', async () => {
    const engine = newEngine({ startMs: 10_000 });
    const ahead = engine.clock('fast', { skewMs: 1_500 });
    const behind = engine.clock('slow', { skewMs: -2_000 });
    expect(ahead.nowMs()).toBe(11_500);
    expect(behind.nowMs()).toBe(8_000);
    const fired: Array<[string, number, number]> = [];
    ahead.setTimer(100, () => fired.push(['fast', ahead.nowMs(), engine.nowMs()]));
    behind.setTimer(100, () => fired.push(['slow', behind.nowMs(), engine.nowMs()]));
    await engine.runUntil(10_200);
    expect(fired).toEqual([
      ['fast', 11_600, 10_100],
      ['slow', 8_100, 10_100],
    ]);
    behind.setSkewMs(0);
    expect(behind.nowMs()).toBe(10_200);
  });

  it('rejects non-integer, negative and past times as programmer errors', () => {
    const engine = newEngine({ startMs: 50 });
    const clock = engine.clock('a');
    expect(() => clock.setTimer(-1, () => {})).toThrow(/negative/);
    expect(() => clock.setTimer(0.5, () => {})).toThrow(/integer/);
    expect(() =>
      engine.schedule({ atMs: 49, phase: 'timer', endpoint: 'a', run: () => {} }),
    ).toThrow(/before now/);
    expect(() => engine.clock('a', { skewMs: 0.1 })).toThrow(/integer/);
  });
});

describe('Engine bounds and failures', () => {
  it('fails the run with a clear error past eventCountMax', async () => {
    const engine = newEngine({ eventCountMax: 10 });
    const tick = (): void => {
      engine.schedule({ atMs: engine.nowMs() + 1, phase: 'timer', endpoint: 'a', run: tick });
    };
    tick();
    await expect(engine.runUntilQuiet()).rejects.toThrow(
      'Simulation exceeded eventCountMax (10 events) at virtual time 11 ms',
    );
    expect(engine.eventCount).toBe(11);
  });

  it('fails the run with a clear error past drainRoundsMax drains in one instant', async () => {
    const engine = newEngine({ drainRoundsMax: 20, startMs: 3 });
    const clock = engine.clock('loop');
    const spin = async (): Promise<void> => {
      await null;
      clock.setTimer(0, () => void spin());
    };
    clock.setTimer(0, () => void spin());
    await expect(engine.runUntil(100)).rejects.toThrow(
      /exceeded drainRoundsMax \(20 drains\) within virtual instant 3 ms/,
    );
  });

  it('fails the run when an event throws, and refuses later runs', async () => {
    const engine = newEngine();
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: () => {
        throw new Error('boom');
      },
    });
    await expect(engine.runUntil(5)).rejects.toThrow('boom');
    await expect(engine.runUntil(6)).rejects.toThrow(/already failed/);
  });

  it('fails the run when a promise returned by an event rejects', async () => {
    const engine = newEngine();
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: async () => {
        await null;
        throw new Error('late boom');
      },
    });
    engine.schedule({ atMs: 2, phase: 'timer', endpoint: 'a', run: () => {} });
    await expect(engine.runUntilQuiet()).rejects.toThrow('late boom');
  });

  it('refuses a second run of one engine while the first is open', async () => {
    const engine = newEngine();
    let inner: Promise<void> | undefined;
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: () => {
        inner = engine.runUntil(2);
        inner.catch(() => undefined);
      },
    });
    await engine.runUntil(1);
    await expect(inner).rejects.toThrow(/another run of the same engine/);
  });
});

/** Five actors with random delays, phases, awaits and messages, all drawn from one seed. */
async function randomWorld(seed: number): Promise<string[]> {
  const engine = newEngine();
  const log: string[] = [];
  const root = createRng(seed, 'engine-test');
  const names = ['api', 'kubelet-a', 'kubelet-b', 'net', 'scheduler'];
  for (const name of names) {
    const rng = root.fork(name);
    const clock = engine.clock(name);
    let turn = 0;
    const act = async (): Promise<void> => {
      turn += 1;
      log.push(`${engine.nowMs()} ${name} start ${turn}`);
      if (rng.chance(1, 2)) await clock.sleep(rng.intBelow(3));
      log.push(`${engine.nowMs()} ${name} end ${turn}`);
      const target = rng.pick(names);
      const note = `${engine.nowMs()} ${target} got ${name}#${turn}`;
      const deliverAt = engine.nowMs() + rng.intBelow(4);
      engine.schedule({
        atMs: deliverAt,
        phase: 'delivery',
        endpoint: target,
        sync: true,
        run: () => log.push(note),
      });
      if (turn >= 30) return;
      const phase = rng.pick(eventPhases);
      engine.schedule({ atMs: engine.nowMs() + rng.intBelow(5), phase, endpoint: name, run: act });
    };
    engine.schedule({ atMs: rng.intBelow(3), phase: 'timer', endpoint: name, run: act });
  }
  await engine.runUntilQuiet();
  return log;
}

async function fixedWorld(extra: boolean): Promise<string[]> {
  const engine = newEngine();
  const log: string[] = [];
  for (let t = 0; t < 5; t += 1) {
    for (const endpoint of ['c', 'b', 'a']) {
      const copies = endpoint === 'b' && extra ? 3 : 1;
      for (let i = 0; i < copies; i += 1) {
        const tag = `${endpoint} ${t} ${i}`;
        engine.schedule({
          atMs: t,
          phase: 'timer',
          endpoint,
          run: () => log.push(tag),
          sync: true,
        });
      }
    }
  }
  await engine.runUntilQuiet();
  return log;
}
