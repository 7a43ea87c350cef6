// Go-style duration strings: Go's grammar, exact millisecond arithmetic, and clear refusals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoDurationMs } from '../../control/kubelet/go-duration.js';
import { parseDurationText } from './duration-text.js';

function ms(text: string): number | string {
  const parsed = parseDurationText(text);
  return parsed.ok ? parsed.ms : parsed.message;
}

describe('parseDurationText', () => {
  it('reads every unit and combinations of them', () => {
    expect(ms('0')).toBe(0);
    expect(ms('0s')).toBe(0);
    expect(ms('500ms')).toBe(500);
    expect(ms('90s')).toBe(90_000);
    expect(ms('1m30s')).toBe(90_000);
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('2h45m30s250ms')).toBe(9_930_250);
    expect(ms('1000000ns')).toBe(1);
    expect(ms('2000us')).toBe(2);
    expect(ms('3000µs')).toBe(3);
  });

  it('reads fractions exactly, as Go does', () => {
    expect(ms('1.5s')).toBe(1_500);
    expect(ms('0.1s')).toBe(100);
    expect(ms('.5m')).toBe(30_000);
    expect(ms('1.s')).toBe(1_000);
    expect(ms('1.0005s')).toBe(
      'invalid duration "1.0005s": must be a whole number of milliseconds',
    );
  });

  it('keeps the sign, so callers can refuse negative values with their own message', () => {
    expect(ms('-30s')).toBe(-30_000);
    expect(ms('+30s')).toBe(30_000);
    expect(ms('-0s')).toBe(0);
  });

  it('refuses text Go refuses, saying why', () => {
    expect(ms('90')).toBe('invalid duration "90": missing unit (such as "90s")');
    expect(ms('5d')).toBe('invalid duration "5d": unknown unit "d" (use h, m, s or ms)');
    expect(ms('')).toBe(
      'invalid duration "": use a number and a unit such as "90s", "1m30s" or "500ms"',
    );
    expect(ms('s')).toBe(
      'invalid duration "s": use a number and a unit such as "90s", "1m30s" or "500ms"',
    );
    expect(ms('1s-2s')).toBe('invalid duration "1s-2s": unknown unit "s-" (use h, m, s or ms)');
    expect(ms('999999999999h')).toBe('invalid duration "999999999999h": too long');
  });

  it('reads back whatever Go prints for a whole number of milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (value) => {
        expect(ms(formatGoDurationMs(value))).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
