// Tests of quantity parsing, canonical formatting, comparison and integer views against upstream.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalizeQuantityString,
  compareQuantities,
  formatQuantity,
  parseQuantity,
  quantityFromInt,
  quantityFromMillis,
  quantityMilliValue,
  quantityValue,
} from './quantity.js';
import type { Quantity, QuantityFormat } from './quantity.js';

function parsed(text: string): Quantity {
  const q = parseQuantity(text);
  if (q === undefined) throw new Error(`expected ${JSON.stringify(text)} to parse`);
  return q;
}

/** Value × 10^9 as an integer, an oracle independent of compareQuantities (scale ≤ 9). */
function nanos(q: Quantity): bigint {
  expect(q.scale).toBeLessThanOrEqual(9);
  return q.numerator * 10n ** BigInt(9 - q.scale);
}

describe('parseQuantity', () => {
  it.each<[string, bigint, number, QuantityFormat]>([
    ['0', 0n, 0, 'DecimalSI'],
    ['0Ki', 0n, 0, 'BinarySI'],
    ['0n', 0n, 0, 'DecimalSI'],
    ['1', 1n, 0, 'DecimalSI'],
    ['1Ki', 1024n, 0, 'BinarySI'],
    ['7Mi', 7340032n, 0, 'BinarySI'],
    ['3Ei', 3458764513820540928n, 0, 'BinarySI'],
    ['5n', 5n, 9, 'DecimalSI'],
    ['4u', 4n, 6, 'DecimalSI'],
    ['50k', 5n, -4, 'DecimalSI'],
    ['1E', 1n, -18, 'DecimalSI'],
    ['1E-3', 1n, 3, 'DecimalExponent'],
    ['1.3E+6', 13n, -5, 'DecimalExponent'],
    ['100.035k', 100035n, 0, 'DecimalSI'],
    ['0.0005k', 5n, 1, 'DecimalSI'],
    ['0.5e-2', 5n, 3, 'DecimalExponent'],
    ['7.123456M', 7123456n, 0, 'DecimalSI'],
    ['3.001n', 4n, 9, 'DecimalSI'],
    ['1.1E-9', 2n, 9, 'DecimalExponent'],
    ['0.0000000005', 1n, 9, 'DecimalSI'],
    ['0.00000012354', 124n, 9, 'DecimalSI'],
    ['9Ei', 9223372036854775807n, 0, 'BinarySI'],
    ['9223372036854775807Ki', 9223372036854775807n, 0, 'BinarySI'],
    ['100.035Ki', 10243584n, 2, 'BinarySI'],
    ['0.05Gi', 536870912n, 1, 'BinarySI'],
    ['0.000000000001Ki', 2n, 9, 'DecimalSI'],
    ['.001', 1n, 3, 'DecimalSI'],
    ['1.', 1n, 0, 'DecimalSI'],
    ['1.G', 1n, -9, 'DecimalSI'],
    ['-1.5', -15n, 1, 'DecimalSI'],
    ['+2', 2n, 0, 'DecimalSI'],
    ['-0.0000000001', -1n, 9, 'DecimalSI'],
    ['-9Ei', -9223372036854775807n, 0, 'BinarySI'],
  ])('parses %j as %d × 10^-%d %s', (text, numerator, scale, format) => {
    expect(parseQuantity(text)).toEqual({ numerator, scale, format });
  });

  it.each(['k', 'Mi', '.', '-', '+', '-.', 'e3', 'e-9'])(
    'parses the digit-less %j as zero, as upstream does',
    (text) => {
      expect(parseQuantity(text)?.numerator).toBe(0n);
    },
  );

  it('wraps a decimal exponent outside int32 like Go int32() does', () => {
    expect(parseQuantity('1e4294967296')).toEqual({
      numerator: 1n,
      scale: 0,
      format: 'DecimalExponent',
    });
    expect(parseQuantity('1e2147483648')).toEqual({
      numerator: 1n,
      scale: 9,
      format: 'DecimalExponent',
    });
  });

  it('keeps huge exponents cheap and exact', () => {
    expect(parseQuantity('1e2000000000')).toEqual({
      numerator: 1n,
      scale: -2000000000,
      format: 'DecimalExponent',
    });
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    '1e',
    '1K',
    '1ki',
    '1KI',
    '1Gb',
    '1e1.5',
    '1e9223372036854775808',
    '1Mi5',
    '1..',
    '+-1',
    '1e--3',
    'e-10',
    '-.e-10',
    '1,5',
    '１',
  ])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
    expect(canonicalizeQuantityString(text)).toBeUndefined();
  });
});

