// Clock contract: every Clock implementation runs this suite (virtual and wall clocks).

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/control/ports/clock.js';

export interface ClockFixture {
  clock: Clock;
  /** Lets `ms` of the clock's time pass (engine run for virtual time, a real wait otherwise). */
  advance(ms: number): Promise<void>;
}

export interface ClockContractOptions {
  newClock(): ClockFixture | Promise<ClockFixture>;
}

/** Timers may fire up to this much "early" by nowMs on a real clock (Date.now rounding). */
const earlySlackMs = 1;

/** Lets pending promise continuations run without advancing the clock. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** Keeps total waiting under 50 ms so the wall clock's run stays fast. */
export function runClockContract(name: string, options: ClockContractOptions): void {
  describe(`Clock contract: ${name}`, () => {
    it('reads integer times that never decrease', async () => {
      const { clock, advance } = await options.newClock();
      const readings = [clock.nowMs(), clock.nowMs()];
      await advance(2);
      readings.push(clock.nowMs(), clock.nowMs());
      for (const reading of readings) expect(Number.isSafeInteger(reading)).toBe(true);
      for (let i = 1; i < readings.length; i += 1) {
        expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1] as number);
      }
      expect((readings[2] as number) - (readings[0] as number)).toBeGreaterThanOrEqual(
        2 - earlySlackMs,
      );
    });

    it('fires timers in due order, each no earlier than its delay', async () => {
      const { clock, advance } = await options.newClock();
      const setAtMs = clock.nowMs();
      const fired: Array<[number, number]> = [];
      for (const delayMs of [15, 5, 10]) {
        clock.setTimer(delayMs, () => fired.push([delayMs, clock.nowMs()]));
      }
      await advance(20);
      expect(fired.map(([delayMs]) => delayMs)).toEqual([5, 10, 15]);
      for (const [delayMs, atMs] of fired) {
        expect(atMs).toBeGreaterThanOrEqual(setAtMs + delayMs - earlySlackMs);
      }
    });

    it('fires timers due at the same time in the order they were set', async () => {
      const { clock, advance } = await options.newClock();
      const fired: number[] = [];
      for (let i = 0; i < 4; i += 1) clock.setTimer(2, () => fired.push(i));
      await advance(5);
      expect(fired).toEqual([0, 1, 2, 3]);
    });

    it('fires a zero-delay timer once time is let pass', async () => {
      const { clock, advance } = await options.newClock();
      let fired = 0;
      clock.setTimer(0, () => (fired += 1));
      await advance(2);
      expect(fired).toBe(1);
    });

    it('does not fire a cancelled timer; cancel is idempotent, harmless after firing', async () => {
      const { clock, advance } = await options.newClock();
      const fired: string[] = [];
      const cancelled = clock.setTimer(2, () => fired.push('cancelled'));
      const kept = clock.setTimer(2, () => fired.push('kept'));
      cancelled.cancel();
      cancelled.cancel();
      await advance(5);
      kept.cancel();
      expect(fired).toEqual(['kept']);
    });

    it('resolves sleep after its delay and not before', async () => {
      const { clock, advance } = await options.newClock();
      let resolved = false;
      const sleeping = clock.sleep(3).then(() => {
        resolved = true;
      });
      await flushMicrotasks();
      expect(resolved).toBe(false);
      await advance(6);
      await flushMicrotasks();
      expect(resolved).toBe(true);
      await sleeping;
    });

    it('rejects negative and fractional delays as programmer errors', async () => {
      const { clock } = await options.newClock();
      expect(() => clock.setTimer(-1, () => {})).toThrow();
      expect(() => clock.setTimer(1.5, () => {})).toThrow();
    });
  });
}
