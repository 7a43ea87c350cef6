// Tests of RFC 3339 formatting and parsing for metav1.Time and metav1.MicroTime, without Date.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  daysFromCivil,
  formatMicroTime,
  formatTime,
  parseMicroTime,
  parseTime,
  timeMsMax,
  timeMsMin,
} from './time.js';

const jan2026Ms = 1_767_225_600_000;

/** Days since 1970 by counting whole years and months: slow, obviously right. */
function naiveDays(year: number, month: number, day: number): number {
  const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  let days = 0;
  for (let y = 1970; y < year; y++) days += leap(y) ? 366 : 365;
  for (let y = year; y < 1970; y++) days -= leap(y) ? 366 : 365;
  const lengths = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  for (let m = 1; m < month; m++) days += lengths[m - 1] ?? 0;
  return days + day - 1;
}

describe('formatTime', () => {
  it.each([
    [0, '1970-01-01T00:00:00Z'],
    [jan2026Ms, '2026-01-01T00:00:00Z'],
    [jan2026Ms + 999, '2026-01-01T00:00:00Z'],
    [jan2026Ms + 86_399_000, '2026-01-01T23:59:59Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [-1000, '1969-12-31T23:59:59Z'],
    [-1001, '1969-12-31T23:59:58Z'],
    [951_782_400_000, '2000-02-29T00:00:00Z'],
    [4_107_542_400_000, '2100-03-01T00:00:00Z'],
    [timeMsMin, '0000-01-01T00:00:00Z'],
    [timeMsMax, '9999-12-31T23:59:59Z'],
  ])('formats %d ms as %j, dropping sub-seconds toward the earlier second', (ms, text) => {
    expect(formatTime(ms)).toBe(text);
  });

  it('rejects non-integers and years outside 0000-9999 as programmer errors', () => {
    expect(() => formatTime(0.5)).toThrow(/integer/);
    expect(() => formatTime(Number.NaN)).toThrow(/integer/);
    expect(() => formatTime(timeMsMax + 1)).toThrow(/outside/);
    expect(() => formatTime(timeMsMin - 1)).toThrow(/outside/);
  });
});

describe('formatMicroTime', () => {
  it.each([
    [jan2026Ms + 123, '2026-01-01T00:00:00.123000Z'],
    [jan2026Ms, '2026-01-01T00:00:00.000000Z'],
    [-1, '1969-12-31T23:59:59.999000Z'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatMicroTime(ms)).toBe(text);
  });
});

describe('parseTime', () => {
  it.each([
    ['2026-01-01T00:00:00Z', jan2026Ms],
    ['2026-01-01T00:00:00.5Z', jan2026Ms + 500],
    ['2026-01-01T00:00:00.123456789Z', jan2026Ms + 123],
    ['2026-01-01T00:00:00.1234567891234Z', jan2026Ms + 123],
    ['2026-01-01T00:00:00,25Z', jan2026Ms + 250],
    ['2026-01-01T01:00:00+01:00', jan2026Ms],
    ['2025-12-31T18:30:00-05:30', jan2026Ms],
    ['2026-01-01T00:00:00+00:00', jan2026Ms],
    ['2026-01-01T00:00:00-00:00', jan2026Ms],
    ['2026-01-02T00:00:00+24:00', jan2026Ms],
    ['2026-01-01T01:00:00+00:60', jan2026Ms],
    ['2026-01-01T1:00:00+01:00', jan2026Ms],
    ['2024-02-29T00:00:00Z', 1_709_164_800_000],
    ['1969-12-31T23:59:59.999Z', -1],
    ['0000-01-01T00:00:00Z', timeMsMin],
  ])('parses %j as %d ms', (text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  it.each([
    '',
    '2026-01-01',
    '2026-01-01T00:00:00',
    '2026-01-01 00:00:00Z',
    '2026-01-01t00:00:00Z',
    '2026-01-01T00:00:00z',
    ' 2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z ',
    '2026-1-01T00:00:00Z',
    '2026-01-1T00:00:00Z',
    '26-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-32T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-01T00:00:60Z',
    '2026-01-01T00:0:00Z',
    '2026-01-01T000:00:00Z',
    '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00.5',
    '2026-01-01T00:00:00+0100',
    '2026-01-01T00:00:00+1:00',
    '2026-01-01T00:00:00+25:00',
    '2026-01-01T00:00:00+01:61',
    '2026-01-01T00:00:00ZZ',
    '２026-01-01T00:00:00Z',
  ])('rejects %j as Go does', (text) => {
    expect(parseTime(text)).toBeUndefined();
  });
});

describe('parseMicroTime', () => {
  it('requires exactly six fractional digits', () => {
    expect(parseMicroTime('2026-01-01T00:00:00.123456Z')).toBe(jan2026Ms + 123);
    expect(parseMicroTime('2026-01-01T00:00:00,123456Z')).toBe(jan2026Ms + 123);
    expect(parseMicroTime('2026-01-01T02:00:00.000000+02:00')).toBe(jan2026Ms);
    expect(parseMicroTime('2026-01-01T00:00:00Z')).toBeUndefined();
    expect(parseMicroTime('2026-01-01T00:00:00.123Z')).toBeUndefined();
    expect(parseMicroTime('2026-01-01T00:00:00.1234567Z')).toBeUndefined();
  });
});

describe('time properties', () => {
  const allMs = fc.integer({ min: timeMsMin, max: timeMsMax });

  it('parses formatted times back to the same second (years 1970-9999 and earlier)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: timeMsMax }), (ms) => {
        expect(parseTime(formatTime(ms))).toBe(ms - (ms % 1000));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(allMs, (ms) => {
        expect(parseTime(formatTime(ms))).toBe(Math.floor(ms / 1000) * 1000);
        expect(parseMicroTime(formatMicroTime(ms))).toBe(ms);
      }),
      { numRuns: 500 },
    );
  });

  it('converts civil dates like a naive day count, and back', () => {
    const date = fc.record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(date, ({ year, month, day }) => {
        const days = daysFromCivil({ year, month, day });
        expect(days).toBe(naiveDays(year, month, day));
        expect(civilFromDays(days)).toEqual({ year, month, day });
      }),
      { numRuns: 300 },
    );
  });
});
