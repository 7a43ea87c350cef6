// Tests of the flowcontrol-style back-off: doubling, the cap and the kubelet's 10-minute reset.

import { describe, expect, it } from 'vitest';
import { Backoff, containerHasExpired } from './backoff.js';

function manualClock(startMs = 1_000_000) {
  const clock = { now: startMs, nowMs: () => clock.now };
  return clock;
}

describe('Backoff', () => {
  it('waits 10, 20, 40, 80, 160, 300, 300 s after successive crashes', () => {
    const clock = manualClock();
    const backoff = new Backoff({
      clock,
      initialMs: 10_000,
      maxMs: 300_000,
      hasExpired: containerHasExpired,
    });
    const waits: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      const finishedAtMs = clock.now;
      const wait = backoff.remainingSinceMs('pod/app', finishedAtMs);
      waits.push(wait);
      clock.now += wait;
      expect(backoff.isInBackOffSince('pod/app', finishedAtMs)).toBe(false);
      backoff.next('pod/app', finishedAtMs);
      clock.now += 1_000; // the container runs 1 s, then crashes again
    }
    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('starts over once a container finished more than 10 minutes after its last restart', () => {
    const clock = manualClock();
    const backoff = new Backoff({
      clock,
      initialMs: 10_000,
      maxMs: 300_000,
      hasExpired: containerHasExpired,
    });
    backoff.next('k', clock.now);
    backoff.next('k', clock.now);
    expect(backoff.getMs('k')).toBe(20_000);
    clock.now += 600_001;
    expect(backoff.isInBackOffSince('k', clock.now)).toBe(false);
    backoff.next('k', clock.now);
    expect(backoff.getMs('k')).toBe(10_000);
  });

  it('measures the image back-off from the last failed pull; it expires after 2 × cap', () => {
    const clock = manualClock();
    const backoff = new Backoff({ clock, initialMs: 10_000, maxMs: 300_000 });
    backoff.next('uid_img', clock.now);
    clock.now += 9_999;
    expect(backoff.remainingSinceUpdateMs('uid_img', clock.now)).toBe(1);
    clock.now += 1;
    expect(backoff.isInBackOffSinceUpdate('uid_img', clock.now)).toBe(false);
    backoff.next('uid_img', clock.now);
    expect(backoff.getMs('uid_img')).toBe(20_000);
    clock.now += 600_001;
    backoff.gc();
    expect(backoff.size).toBe(0);
  });

  it('forgets every key of a pod', () => {
    const clock = manualClock();
    const backoff = new Backoff({ clock, initialMs: 10, maxMs: 100 });
    backoff.next('a/x', 0);
    backoff.next('a/y', 0);
    backoff.next('b/x', 0);
    backoff.deletePrefix('a/');
    expect(backoff.size).toBe(1);
  });
});
