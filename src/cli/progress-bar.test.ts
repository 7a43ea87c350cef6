// The sim run progress bar: its rendering, when it is drawn, and its redraw throttle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ProgressBar,
  progressBarFor,
  progressBarWidth,
  progressEnabled,
  renderProgressBar,
} from './progress-bar.js';

describe('renderProgressBar', () => {
  it('draws the done share of the bar, the label and virtual seconds', () => {
    const frame = { label: 'zone-spread', elapsedMs: 60_000, durationMs: 120_000 };
    expect(renderProgressBar(frame)).toBe('[#####     ] zone-spread 60s/120s');
  });

  it('shows an empty bar at the start and a full one at the end', () => {
    expect(renderProgressBar({ label: 'x', elapsedMs: 0, durationMs: 900_000 })).toBe(
      '[          ] x 0s/900s',
    );
    expect(renderProgressBar({ label: 'x', elapsedMs: 900_000, durationMs: 900_000 })).toBe(
      '[##########] x 900s/900s',
    );
  });

  it('rounds the bar and the seconds down and clamps past the end', () => {
    expect(renderProgressBar({ label: 'x', elapsedMs: 11_999, durationMs: 120_000 })).toBe(
      '[          ] x 11s/120s',
    );
    expect(renderProgressBar({ label: 'x', elapsedMs: 130_000, durationMs: 120_000 })).toBe(
      '[##########] x 130s/120s',
    );
    expect(renderProgressBar({ label: 'x', elapsedMs: 0, durationMs: 0 })).toBe(
      '[##########] x 0s/0s',
    );
  });

  it('keeps its width and never shrinks as time advances', () => {
    const filled = (text: string) => text.slice(1, progressBarWidth + 1).split('#').length - 1;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (durationMs, a, b) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const first = renderProgressBar({ label: 's', elapsedMs: early, durationMs });
          const second = renderProgressBar({ label: 's', elapsedMs: late, durationMs });
          expect(first.indexOf(']')).toBe(progressBarWidth + 1);
          expect(filled(first)).toBeLessThanOrEqual(filled(second));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('progressEnabled', () => {
  const on = { isTty: true, env: {}, quiet: false };

  it('draws on a terminal with a plain environment', () => {
    expect(progressEnabled(on)).toBe(true);
  });

  it('does not draw off a terminal or with --quiet', () => {
    expect(progressEnabled({ ...on, isTty: false })).toBe(false);
    expect(progressEnabled({ ...on, quiet: true })).toBe(false);
  });

  it('does not draw with NO_COLOR set to anything but the empty string', () => {
    expect(progressEnabled({ ...on, env: { NO_COLOR: '1' } })).toBe(false);
    expect(progressEnabled({ ...on, env: { NO_COLOR: '' } })).toBe(true);
  });

  it('does not draw in CI unless CI says false, nor on a dumb terminal', () => {
    expect(progressEnabled({ ...on, env: { CI: 'true' } })).toBe(false);
    expect(progressEnabled({ ...on, env: { CI: '1' } })).toBe(false);
    expect(progressEnabled({ ...on, env: { CI: 'false' } })).toBe(true);
    expect(progressEnabled({ ...on, env: { TERM: 'dumb' } })).toBe(false);
  });
});

describe('ProgressBar', () => {
  function recorded() {
    const clock = { nowMs: 0 };
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (t) => writes.push(t), nowMs: () => clock.nowMs });
    return { clock, writes, bar };
  }
  const frame = (elapsedMs: number) => ({ label: 's', elapsedMs, durationMs: 10_000 });

  it('redraws at most once per 100 ms of wall time, in place', () => {
    const { clock, writes, bar } = recorded();
    for (const [wallMs, elapsedMs] of [
      [0, 0],
      [50, 1_000],
      [99, 2_000],
      [100, 3_000],
      [180, 4_000],
      [260, 5_000],
    ] as const) {
      clock.nowMs = wallMs;
      bar.update(frame(elapsedMs));
    }
    expect(writes).toEqual([
      '\r[          ] s 0s/10s\x1b[K',
      '\r[###       ] s 3s/10s\x1b[K',
      '\r[#####     ] s 5s/10s\x1b[K',
    ]);
  });

  it('erases its line on clear only when it drew, and draws at once afterwards', () => {
    const { writes, bar } = recorded();
    bar.clear();
    expect(writes).toEqual([]);
    bar.update(frame(0));
    bar.clear();
    bar.update(frame(1_000));
    expect(writes).toEqual([
      '\r[          ] s 0s/10s\x1b[K',
      '\r\x1b[K',
      '\r[#         ] s 1s/10s\x1b[K',
    ]);
  });
});

describe('progressBarFor', () => {
  it('gives a bar for a terminal stream and none for a pipe or under CI', () => {
    const writes: string[] = [];
    const tty = { isTTY: true, write: (t: string) => writes.push(t) };
    const bar = progressBarFor(tty, { env: {}, quiet: false });
    expect(bar).toBeInstanceOf(ProgressBar);
    bar?.update({ label: 's', elapsedMs: 0, durationMs: 1_000 });
    expect(writes).toEqual(['\r[          ] s 0s/1s\x1b[K']);
    expect(progressBarFor({ write: () => true }, { env: {}, quiet: false })).toBeUndefined();
    expect(progressBarFor(tty, { env: { CI: 'true' }, quiet: false })).toBeUndefined();
    expect(progressBarFor(tty, { env: {}, quiet: true })).toBeUndefined();
  });
});
