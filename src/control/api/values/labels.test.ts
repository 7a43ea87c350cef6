// Tests of label selectors: parsing, errors, matching, printing and LabelSelector conversion.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  everythingLabelSelector,
  isEverythingLabelSelector,
  matchesLabels,
  nothingLabelSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorToString,
  validateLabelValue,
} from './labels.js';
import type { LabelRequirement, LabelSelector, Labels } from './labels.js';

function parsed(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.message}`);
  return result.selector;
}

function parseError(text: string): string {
  const result = parseLabelSelector(text);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} not to parse`);
  return result.message;
}

const valueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or " +
  "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or " +
  "'my_value',  or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const nameMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for " +
  "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseLabelSelector', () => {
  it.each([
    ['', ''],
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['z=c,x=a', 'x=a,z=c'],
    ['x!=a,y=b', 'x!=a,y=b'],
    ['x=,z= ', 'x=,z='],
    ['x= ,z= ', 'x=,z='],
    ['!x', '!x'],
    ['x', 'x'],
    ['x>1', 'x>1'],
    ['x<1,y', 'x<1,y'],
    ['x==a', 'x==a'],
    ['  x  =  a  ', 'x=a'],
    ['\tx\n=\ra', 'x=a'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['w in (foo,bar), z notin (baz)', 'w in (bar,foo),z notin (baz)'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['x in (,)', 'x in ()'],
    ['x in (a,)', 'x in (,a)'],
    ['in in (in)', 'in in (in)'],
    ['notin=notin', 'notin=notin'],
    ['x=in', 'x=in'],
    ['example.com/tier in (a)', 'example.com/tier in (a)'],
    ['x!=a,!y', 'x!=a,!y'],
    ['!y,x!=a', 'x!=a,!y'],
    ['b,a,b=1', 'a,b,b=1'],
    ['a=b \u0000x', 'a=b'],
    ['a=b,\u0000x', 'a=b,x'],
  ])('parses %j and prints it as %j', (text, printed) => {
    expect(selectorToString(parsed(text))).toBe(printed);
  });

  it.each([
    ['x=a,y=b,', "found '', expected: identifier after ','"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    [
      'x=a||y=b',
      `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${valueMessage}`,
    ],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x,,y', "found ',', expected: identifier after ','"],
    ['a=b\u0000x', "found 'x', expected: ',' or 'end of string'"],
    ['a=b, \u0000x', "found '', expected: identifier after ','"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['x=a=b', "found '=', expected: ',' or 'end of string'"],
    ['a b=c', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [
      'x>a',
      "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, " +
        'the value must be an integer',
    ],
    ['x=--', `unable to parse requirement: values[0][x]: Invalid value: "--": ${valueMessage}`],
    [
      'x in (--,__)',
      `unable to parse requirement: [values[0][x]: Invalid value: "--": ${valueMessage}, ` +
        `values[1][x]: Invalid value: "__": ${valueMessage}]`,
    ],
    [
      `x=${'a'.repeat(64)}`,
      `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": ` +
        'must be no more than 63 characters',
    ],
    [
      `${'k'.repeat(64)}`,
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": ` +
        'name part must be no more than 63 characters',
    ],
    ['-x', `unable to parse requirement: <nil>: Invalid value: "-x": ${nameMessage}`],
    [
      'a/b/c=d',
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must ' +
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for " +
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS " +
        "subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  ])('rejects %j with %j', (text, message) => {
    expect(parseError(text)).toBe(message);
  });

  it('treats the empty text as the everything selector', () => {
    expect(isEverythingLabelSelector(parsed(''))).toBe(true);
    expect(isEverythingLabelSelector(parsed('   '))).toBe(true);
    expect(isEverythingLabelSelector(parsed('x'))).toBe(false);
  });

  it('keeps parsed values sorted and unique', () => {
    const selector = parsed('x notin (c,a,c,b)');
    expect(selector.kind === 'requirements' && selector.requirements[0]?.values).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});

describe('matchesLabels', () => {
  it.each<[string, Labels, boolean]>([
    ['x=y', { x: 'y' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y', {}, false],
    ['x=y', undefined, false],
    ['x==y', { x: 'y', z: 'w' }, true],
    ['x!=y', {}, true],
    ['x!=y', { x: 'z' }, true],
    ['x!=y', { x: 'y' }, false],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', { x: 'c' }, false],
    ['x notin (a)', {}, true],
    ['x notin (a)', { x: 'a' }, false],
    ['x', { x: '' }, true],
    ['x', { y: 'x' }, false],
    ['!x', { y: 'x' }, true],
    ['!x', { x: 'y' }, false],
    ['x>1', { x: '2' }, true],
    ['x>1', { x: '1' }, false],
    ['x>1', { x: 'a' }, false],
    ['x>1', {}, false],
    ['x<1', { x: '-5' }, true],
    ['x<1', { x: '+0' }, true],
    ['x<9223372036854775807', { x: '9223372036854775808' }, false],
    ['x=a,y=b', { x: 'a', y: 'b' }, true],
    ['x=a,y=b', { x: 'a' }, false],
    ['', {}, true],
    ['toString', {}, false],
    ['!toString', {}, true],
  ])('%j against %j is %s', (text, labels, expected) => {
    expect(matchesLabels(parsed(text), labels)).toBe(expected);
  });

  it('matches all with the everything selector and none with the nothing selector', () => {
    expect(matchesLabels(everythingLabelSelector, { a: 'b' })).toBe(true);
    expect(matchesLabels(everythingLabelSelector, undefined)).toBe(true);
    expect(matchesLabels(nothingLabelSelector, {})).toBe(false);
    expect(selectorToString(nothingLabelSelector)).toBe('');
    expect(isEverythingLabelSelector(nothingLabelSelector)).toBe(false);
  });
});

describe('selectorFromLabelSelector', () => {
  function converted(input: Parameters<typeof selectorFromLabelSelector>[0]): LabelSelector {
    const result = selectorFromLabelSelector(input);
    if (!result.ok) throw new Error(result.message);
    return result.selector;
  }

  it('turns a nil selector into nothing and an empty one into everything', () => {
    expect(converted(undefined)).toBe(nothingLabelSelector);
    expect(converted(null)).toBe(nothingLabelSelector);
    expect(converted({})).toBe(everythingLabelSelector);
    expect(converted({ matchLabels: {}, matchExpressions: [] })).toBe(everythingLabelSelector);
  });

  it('combines matchLabels and matchExpressions sorted by key', () => {
    const selector = converted({
      matchLabels: { b: '2', a: '1' },
      matchExpressions: [
        { key: 'e', operator: 'In', values: ['y', 'x'] },
        { key: 'f', operator: 'NotIn', values: ['z'] },
        { key: 'c', operator: 'Exists' },
        { key: 'd', operator: 'DoesNotExist', values: [] },
      ],
    });
    expect(selectorToString(selector)).toBe('a=1,b=2,c,!d,e in (x,y),f notin (z)');
    expect(matchesLabels(selector, { a: '1', b: '2', c: '', e: 'x' })).toBe(true);
    expect(matchesLabels(selector, { a: '1', b: '2', c: '', e: 'x', d: '' })).toBe(false);
  });

  it.each<[Parameters<typeof selectorFromLabelSelector>[0], string]>([
    [
      { matchExpressions: [{ key: 'a', operator: 'Foo' }] },
      '"Foo" is not a valid label selector operator',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] },
      '"in" is not a valid label selector operator',
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      'values: Invalid value: []string(nil): ' +
        "for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] },
      'values: Invalid value: []string(nil): ' +
        "for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      'values: Invalid value: []string{"x"}: ' +
        'values set must be empty for exists and does not exist',
    ],
    [{ matchLabels: { 'a b': 'c' } }, `key: Invalid value: "a b": ${nameMessage}`],
    [{ matchLabels: { a: '-x' } }, `values[0][a]: Invalid value: "-x": ${valueMessage}`],
    [
      { matchExpressions: [{ key: '-k', operator: 'In', values: ['-x', 'y'] }] },
      `[key: Invalid value: "-k": ${nameMessage}, ` +
        `values[0][-k]: Invalid value: "-x": ${valueMessage}]`,
    ],
    [{ matchLabels: { b: '-', a: '-' } }, `values[0][a]: Invalid value: "-": ${valueMessage}`],
  ])('rejects %j with %j', (input, message) => {
    expect(selectorFromLabelSelector(input)).toEqual({ ok: false, message });
  });
});

describe('selectorFromSet and validators', () => {
  it('builds key=value requirements sorted by key, and everything from an empty set', () => {
    expect(selectorToString(selectorFromSet({ z: '1', a: '2' }))).toBe('a=2,z=1');
    expect(selectorFromSet({})).toBe(everythingLabelSelector);
    expect(selectorFromSet(undefined)).toBe(everythingLabelSelector);
  });

  it('accepts empty label values and rejects long or malformed ones', () => {
    expect(validateLabelValue('')).toEqual([]);
    expect(validateLabelValue('a.b_c-d')).toEqual([]);
    expect(validateLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(validateLabelValue('a b')).toEqual([valueMessage]);
  });
});

const keys = ['a', 'b', 'app', 'example.com/tier', 'x.y_z-1', 'in', 'notin'];
const values = ['', 'a', 'b', 'in', 'notin', '1', '20', 'x-y'];
const numbers = ['0', '1', '20', '-3'];

const requirementArbitrary: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('=' as const, '==' as const, '!=' as const),
    values: fc.constantFrom(...values).map((value) => [value]),
  }),
  fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('in' as const, 'notin' as const),
    values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('exists' as const, '!' as const),
    values: fc.constant([]),
  }),
  fc.record({
    key: fc.constantFrom(...keys),
    operator: fc.constantFrom('gt' as const, 'lt' as const),
    values: fc.constantFrom('0', '1', '20').map((value) => [value]),
  }),
);

const selectorArbitrary: fc.Arbitrary<LabelSelector> = fc
  .array(requirementArbitrary, { maxLength: 5 })
  .map((requirements) => ({ kind: 'requirements', requirements }));

const labelsArbitrary = fc.dictionary(
  fc.constantFrom(...keys),
  fc.constantFrom(...values, ...numbers),
  { maxKeys: 5 },
);

describe('label selector properties', () => {
  it('parsing the printed selector selects the same label sets', () => {
    fc.assert(
      fc.property(selectorArbitrary, fc.array(labelsArbitrary, { maxLength: 8 }), (s, sets) => {
        const again = parsed(selectorToString(s));
        for (const labels of sets) {
          expect(matchesLabels(again, labels)).toBe(matchesLabels(s, labels));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('prints a parsed selector as a fixed point', () => {
    fc.assert(
      fc.property(selectorArbitrary, (s) => {
        const text = selectorToString(parsed(selectorToString(s)));
        expect(selectorToString(parsed(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text, and parses whatever it prints', () => {
    const alphabet = fc.constantFrom(
      'a',
      'b',
      '=',
      '!',
      '(',
      ')',
      ',',
      ' ',
      'in',
      'notin',
      '<',
      '>',
      '-',
      '/',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 16 }).map((parts) => parts.join('')),
        (text) => {
          const result = parseLabelSelector(text);
          if (result.ok)
            expect(parseLabelSelector(selectorToString(result.selector)).ok).toBe(true);
          else expect(result.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