describe('formatQuantity', () => {
  it.each([
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['100Mi', '100Mi'],
    ['1e3', '1e3'],
    ['1000', '1k'],
    ['0.1', '100m'],
    ['2000000', '2M'],
    ['1.1', '1100m'],
    ['123456789n', '123456789n'],
    ['1n', '1n'],
    ['0.0000000001', '1n'],
    ['0', '0'],
    ['-1.5Gi', '-1536Mi'],
    ['10Ki', '10Ki'],
    ['1536Ki', '1536Ki'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['-0', '0'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['-.000000000001Ki', '-2n'],
    ['1.5Ki', '1536'],
    ['1023Ki', '1023Ki'],
    ['3.001n', '4n'],
    ['1.1E-9', '2e-9'],
    ['0.00000012345', '124n'],
    ['9Ei', '9223372036854775807'],
    ['12E', '12E'],
    ['100.035Ki', '102435840m'],
    ['0.5Mi', '512Ki'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['1.01E', '1010P'],
    ['1e21', '1e21'],
    ['1.G', '1G'],
    ['1.', '1'],
    ['k', '0'],
    ['1e4294967296', '1'],
    ['1e2147483648', '1e-9'],
    ['1e2000000000', '100e1999999998'],
  ])('formats %j canonically as %j', (text, expected) => {
    expect(formatQuantity(parsed(text))).toBe(expected);
  });

  it('prints a DecimalSI value past the E suffix with no suffix, as v1.32 does', () => {
    expect(formatQuantity(parsed('1000E'))).toBe('1');
    expect(formatQuantity(parsed('10000E'))).toBe('10');
  });

  it.each<[bigint, QuantityFormat, string]>([
    [1n, 'DecimalSI', '1m'],
    [1000n, 'DecimalSI', '1'],
    [1234000n, 'DecimalSI', '1234'],
    [1024n, 'BinarySI', '1024m'],
    [1048576n, 'BinarySI', '1048576m'],
    [1000000n, 'DecimalExponent', '1e3'],
    [-1500n, 'DecimalSI', '-1500m'],
    [1536500n, 'BinarySI', '1536500m'],
    [0n, 'BinarySI', '0'],
  ])('formats %d millis in %s as %j', (millis, format, expected) => {
    expect(formatQuantity(quantityFromMillis(millis, format))).toBe(expected);
  });

  it.each<[bigint, QuantityFormat, string]>([
    [1n, 'DecimalSI', '1'],
    [1000n, 'DecimalSI', '1k'],
    [1234000n, 'DecimalSI', '1234k'],
    [1024n, 'BinarySI', '1Ki'],
    [1048576n, 'BinarySI', '1Mi'],
    [1025n, 'BinarySI', '1025'],
    [5n, 'BinarySI', '5'],
    [1000000n, 'DecimalExponent', '1e6'],
    [-1073741824n, 'BinarySI', '-1Gi'],
  ])('formats the integer %d in %s as %j', (value, format, expected) => {
    expect(formatQuantity(quantityFromInt(value, format))).toBe(expected);
  });

  it('formats hand-built, non-normalised quantities like normalised ones', () => {
    expect(formatQuantity({ numerator: 1500n, scale: 0, format: 'DecimalSI' })).toBe('1500');
    expect(formatQuantity({ numerator: 15000n, scale: 1, format: 'DecimalSI' })).toBe('1500');
    expect(formatQuantity({ numerator: 20480n, scale: 1, format: 'BinarySI' })).toBe('2Ki');
  });
});

describe('canonicalizeQuantityString', () => {
  it.each([
    ['+1', '+1'],
    ['01', '01'],
    ['0100m', '0100m'],
    ['1.Ki', '1.Ki'],
    ['+100Mi', '+100Mi'],
    ['-100Mi', '-100Mi'],
    ['1E3', '1E3'],
    ['1e0', '1e0'],
    ['+1000', '1k'],
    ['0.5', '500m'],
    ['+0.5', '500m'],
    ['1024Ki', '1Mi'],
    ['8Ki', '8Ki'],
    ['1025Ki', '1025Ki'],
    ['100000000Ki', '100000000Ki'],
    ['1000000000000Ki', '976562500Mi'],
    ['0', '0'],
    ['-0', '0'],
    ['1.5', '1500m'],
    ['1234567890123456789', '1234567890123456789'],
    ['1234567890123456780', '1234567890123456780'],
  ])('serialises %j as %j (upstream keeps canonical-looking text verbatim)', (text, expected) => {
    expect(canonicalizeQuantityString(text)).toBe(expected);
  });
});

describe('integer views and comparison', () => {
  it.each([
    ['1', 1000n, 1n],
    ['1.5m', 2n, 1n],
    ['-1.5m', -2n, -1n],
    ['1n', 1n, 1n],
    ['0', 0n, 0n],
    ['1Ki', 1024000n, 1024n],
    ['1e3', 1000000n, 1000n],
    ['1.5', 1500n, 2n],
    ['-1.5', -1500n, -2n],
    ['0.0001', 1n, 1n],
    ['1e30', 10n ** 33n, 10n ** 30n],
  ])('%j has MilliValue %d and Value %d (rounded away from zero)', (text, milli, value) => {
    expect(quantityMilliValue(parsed(text))).toBe(milli);
    expect(quantityValue(parsed(text))).toBe(value);
  });

  it.each([
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
    ['-1', '0', -1],
    ['0', '0Ki', 0],
    ['1e1000000000', '1', 1],
    ['-1e1000000000', '-1', -1],
    ['1n', '1e-9', 0],
    ['999m', '1', -1],
    ['-999m', '-1', 1],
    ['9Ei', '8Ei', 0],
  ])('compares %j with %j as %d', (a, b, expected) => {
    expect(compareQuantities(parsed(a), parsed(b))).toBe(expected);
    expect(compareQuantities(parsed(b), parsed(a))).toBe(-expected || 0);
  });

  it('rejects constructor input outside int64 as a programmer error', () => {
    expect(() => quantityFromInt(1n << 63n, 'DecimalSI')).toThrow(/int64/);
    expect(() => quantityFromMillis(-(1n << 63n) - 1n, 'DecimalSI')).toThrow(/int64/);
  });
});

const quantityText = fc.stringMatching(
  /^[+-]?[0-9]{0,14}(\.[0-9]{0,12})?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,2})?$/,
);

/** A parsed quantity outside v1.32's DecimalSI-past-E region, where formatting loses value. */
function inFaithfulRange(q: Quantity): boolean {
  if (q.format !== 'DecimalSI') return true;
  return q.numerator === 0n || q.numerator.toString().replace('-', '').length - q.scale <= 21;
}

describe('quantity properties', () => {
  it('canonicalising twice gives the same text as canonicalising once', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const once = canonicalizeQuantityString(text);
        if (once === undefined) return;
        expect(canonicalizeQuantityString(once)).toBe(once);
        expect(formatQuantity(parsed(once))).toBe(formatQuantity(parsed(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('parsing the formatted text gives back the same value', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        if (q === undefined || !inFaithfulRange(q)) return;
        const again = parsed(formatQuantity(q));
        expect(compareQuantities(again, q)).toBe(0);
        expect(nanos(again)).toBe(nanos(q));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every text the grammar generates except the few upstream refuses', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const refused =
          text === '' || /^[+-]?\.?[eE]-[0-9]*$/.test(text) || /^[+-]?\.?$/.test(text);
        if (!refused) expect(parseQuantity(text)).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  const smallQuantity = fc
    .tuple(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      fc.integer({ min: -6, max: 9 }),
      fc.constantFrom<QuantityFormat>('DecimalSI', 'DecimalExponent'),
    )
    .map(([numerator, scale, format]) => ({ numerator, scale, format }));

  it('orders quantities by numeric value, antisymmetrically', () => {
    fc.assert(
      fc.property(smallQuantity, smallQuantity, (a, b) => {
        const na = a.numerator * 10n ** BigInt(9 - a.scale);
        const nb = b.numerator * 10n ** BigInt(9 - b.scale);
        const expected = na === nb ? 0 : na < nb ? -1 : 1;
        expect(compareQuantities(a, b)).toBe(expected);
        expect(compareQuantities(b, a)).toBe(-expected || 0);
      }),
      { numRuns: 500 },
    );
  });

  it('is transitive on sorted lists', () => {
    fc.assert(
      fc.property(fc.array(smallQuantity, { maxLength: 12 }), (items) => {
        const sorted = [...items].sort(compareQuantities);
        for (let i = 1; i < sorted.length; i++) {
          const previous = sorted[i - 1];
          const current = sorted[i];
          if (previous === undefined || current === undefined) continue;
          expect(compareQuantities(previous, current)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips millis through the formatted text', () => {
    const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    fc.assert(
      fc.property(
        int64,
        fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent'),
        (millis, format) => {
          const q = quantityFromMillis(millis, format);
          expect(quantityMilliValue(q)).toBe(millis);
          expect(quantityMilliValue(parsed(formatQuantity(q)))).toBe(millis);
        },
      ),
      { numRuns: 500 },
    );
  });
});
