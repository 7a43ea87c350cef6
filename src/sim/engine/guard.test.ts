// Tests of the determinism guard: banned host calls fail runs; globals come back afterwards.

import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { guardDepth } from './guard.js';

const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

const originals = {
  Date: globalThis.Date,
  dateNow: Date.now,
  random: Math.random,
  performanceNow: performance.now,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  getRandomValues: globalThis.crypto.getRandomValues,
  randomUUID: globalThis.crypto.randomUUID,
};

function newEngine(drain: () => Promise<void> = hostDrain): Engine {
  return new Engine({ startMs: 0, drain, eventCountMax: 1_000, drainRoundsMax: 100 });
}

function expectHostRestored(): void {
  expect(guardDepth()).toBe(0);
  expect(globalThis.Date).toBe(originals.Date);
  expect(Date.now).toBe(originals.dateNow);
  expect(Object.hasOwn(Date, 'now')).toBe(true);
  expect(Math.random).toBe(originals.random);
  expect(performance.now).toBe(originals.performanceNow);
  expect(globalThis.setTimeout).toBe(originals.setTimeout);
  expect(globalThis.setInterval).toBe(originals.setInterval);
  expect(globalThis.setImmediate).toBe(originals.setImmediate);
  expect(globalThis.crypto.getRandomValues).toBe(originals.getRandomValues);
  expect(globalThis.crypto.randomUUID).toBe(originals.randomUUID);
  expect(Object.hasOwn(globalThis.crypto, 'randomUUID')).toBe(false);
  expect(typeof Date.now()).toBe('number');
  expect(new Date().getTime()).toBeGreaterThan(0);
}

/** Each banned call, as code a careless component might run, with the name the error gives. */
const bannedCalls: Array<[string, () => unknown]> = [
  ['Date.now()', () => Date.now()],
  ['new Date()', () => new Date()],
  ['Date()', () => (Date as unknown as () => string)()],
  ['Math.random()', () => Math.random()],
  ['performance.now()', () => performance.now()],
  ['setTimeout()', () => setTimeout(() => {}, 1)],
  ['setInterval()', () => setInterval(() => {}, 1)],
  ['setImmediate()', () => setImmediate(() => {})],
  ['crypto.getRandomValues()', () => crypto.getRandomValues(new Uint8Array(4))],
  ['crypto.randomUUID()', () => crypto.randomUUID()],
];

afterEach(() => {
  expectHostRestored();
});

describe('determinism guard', () => {
  it.each(bannedCalls)('rejects the run when an event calls %s', async (name, call) => {
    const engine = newEngine();
    engine.schedule({ atMs: 1, phase: 'timer', endpoint: 'a', run: call });
    const port = name.startsWith('Math') || name.startsWith('crypto') ? 'Rng' : 'Clock';
    await expect(engine.runUntil(2)).rejects.toThrow(
      `${name} called during a simulation run; use the component's ${port}`,
    );
    expectHostRestored();
  });

  it('rejects the run when an async chain calls Math.random() after some awaits', async () => {
    const engine = newEngine();
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: async () => {
        await null;
        await Promise.resolve();
        return Math.random();
      },
    });
    await expect(engine.runUntil(2)).rejects.toThrow(
      'Math.random() called during a simulation run',
    );
  });

  it('still fails the run when the component swallows the error', async () => {
    const engine = newEngine();
    const run = async (): Promise<void> => {
      await null;
      try {
        Date.now();
      } catch {
        // A careless component hides the failure; the run must not.
      }
    };
    engine.schedule({ atMs: 1, phase: 'timer', endpoint: 'a', run: () => void run() });
    await expect(engine.runUntil(2)).rejects.toThrow('Date.now() called during a simulation run');
  });

  it('lets dated constructions, Date.parse and queueMicrotask through during a run', async () => {
    const engine = newEngine();
    const seen: unknown[] = [];
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: async () => {
        seen.push(new Date(0).toISOString(), Date.parse('1970-01-01T00:00:01Z'));
        seen.push(new Date(0) instanceof Date);
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        seen.push('microtask');
      },
    });
    await engine.runUntil(2);
    expect(seen).toEqual(['1970-01-01T00:00:00.000Z', 1000, true, 'microtask']);
  });

  it('leaves the host alone between runs', async () => {
    const engine = newEngine();
    engine.schedule({ atMs: 1, phase: 'timer', endpoint: 'a', run: () => {} });
    await engine.runUntil(1);
    expectHostRestored();
    engine.schedule({ atMs: 2, phase: 'timer', endpoint: 'a', run: () => {} });
    await engine.runUntil(2);
  });

  it('works with a drain that looks setImmediate up at call time', async () => {
    const naiveDrain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const engine = newEngine(naiveDrain);
    const log: string[] = [];
    engine.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'a',
      run: async () => {
        await null;
        log.push('drained');
      },
    });
    await engine.runUntil(1);
    expect(log).toEqual(['drained']);
  });

  it('stays installed until the outer of two nested runs ends', async () => {
    const outer = newEngine();
    const inner = newEngine();
    const depths: number[] = [];
    inner.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'i',
      run: () => depths.push(guardDepth()),
    });
    outer.schedule({
      atMs: 1,
      phase: 'timer',
      endpoint: 'o',
      run: async () => {
        depths.push(guardDepth());
        await inner.runUntil(1);
        depths.push(guardDepth());
        expect(() => Math.random()).toThrow(/Math\.random\(\) called/);
      },
    });
    await expect(outer.runUntil(1)).rejects.toThrow(/Math\.random\(\) called/);
    expect(depths).toEqual([1, 2, 1]);
  });

  it('stays installed while either of two parallel runs is open', async () => {
    const depths: number[] = [];
    const engines = [newEngine(), newEngine()];
    for (const [index, engine] of engines.entries()) {
      const clock = engine.clock('a');
      for (let t = 1; t <= 5; t += 1) {
        engine.schedule({
          atMs: t * (index + 1),
          phase: 'timer',
          endpoint: 'a',
          run: async () => {
            await clock.sleep(0);
            depths.push(guardDepth());
          },
        });
      }
    }
    await Promise.all(engines.map((engine) => engine.runUntilQuiet()));
    expect(depths.length).toBe(10);
    expect(depths.every((depth) => depth >= 1)).toBe(true);
    expect(depths).toContain(2);
  });
});
