// Tests of the DNS-1123/1035 and qualified-name validators: limits and exact upstream wording.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareGoStrings, goQuote, goStringSlice, utf8ByteLength } from './go-format.js';
import {
  regexError,
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateQualifiedName,
} from './names.js';

const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and " +
  "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex " +
  "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMessage =
  'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
  "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', " +
  'regex used for validation is ' +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035Message =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an " +
  "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or " +
  "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const nameMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
  "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for " +
  "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('validateDns1123Label', () => {
  it.each(['a', '0', 'my-name', '123-abc', 'a'.repeat(63), 'a--b'])('accepts %j', (value) => {
    expect(validateDns1123Label(value)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['', [labelMessage]],
    ['A', [labelMessage]],
    ['-a', [labelMessage]],
    ['a-', [labelMessage]],
    ['a_b', [labelMessage]],
    ['a.b', ['must not contain dots']],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    [`${'a'.repeat(63)}-`, ['must be no more than 63 characters', labelMessage]],
    ['é', [labelMessage]],
  ])('rejects %j with upstream details', (value, expected) => {
    expect(validateDns1123Label(value)).toEqual(expected);
  });

  it('counts length in UTF-8 bytes, as Go does', () => {
    expect(validateDns1123Label('é'.repeat(32))).toEqual([
      'must be no more than 63 characters',
      labelMessage,
    ]);
  });
});

describe('validateDns1123Subdomain', () => {
  it.each(['example.com', 'a', 'a.b.c', 'x-1.y-2', 'a'.repeat(253)])('accepts %j', (value) => {
    expect(validateDns1123Subdomain(value)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['', [subdomainMessage]],
    ['Example.com', [subdomainMessage]],
    ['a..b', [subdomainMessage]],
    ['.a', [subdomainMessage]],
    ['a.', [subdomainMessage]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
  ])('rejects %j with upstream details', (value, expected) => {
    expect(validateDns1123Subdomain(value)).toEqual(expected);
  });
});

describe('validateDns1035Label', () => {
  it.each(['a', 'my-name', 'abc-123', 'a'.repeat(63)])('accepts %j', (value) => {
    expect(validateDns1035Label(value)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['1abc', [dns1035Message]],
    ['', [dns1035Message]],
    ['a.b', [dns1035Message]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('rejects %j with upstream details', (value, expected) => {
    expect(validateDns1035Label(value)).toEqual(expected);
  });
});

describe('validateQualifiedName', () => {
  it.each(['a', 'MyName', 'my.name', '123-abc', 'example.com/MyName', 'a/b', 'x_y'])(
    'accepts %j',
    (value) => {
      expect(validateQualifiedName(value)).toEqual([]);
    },
  );

  it.each<[string, string[]]>([
    ['', ['name part must be non-empty', nameMessage]],
    ['/a', ['prefix part must be non-empty']],
    ['a/', ['name part must be non-empty', nameMessage]],
    ['-a', [nameMessage]],
    ['a b', [nameMessage]],
    ['Example.com/a', [`prefix part ${subdomainMessage}`]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
    [`${'a'.repeat(254)}/b`, ['prefix part must be no more than 253 characters']],
    [
      'a/b/c',
      [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must " +
          "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or " +
          "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') " +
          "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
  ])('rejects %j with upstream details', (value, expected) => {
    expect(validateQualifiedName(value)).toEqual(expected);
  });
});

function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

describe('go-format helpers', () => {
  it('builds RegexError text with and without examples', () => {
    expect(regexError('bad', 'x+', [])).toBe("bad (regex used for validation is 'x+')");
    expect(regexError('bad', 'x+', ['x', 'xx'])).toBe(
      "bad (e.g. 'x',  or 'xx', regex used for validation is 'x+')",
    );
  });

  it.each([
    ['abc', '"abc"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\there\n', '"tab\\there\\n"'],
    ['\u0001\u007f', '"\\x01\\x7f"'],
    ['héllo ☃ 😀', '"héllo ☃ 😀"'],
    ['\u00a0\u200b', '"\\u00a0\\u200b"'],
  ])('quotes %j like Go %%q', (value, expected) => {
    expect(goQuote(value)).toBe(expected);
  });

  it('formats string slices like Go %#v', () => {
    expect(goStringSlice(undefined)).toBe('[]string(nil)');
    expect(goStringSlice([])).toBe('[]string{}');
    expect(goStringSlice(['a', 'b c'])).toBe('[]string{"a", "b c"}');
  });

  it('measures UTF-8 bytes', () => {
    expect(utf8ByteLength('aé☃😀')).toBe(1 + 2 + 3 + 4);
  });

  it('orders strings by code point like Go byte comparison', () => {
    expect(compareGoStrings('\uffff', '😀')).toBe(-1);
    expect(compareGoStrings('a', 'b')).toBe(-1);
    expect(compareGoStrings('ab', 'a')).toBe(1);
    expect(compareGoStrings('x', 'x')).toBe(0);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(compareGoStrings(a, b)).toBe(compareUtf8(a, b));
      }),
      { numRuns: 500 },
    );
  });
});
