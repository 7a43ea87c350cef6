// Go encoding/json syntax errors: the first error in the text, worded as Go's scanner words it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGoJson, goJsonSyntaxError } from './go-json.js';
import { fromDraft } from './draft.js';

describe('goJsonSyntaxError', () => {
  const cases: Array<[string, string]> = [
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"a":1', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":1}}', "invalid character '}' after top-level value"],
    ['01', "invalid character '1' after top-level value"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['tru', 'unexpected end of JSON input'],
    ['trUe', "invalid character 'U' in literal true (expecting 'u')"],
    ['nul!', "invalid character '!' in literal null (expecting 'l')"],
    ['"a\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['é', "invalid character 'Ã' looking for beginning of value"],
  ];

  it.each(cases)('reports %j as %j', (text, message) => {
    expect(goJsonSyntaxError(text, 200)).toBe(message);
  });

  it('fails past the nesting limit like Go past its own', () => {
    expect(goJsonSyntaxError('[[[1]]]', 3)).toBeUndefined();
    expect(goJsonSyntaxError('[[[[1]]]]', 3)).toBe("invalid character '[' exceeded max depth");
  });

  it('accepts whatever JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(goJsonSyntaxError(JSON.stringify(value), 1000)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeGoJson', () => {
  it('decodes into drafts whose objects are Maps', () => {
    const result = decodeGoJson('{"a":[1,{"b":null}],"__proto__":-0}', 10);
    expect(result.ok && fromDraft(result.value)).toEqual(
      JSON.parse('{"a":[1,{"b":null}],"__proto__":0}'),
    );
  });

  it('rejects a number beyond float64 as Go does', () => {
    expect(decodeGoJson('{"a":[1e400]}', 10)).toEqual({
      ok: false,
      message: 'json: cannot unmarshal number 1e400 into Go value of type float64',
    });
  });
});
