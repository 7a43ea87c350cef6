// Kubernetes resource.Quantity (apimachinery v0.32 pkg/api/resource): exact parse, format, compare.
//
// Values are exact rationals, `numerator × 10^-scale`, never floats. Behaviour follows upstream,
// quirks included (each one is named where it is implemented):
// - parsing rounds a non-zero magnitude up to a whole nano ("0.1n" → 1n) and caps a BinarySI
//   magnitude at 2^63-1 ("8Ei" → 9223372036854775807); a BinarySI value strictly between -1 and 1
//   becomes DecimalSI;
// - a digit-less number is zero ("k", "-", ".", "Mi" all parse as 0), except with a decimal
//   exponent below -9 ("e-10"), which upstream rejects;
// - a decimal exponent outside int32 wraps as Go's int32() conversion does ("1e4294967296" is 1);
// - a DecimalSI value whose canonical exponent has no SI suffix (above E = 10^18, below n) is
//   printed with no suffix at all, so "1000E" serialises as "1" — a v1.32 bug (fixed upstream
//   later) that is kept for fidelity;
// - canonicalizeQuantityString keeps the caller's text when upstream's parse fast path would
//   (e.g. "+1" and "01" stay as written): see keepsOriginalText.

import { assert } from '../../util/assert.js';

export type QuantityFormat = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/**
 * An exact quantity: the value is `numerator × 10^-scale`. Values built by this module are
 * normalised (no trailing zero digit in `numerator`; zero is `0n` at scale 0), so two equal
 * values with the same format are deep-equal. `scale` may be negative (1e3 is 1n at scale -3).
 */
export interface Quantity {
  readonly numerator: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
}

const int64Max = (1n << 63n) - 1n;
const int64Min = -(1n << 63n);
const nanoScale = 9;
const binarySuffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const decimalSuffixExponents: Readonly<Record<string, number>> = Object.freeze({
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
});

interface SuffixMeaning {
  readonly base: 2 | 10;
  /** Power of the base (2^10 for Ki, 10^-3 for m). */
  readonly exponent: number;
  readonly format: QuantityFormat;
}

