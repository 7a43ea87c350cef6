// Tests of field selectors: parsing, escaping, errors, matching and printing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeFieldValue,
  fieldSelectorExactValue,
  fieldSelectorLabels,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
} from './fields.js';
import type { FieldRequirement, FieldSelector } from './fields.js';

function parsed(text: string): FieldSelector {
  const result = parseFieldSelector(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.message}`);
  return result.selector;
}

function getter(fields: Record<string, string>): (field: string) => string | undefined {
  return (field) => (Object.hasOwn(fields, field) ? fields[field] : undefined);
}

describe('parseFieldSelector', () => {
  it.each<[string, FieldRequirement[]]>([
    ['', []],
    ['a=b', [{ field: 'a', op: '=', value: 'b' }]],
    ['a==b', [{ field: 'a', op: '=', value: 'b' }]],
    ['a!=b', [{ field: 'a', op: '!=', value: 'b' }]],
    [
      'spec.nodeName=n1,metadata.name!=x',
      [
        { field: 'metadata.name', op: '!=', value: 'x' },
        { field: 'spec.nodeName', op: '=', value: 'n1' },
      ],
    ],
    ['a=', [{ field: 'a', op: '=', value: '' }]],
    ['a=b\\,c', [{ field: 'a', op: '=', value: 'b,c' }]],
    ['a=b\\=c', [{ field: 'a', op: '=', value: 'b=c' }]],
    ['a=b\\\\c', [{ field: 'a', op: '=', value: 'b\\c' }]],
    ['a=!b', [{ field: 'a', op: '=', value: '!b' }]],
    ['a!b=c', [{ field: 'a!b', op: '=', value: 'c' }]],
    ['!=x', [{ field: '', op: '!=', value: 'x' }]],
    ['=', []],
    ['!=', []],
    ['=,a=b', [{ field: 'a', op: '=', value: 'b' }]],
    [',a=b,,', [{ field: 'a', op: '=', value: 'b' }]],
    [' a = b ', [{ field: ' a ', op: '=', value: ' b ' }]],
  ])('parses %j', (text, requirements) => {
    expect(parsed(text).requirements).toEqual(requirements);
  });

  it.each([
    ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b\\!', 'invalid field selector: invalid escape sequence: \\!'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a===b', 'invalid field selector: unescaped character in value: 61'],
    ['a\\=b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('rejects %j with %j', (text, message) => {
    expect(parseFieldSelector(text)).toEqual({ ok: false, message });
  });
});

describe('field selector helpers', () => {
  it('matches absent fields as the empty string', () => {
    const selector = parsed('spec.nodeName=,status.phase!=Failed');
    expect(matchesFields(selector, getter({}))).toBe(true);
    expect(matchesFields(selector, getter({ 'spec.nodeName': 'n1' }))).toBe(false);
    expect(matchesFields(selector, getter({ 'status.phase': 'Failed' }))).toBe(false);
    expect(matchesFields(parsed(''), getter({}))).toBe(true);
  });

  it('lists the field labels once each, sorted', () => {
    expect(fieldSelectorLabels(parsed('b=1,a=2,b!=3'))).toEqual(['a', 'b']);
  });

  it('finds the value an equality term requires', () => {
    const selector = parsed('spec.nodeName!=x,spec.nodeName=n1');
    expect(fieldSelectorExactValue(selector, 'spec.nodeName')).toBe('n1');
    expect(fieldSelectorExactValue(parsed('a!=b'), 'a')).toBeUndefined();
  });

  it('prints sorted terms with escaped values', () => {
    expect(fieldSelectorToString(parsed('b=1,a==x\\,y'))).toBe('a=x\\,y,b=1');
    expect(escapeFieldValue('a\\b,c=d!e')).toBe('a\\\\b\\,c\\=d!e');
  });
});

const fieldName = fc.stringMatching(/^[a-z][a-z.]{0,8}$/);
const requirement = fc.record({
  field: fieldName,
  op: fc.constantFrom('=' as const, '!=' as const),
  value: fc.string({ maxLength: 8 }),
});

describe('field selector properties', () => {
  it('parses printed terms back to the same requirements and matches like them', () => {
    const fieldValues = fc.dictionary(fieldName, fc.string({ maxLength: 8 }), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), fieldValues, (terms, fields) => {
        const text = terms.map((t) => `${t.field}${t.op}${escapeFieldValue(t.value)}`).join(',');
        const selector = parsed(text);
        expect(parsed(fieldSelectorToString(selector))).toEqual(selector);
        const expected = terms.every((t) => {
          const actual = getter(fields)(t.field) ?? '';
          return t.op === '=' ? actual === t.value : actual !== t.value;
        });
        expect(matchesFields(selector, getter(fields))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
