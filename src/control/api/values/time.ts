// RFC 3339 timestamps as metav1.Time / metav1.MicroTime print and parse them, without Date.
//
// Time is integer milliseconds since the Unix epoch. Formatting covers years 0000–9999 (what
// Go's layout prints with four digits); anything else is a programmer error. Civil dates use
// the proleptic Gregorian calendar (days-from-civil arithmetic), with no leap seconds, as Go.

import { assert } from '../../util/assert.js';

const msPerSecond = 1000;
const msPerDay = 86_400_000;
/** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z. */
export const timeMsMin = -62_167_219_200_000;
export const timeMsMax = 253_402_300_799_999;

interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years). */
export function daysFromCivil(date: CivilDate): number {
  const year = date.month <= 2 ? date.year - 1 : date.year;
  const era = floorDiv(year, 400);
  const yearOfEra = year - era * 400;
  const monthFromMarch = (date.month + 9) % 12;
  const dayOfYear = floorDiv(153 * monthFromMarch + 2, 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The proleptic Gregorian date of a day count since 1970-01-01 (inverse of daysFromCivil). */
export function civilFromDays(days: number): CivilDate {
  const shifted = days + 719_468;
  const era = floorDiv(shifted, 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = floorDiv(
    dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36_524) - floorDiv(dayOfEra, 146_096),
    365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const monthFromMarch = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * monthFromMarch + 2, 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatSeconds(ms: number): { text: string; msOfSecond: number } {
  assert(Number.isSafeInteger(ms), `time must be integer milliseconds, got ${ms}`);
  assert(ms >= timeMsMin && ms <= timeMsMax, `time ${ms} ms is outside years 0000-9999`);
  const days = floorDiv(ms, msPerDay);
  const msOfDay = ms - days * msPerDay;
  const { year, month, day } = civilFromDays(days);
  const secondOfDay = floorDiv(msOfDay, msPerSecond);
  const hour = floorDiv(secondOfDay, 3600);
  const minute = floorDiv(secondOfDay % 3600, 60);
  const second = secondOfDay % 60;
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  const text = `${date}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  return { text, msOfSecond: msOfDay % msPerSecond };
}

/**
 * metav1.Time's text: RFC 3339 in UTC at second precision, `2026-01-01T00:00:00Z`. Sub-second
 * parts are dropped toward the earlier second (so -1 ms is 1969-12-31T23:59:59Z), as Go does.
 */
export function formatTime(ms: number): string {
  return `${formatSeconds(ms).text}Z`;
}

/** metav1.MicroTime's text: always six fractional digits, UTC, `2026-01-01T00:00:00.123000Z`. */
export function formatMicroTime(ms: number): string {
  const { text, msOfSecond } = formatSeconds(ms);
  return `${text}.${pad(msOfSecond, 3)}000Z`;
}

/** A reader over the text that fails (returns undefined) on the first mismatch. */
interface Cursor {
  readonly text: string;
  pos: number;
}

function readDigits(cursor: Cursor, minimum: number, maximum: number): number | undefined {
  let end = cursor.pos;
  while (end - cursor.pos < maximum && /[0-9]/.test(cursor.text[end] ?? '')) end++;
  if (end - cursor.pos < minimum) return undefined;
  const value = Number(cursor.text.slice(cursor.pos, end));
  cursor.pos = end;
  return value;
}

function expect(cursor: Cursor, literal: string): boolean {
  if (!cursor.text.startsWith(literal, cursor.pos)) return false;
  cursor.pos += literal.length;
  return true;
}

interface ParsedClock {
  readonly date: CivilDate;
  readonly secondOfDay: number;
}

function readDate(cursor: Cursor): CivilDate | undefined {
  const year = readDigits(cursor, 4, 4);
  if (year === undefined || !expect(cursor, '-')) return undefined;
  const month = readDigits(cursor, 2, 2);
  if (month === undefined || month < 1 || month > 12 || !expect(cursor, '-')) return undefined;
  const day = readDigits(cursor, 2, 2);
  if (day === undefined || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** `date T h[h]:mm:ss` — Go's layout hour "15" accepts one or two digits. */
function readDateTime(cursor: Cursor): ParsedClock | undefined {
  const date = readDate(cursor);
  if (date === undefined || !expect(cursor, 'T')) return undefined;
  const hour = readDigits(cursor, 1, 2);
  if (hour === undefined || hour > 23 || !expect(cursor, ':')) return undefined;
  const minute = readDigits(cursor, 2, 2);
  if (minute === undefined || minute > 59 || !expect(cursor, ':')) return undefined;
  const second = readDigits(cursor, 2, 2);
  if (second === undefined || second > 59) return undefined;
  return { date, secondOfDay: hour * 3600 + minute * 60 + second };
}

/** Milliseconds of a fraction's digits, truncated (digits past the millisecond are dropped). */
function fractionMs(digits: string): number {
  return Number(digits.slice(0, 3).padEnd(3, '0'));
}

/** `.ddd…` or `,ddd…` (Go accepts both after the seconds). */
function readFraction(cursor: Cursor, digitCount: 'any' | 6): number | undefined {
  const separator = cursor.text[cursor.pos];
  if (separator !== '.' && separator !== ',') return digitCount === 'any' ? 0 : undefined;
  const next = cursor.text[cursor.pos + 1] ?? '';
  if (!/[0-9]/.test(next)) return digitCount === 'any' ? 0 : undefined;
  cursor.pos += 1;
  const start = cursor.pos;
  const maximum = digitCount === 'any' ? Number.MAX_SAFE_INTEGER : 6;
  while (cursor.pos - start < maximum && /[0-9]/.test(cursor.text[cursor.pos] ?? '')) cursor.pos++;
  const digits = cursor.text.slice(start, cursor.pos);
  if (digitCount === 6 && digits.length !== 6) return undefined;
  return fractionMs(digits);
}

/** `Z` or `±hh:mm`; Go's general parser allows offsets up to 24 hours and 60 minutes. */
function readOffsetMinutes(cursor: Cursor): number | undefined {
  if (expect(cursor, 'Z')) return 0;
  const sign = cursor.text[cursor.pos];
  if (sign !== '+' && sign !== '-') return undefined;
  cursor.pos += 1;
  const hours = readDigits(cursor, 2, 2);
  if (hours === undefined || hours > 24 || !expect(cursor, ':')) return undefined;
  const minutes = readDigits(cursor, 2, 2);
  if (minutes === undefined || minutes > 60) return undefined;
  const offset = hours * 60 + minutes;
  return sign === '-' ? -offset : offset;
}

function parseWith(text: string, digitCount: 'any' | 6): number | undefined {
  const cursor: Cursor = { text, pos: 0 };
  const clock = readDateTime(cursor);
  if (clock === undefined) return undefined;
  const fraction = readFraction(cursor, digitCount);
  if (fraction === undefined) return undefined;
  const offsetMinutes = readOffsetMinutes(cursor);
  if (offsetMinutes === undefined || cursor.pos !== text.length) return undefined;
  const localMs = daysFromCivil(clock.date) * msPerDay + clock.secondOfDay * msPerSecond;
  return localMs + fraction - offsetMinutes * 60_000;
}

/**
 * Parses what metav1.Time accepts (Go's time.Parse with time.RFC3339): a full date and time,
 * an optional fraction of any length, and `Z` or a numeric offset. The result is UTC
 * milliseconds with sub-millisecond digits truncated; `undefined` when Go would fail.
 */
export function parseTime(text: string): number | undefined {
  return parseWith(text, 'any');
}

/**
 * Parses what metav1.MicroTime accepts (layout `2006-01-02T15:04:05.000000Z07:00`): like
 * parseTime, but the fraction is required and has exactly six digits.
 */
export function parseMicroTime(text: string): number | undefined {
  return parseWith(text, 6);
}