interface ScannedQuantity {
  readonly negative: boolean;
  /** Integer digits with leading zeros removed (may be empty). */
  readonly integerDigits: string;
  readonly fractionDigits: string;
  /** Whether the number part had any digit at all (zeros included). */
  readonly hasDigits: boolean;
  readonly suffix: string;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function skipDigits(text: string, from: number): number {
  let pos = from;
  while (isDigit(text[pos])) pos++;
  return pos;
}

function skipSuffix(text: string, from: number): number {
  let pos = from;
  while (pos < text.length && 'eEinumkKMGTP'.includes(text[pos] ?? '')) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  return skipDigits(text, pos);
}

/** Splits `[sign] digits [. digits] suffix`, as upstream's permissive scanner does. */
function scanQuantity(text: string): ScannedQuantity | undefined {
  const negative = text[0] === '-';
  let pos = negative || text[0] === '+' ? 1 : 0;
  const integerEnd = skipDigits(text, pos);
  const integerPart = text.slice(pos, integerEnd);
  pos = integerEnd;
  let fractionDigits = '';
  if (text[pos] === '.') {
    const fractionEnd = skipDigits(text, pos + 1);
    fractionDigits = text.slice(pos + 1, fractionEnd);
    pos = fractionEnd;
  }
  const suffixStart = pos;
  if (skipSuffix(text, suffixStart) !== text.length) return undefined;
  return {
    negative,
    integerDigits: integerPart.replace(/^0+/, ''),
    fractionDigits,
    hasDigits: integerPart.length + fractionDigits.length > 0,
    suffix: text.slice(suffixStart),
  };
}

function exponentSuffix(suffix: string): SuffixMeaning | undefined {
  if (suffix.length < 2 || (suffix[0] !== 'e' && suffix[0] !== 'E')) return undefined;
  const digits = suffix.slice(1);
  if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
  const parsed = BigInt(digits);
  if (parsed > int64Max || parsed < int64Min) return undefined;
  // Upstream parses an int64 and converts it with int32(), which wraps.
  return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
}

function interpretSuffix(suffix: string): SuffixMeaning | undefined {
  const decimalExponent = decimalSuffixExponents[suffix];
  if (decimalExponent !== undefined && Object.hasOwn(decimalSuffixExponents, suffix)) {
    return { base: 10, exponent: decimalExponent, format: 'DecimalSI' };
  }
  const binaryIndex = binarySuffixes.indexOf(suffix as (typeof binarySuffixes)[number]);
  if (binaryIndex > 0) return { base: 2, exponent: binaryIndex * 10, format: 'BinarySI' };
  return exponentSuffix(suffix);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function digitCount(value: bigint): number {
  return abs(value).toString().length;
}

/** Divides |numerator| by 10^places rounding away from zero, keeping the sign. */
function shrinkAwayFromZero(numerator: bigint, places: number): bigint {
  if (numerator === 0n || places <= 0) return numerator;
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = abs(numerator);
  // A magnitude with no more digits than places is below 10^places: the result is ±1.
  if (magnitude.toString().length <= places) return sign;
  const divisor = 10n ** BigInt(places);
  const quotient = magnitude / divisor;
  return sign * (quotient * divisor === magnitude ? quotient : quotient + 1n);
}

/** Builds a normalised quantity: trailing zero digits move from the numerator into the scale. */
function makeQuantity(numerator: bigint, scale: number, format: QuantityFormat): Quantity {
  if (numerator === 0n) return { numerator: 0n, scale: 0, format };
  const text = abs(numerator).toString();
  const zeros = text.length - text.replace(/0+$/, '').length;
  if (zeros === 0) return { numerator, scale, format };
  return { numerator: numerator / 10n ** BigInt(zeros), scale: scale - zeros, format };
}

/** Applies upstream's post-parse rules: nano round-up, BinarySI cap and sub-unit format change. */
function settleParsed(numerator: bigint, scale: number, format: QuantityFormat): Quantity {
  let value = numerator;
  let valueScale = scale;
  if (valueScale > nanoScale) {
    value = shrinkAwayFromZero(value, valueScale - nanoScale);
    valueScale = nanoScale;
  }
  if (format !== 'BinarySI') return makeQuantity(value, valueScale, format);
  assert(valueScale >= 0, 'a parsed BinarySI quantity has a non-negative scale');
  const unit = 10n ** BigInt(valueScale);
  if (abs(value) > int64Max * unit) {
    return makeQuantity(value < 0n ? -int64Max : int64Max, 0, format);
  }
  const belowOne = value !== 0n && abs(value) < unit;
  return makeQuantity(value, valueScale, belowOne ? 'DecimalSI' : format);
}

function quantityFromScan(scan: ScannedQuantity, suffix: SuffixMeaning): Quantity | undefined {
  // Upstream's exact path parses the digit-less text "" or "." and fails only when it is taken,
  // that is when the scale is finer than nano.
  if (!scan.hasDigits && suffix.base === 10 && suffix.exponent < -nanoScale) return undefined;
  const digits = BigInt(scan.integerDigits + scan.fractionDigits || '0');
  const signed = scan.negative ? -digits : digits;
  const scale = scan.fractionDigits.length;
  if (suffix.base === 2) {
    return settleParsed(signed * (1n << BigInt(suffix.exponent)), scale, suffix.format);
  }
  return settleParsed(signed, scale - suffix.exponent, suffix.format);
}

/**
 * Parses a quantity exactly as resource.ParseQuantity does; `undefined` when upstream would
 * return an error. No whitespace is accepted (upstream's JSON decoding trims it first).
 */
export function parseQuantity(text: string): Quantity | undefined {
  if (text.length === 0) return undefined;
  const scan = scanQuantity(text);
  if (scan === undefined) return undefined;
  const suffix = interpretSuffix(scan.suffix);
  if (suffix === undefined) return undefined;
  return quantityFromScan(scan, suffix);
}

function mod3(value: number): number {
  return ((value % 3) + 3) % 3;
}

function decimalSiSuffix(exponent: number): string {
  // v1.32 emits no suffix when none exists for the exponent (see the file comment).
  const entry = Object.entries(decimalSuffixExponents).find(([, value]) => value === exponent);
  return entry?.[0] ?? '';
}

function formatDecimal(q: Quantity, format: 'DecimalSI' | 'DecimalExponent'): string {
  let mantissa = q.numerator;
  let exponent = -q.scale;
  while (mod3(exponent) !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  if (format === 'DecimalSI') return `${mantissa}${decimalSiSuffix(exponent)}`;
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
}

function formatBinary(q: Quantity): string {
  let value = q.numerator * 10n ** BigInt(-q.scale);
  let power = 0;
  while (value % 1024n === 0n) {
    value /= 1024n;
    power += 1;
  }
  return `${value}${binarySuffixes[power] ?? ''}`;
}

/** BinarySI prints base-1024 only for whole numbers of magnitude ≥ 1024 (CanonicalizeBytes). */
function printsAsBinary(q: Quantity): boolean {
  if (q.scale > 0) return false;
  assert(
    digitCount(q.numerator) - q.scale <= 19,
    'a BinarySI quantity lies within the int64 range',
  );
  return abs(q.numerator * 10n ** BigInt(-q.scale)) >= 1024n;
}

/**
 * The canonical text of a quantity (resource.Quantity.String on a value with no remembered
 * text): the largest suffix of its format family that leaves an integer mantissa, e.g. 1.5 →
 * "1500m", 1.5Gi → "1536Mi", 1000 → "1k", 1e3 (DecimalExponent) → "1e3", zero → "0".
 */
export function formatQuantity(q: Quantity): string {
  const normal = makeQuantity(q.numerator, q.scale, q.format);
  if (normal.numerator === 0n) return '0';
  if (normal.format === 'BinarySI' && printsAsBinary(normal)) return formatBinary(normal);
  return formatDecimal(
    normal,
    normal.format === 'DecimalExponent' ? 'DecimalExponent' : 'DecimalSI',
  );
}

function decimalKeepsText(scan: ScannedQuantity, exponent: number): boolean {
  const integerDigits = scan.integerDigits || '0';
  const shifted = integerDigits + scan.fractionDigits;
  const scale = exponent - scan.fractionDigits.length;
  if (shifted.length > 18 || scale < -nanoScale) return false;
  return mod3(scale) === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
}

function binaryKeepsText(scan: ScannedQuantity, exponent: number): boolean {
  if (scan.fractionDigits.length > 0) return false;
  const integerDigits = scan.integerDigits || '0';
  if (15 - integerDigits.length - (exponent * 3) / 10 - 1 < 0) return false;
  const value = BigInt(integerDigits);
  if (value * (1n << BigInt(exponent)) > int64Max) return false;
  return (value & 7n) !== 0n;
}

/**
 * Upstream's ParseQuantity remembers the caller's text, and String() returns it verbatim, when
 * its int64 fast path applies and the text "looks" canonical — even with a sign or leading zeros
 * ("+1", "01", "1.Ki" are served back as written). This reproduces that test.
 */
function keepsOriginalText(scan: ScannedQuantity, suffix: SuffixMeaning): boolean {
  if (suffix.base === 2) return binaryKeepsText(scan, suffix.exponent);
  return decimalKeepsText(scan, suffix.exponent);
}

/**
 * The text upstream stores and returns for a quantity written as `text` (what ParseQuantity
 * followed by MarshalJSON yields), or `undefined` when the text does not parse.
 */
export function canonicalizeQuantityString(text: string): string | undefined {
  if (text === '0') return text;
  if (text.length === 0) return undefined;
  const scan = scanQuantity(text);
  if (scan === undefined) return undefined;
  const suffix = interpretSuffix(scan.suffix);
  if (suffix === undefined) return undefined;
  const q = quantityFromScan(scan, suffix);
  if (q === undefined) return undefined;
  return keepsOriginalText(scan, suffix) ? text : formatQuantity(q);
}

function sign(value: bigint): -1 | 0 | 1 {
  if (value === 0n) return 0;
  return value < 0n ? -1 : 1;
}

function compareMagnitudes(a: Quantity, b: Quantity): -1 | 0 | 1 {
  // Digits before the decimal point (may be ≤ 0); comparing these first avoids building
  // huge powers of ten for far-apart exponents.
  const orderA = digitCount(a.numerator) - a.scale;
  const orderB = digitCount(b.numerator) - b.scale;
  if (orderA !== orderB) return orderA < orderB ? -1 : 1;
  const scale = Math.max(a.scale, b.scale);
  const left = abs(a.numerator) * 10n ** BigInt(scale - a.scale);
  const right = abs(b.numerator) * 10n ** BigInt(scale - b.scale);
  return sign(left - right);
}

/** Orders two quantities by numeric value (format is ignored): -1, 0 or 1, like Quantity.Cmp. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const signA = sign(a.numerator);
  const signB = sign(b.numerator);
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const normalA = makeQuantity(a.numerator, a.scale, a.format);
  const normalB = makeQuantity(b.numerator, b.scale, b.format);
  const order = compareMagnitudes(normalA, normalB);
  if (signA > 0) return order;
  return order === 0 ? 0 : order < 0 ? 1 : -1;
}

function scaledValue(q: Quantity, targetScale: number): bigint {
  if (q.scale <= targetScale) return q.numerator * 10n ** BigInt(targetScale - q.scale);
  return shrinkAwayFromZero(q.numerator, q.scale - targetScale);
}

/**
 * The value rounded to an integer away from zero (Quantity.Value; a ceiling for non-negative
 * values). Exact: upstream's int64 silently overflows where this grows. Cost grows with the
 * decimal exponent, so compare untrusted input against a bound first.
 */
export function quantityValue(q: Quantity): bigint {
  return scaledValue(q, 0);
}

/** The value in thousandths rounded away from zero (Quantity.MilliValue); see quantityValue. */
export function quantityMilliValue(q: Quantity): bigint {
  return scaledValue(q, 3);
}

function assertInt64(value: bigint, what: string): void {
  assert(value >= int64Min && value <= int64Max, `${what} must fit in an int64`);
}

/** resource.NewQuantity: an integer value (int64 range, as upstream takes) in a format. */
export function quantityFromInt(value: bigint, format: QuantityFormat): Quantity {
  assertInt64(value, 'quantityFromInt value');
  return makeQuantity(value, 0, format);
}

/** resource.NewMilliQuantity: `millis / 1000` (int64 range) in a format. */
export function quantityFromMillis(millis: bigint, format: QuantityFormat): Quantity {
  assertInt64(millis, 'quantityFromMillis value');
  return makeQuantity(millis, 3, format);
}
