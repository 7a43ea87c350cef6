// Tests of the static token file (kube-apiserver's --token-file CSV) and bearer-token checks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  StaticTokenAuthenticator,
  bearerToken,
  parseCsv,
  parseTokenFile,
} from './static-token-file.js';

describe('parseTokenFile', () => {
  it('reads token, user, uid and quoted groups, skipping blank lines and empty tokens', () => {
    const text = 't1,alice,u-1,"dev,ops"\r\n\n,nobody,u-0\nt2,bob,u-2\n';
    const parsed = parseTokenFile(text, 'tokens.csv');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.firstToken).toBe('t1');
    expect([...parsed.tokens]).toEqual([
      ['t1', { name: 'alice', uid: 'u-1', groups: ['dev', 'ops'] }],
      ['t2', { name: 'bob', uid: 'u-2', groups: [] }],
    ]);
  });

  it("keeps a repeated token's last record, as upstream does", () => {
    const parsed = parseTokenFile('t,a,1\nt,b,2\n', 'f');
    expect(parsed.ok && parsed.tokens.get('t')?.name).toBe('b');
  });

  it('refuses a record with fewer than three columns with the upstream message', () => {
    expect(parseTokenFile('t1,alice\n', 'tokens.csv')).toEqual({
      ok: false,
      message:
        'Token file "tokens.csv": must have at least 3 columns (token, user name, user uid), found 2',
    });
  });

  it('refuses bad quoting and a file without tokens', () => {
    expect(parseTokenFile('t"1,a,b\n', 'f')).toEqual({
      ok: false,
      message: 'Token file "f": line 1: bad quoting',
    });
    expect(parseTokenFile('"open,a,b\n', 'f').ok).toBe(false);
    expect(parseTokenFile('\n\n', 'f')).toEqual({
      ok: false,
      message: 'Token file "f": no tokens',
    });
  });
});

describe('parseCsv', () => {
  it('round-trips fields that need quoting', () => {
    const field = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { maxLength: 5 }),
        (rows) => {
          const quote = (f: string) => `"${f.replace(/"/g, '""')}"`;
          const text = rows.map((row) => row.map(quote).join(',')).join('\n');
          const parsed = parseCsv(text);
          expect(parsed).toEqual({ ok: true, records: rows });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('StaticTokenAuthenticator', () => {
  const tokens = new Map([['s3cret', { name: 'alice', uid: '1', groups: [] }]]);
  const authenticator = new StaticTokenAuthenticator({ tokens });

  it('accepts the bearer token of a listed user, the scheme in any case', () => {
    expect(authenticator.authenticate('Bearer s3cret')?.name).toBe('alice');
    expect(authenticator.authenticate('  bearer s3cret ')?.name).toBe('alice');
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Basic s3cret'],
    ['an unknown token', 'Bearer s3cre'],
    ['a longer token', 'Bearer s3cret2'],
    ['no token', 'Bearer '],
  ])('refuses %s', (_what, header) => {
    expect(authenticator.authenticate(header)).toBeUndefined();
  });

  it('reads the token as the second space-separated word', () => {
    expect(bearerToken('Bearer abc extra')).toBe('abc');
    expect(bearerToken('Bearer')).toBeUndefined();
  });
});
