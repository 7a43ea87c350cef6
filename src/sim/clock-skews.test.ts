// Tests of clock skews per owner: offsets, drift steps in virtual time, restarts and the end.
import { describe, expect, it } from 'vitest';
import { ClockSkews, clockDriftStepMs } from './clock-skews.js';
import { Engine } from './engine/engine.js';

const hostSetImmediate = setImmediate;
const hostDrain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));
const startMs = 1_767_225_600_000;

function fixture() {
  const engine = new Engine({
    startMs,
    drain: hostDrain,
    eventCountMax: 100_000,
    drainRoundsMax: 100,
  });
  const skews = new ClockSkews({ clock: engine.clock('clock-drift') });
  const advance = (ms: number) => engine.runUntil(engine.nowMs() + ms);
  return { engine, skews, advance };
}

describe('ClockSkews', () => {
  it("moves every clock of the owner by an offset, and later clocks start with the owner's skew", () => {
    const { engine, skews } = fixture();
    skews.declare('node/a', 1_000);
    const kubelet = skews.track('node/a', engine.clock('node/a/kubelet-1'));
    const runtime = skews.track('node/a', engine.clock('node/a'));
    const other = skews.track('scheduler', engine.clock('client/kube-scheduler'));
    expect(kubelet.nowMs()).toBe(startMs + 1_000);
    skews.change('node/a', { offsetMs: 300_000 });
    expect(kubelet.nowMs()).toBe(startMs + 301_000);
    expect(runtime.nowMs()).toBe(startMs + 301_000);
    expect(other.nowMs()).toBe(startMs);
    skews.untrack('node/a', 'node/a/kubelet-1');
    const next = skews.track('node/a', engine.clock('node/a/kubelet-2'));
    skews.change('node/a', { offsetMs: -400_000 });
    expect(next.nowMs()).toBe(startMs - 99_000);
    expect(kubelet.nowMs()).toBe(startMs + 301_000);
    expect(skews.skewMs('node/a')).toBe(-99_000);
  });

  it('drifts in steps of virtual time, exactly: 500 ppm is 5 ms after 10 s', async () => {
    const { engine, skews, advance } = fixture();
    const clock = skews.track('controller-manager', engine.clock('client/replicaset-controller'));
    skews.change('controller-manager', { driftPpm: 500 });
    await advance(10_000);
    expect(clock.nowMs() - engine.nowMs()).toBe(5);
    await advance(clockDriftStepMs / 2);
    expect(clock.nowMs() - engine.nowMs()).toBe(5);
    await advance(50_000 - clockDriftStepMs / 2);
    expect(skews.skewMs('controller-manager')).toBe(30);
  });

  it('keeps the rate across an offset, and holds the skew once the drift is set to 0', async () => {
    const { engine, skews, advance } = fixture();
    const clock = skews.track('node/b', engine.clock('node/b'));
    skews.change('node/b', { offsetMs: 120_000, driftPpm: -20_000 });
    await advance(60_000);
    expect(clock.nowMs() - engine.nowMs()).toBe(120_000 - 1_200);
    skews.change('node/b', { offsetMs: -10_000 });
    await advance(10_000);
    expect(skews.skewMs('node/b')).toBe(120_000 - 1_200 - 10_000 - 200);
    skews.change('node/b', { driftPpm: 0 });
    await advance(30_000);
    expect(skews.skewMs('node/b')).toBe(108_600);
    expect(engine.queuedCount).toBe(0);
  });

  it('leaves timers at their engine due times when the clock jumps', async () => {
    const { engine, skews, advance } = fixture();
    const clock = skews.track('scheduler', engine.clock('client/kube-scheduler'));
    const fired: number[] = [];
    clock.setTimer(10_000, () => fired.push(engine.nowMs() - startMs));
    skews.change('scheduler', { offsetMs: -60_000 });
    await advance(20_000);
    expect(fired).toEqual([10_000]);
  });

  it('stops stepping when stopped, so a stopped world has nothing left to run', async () => {
    const { engine, skews, advance } = fixture();
    skews.track('node/c', engine.clock('node/c'));
    skews.change('node/c', { driftPpm: 100_000 });
    await advance(3_000);
    expect(skews.skewMs('node/c')).toBe(300);
    skews.stop();
    expect(engine.queuedCount).toBe(0);
    await advance(3_000);
    expect(skews.skewMs('node/c')).toBe(300);
  });
});
