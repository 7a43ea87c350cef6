// The scheduled pod deletions: firing at their time, cancelling, duplicates and immediate work.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/client/manual-clock.js';
import { TimedWorkQueue } from './timed-work-queue.js';

function setup() {
  const clock = new ManualClock({ startMs: 1_000 });
  const fired: string[] = [];
  const release: (() => void)[] = [];
  const queue = new TimedWorkQueue({
    clock,
    run: (key, fireAtMs) => {
      fired.push(`${key}@${fireAtMs}@${clock.nowMs()}`);
      return new Promise<void>((resolve) => release.push(resolve));
    },
  });
  return { clock, fired, release, queue };
}

describe('TimedWorkQueue', () => {
  it('runs work at its fire time, then forgets the key', async () => {
    const { clock, fired, release, queue } = setup();
    queue.addWork('ns/a', 1_000, 301_000);
    expect(queue.scheduled('ns/a')).toEqual({ createdAtMs: 1_000, fireAtMs: 301_000 });
    clock.advance(299_999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['ns/a@301000@301000']);
    expect(queue.scheduled('ns/a')).toBeUndefined();
    expect(queue.size).toBe(1);
    release.shift()?.();
    await queue.whenIdle();
    expect(queue.size).toBe(0);
  });

  it('ignores work for a key that already has some', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('ns/a', 1_000, 11_000);
    queue.addWork('ns/a', 1_000, 2_000);
    clock.advance(5_000);
    expect(fired).toEqual([]);
    clock.advance(5_000);
    expect(fired).toEqual(['ns/a@11000@11000']);
  });

  it('cancels waiting work and says so, but not running work', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('ns/a', 1_000, 11_000);
    expect(queue.cancelWork('ns/a')).toBe(true);
    expect(queue.cancelWork('ns/a')).toBe(false);
    clock.advance(20_000);
    expect(fired).toEqual([]);
    queue.addWork('ns/b', clock.nowMs(), clock.nowMs());
    expect(fired).toHaveLength(1);
    expect(queue.cancelWork('ns/b')).toBe(false);
  });

  it('drops waiting work on stop', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('ns/a', 1_000, 11_000);
    queue.stop();
    clock.advance(20_000);
    expect(fired).toEqual([]);
    queue.addWork('ns/b', clock.nowMs(), clock.nowMs());
    expect(fired).toEqual([]);
  });
});
