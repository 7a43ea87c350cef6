// Tests of the API server's access flags: loopback by default, tokens or an explicit opt-in beyond.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostUrl, isLoopbackAddress, resolveApiServerAccess } from './apiserver-access.js';
import { MinikuError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'miniku-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tokenFile(text: string): string {
  const path = join(dir, `tokens-${text.length}.csv`);
  writeFileSync(path, text);
  return path;
}

function refusal(flags: Parameters<typeof resolveApiServerAccess>[0]): MinikuError {
  try {
    resolveApiServerAccess(flags);
  } catch (error) {
    if (error instanceof MinikuError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveApiServerAccess', () => {
  it('listens on 127.0.0.1 without tokens by default', () => {
    expect(resolveApiServerAccess({})).toEqual({
      bindAddress: '127.0.0.1',
      clientHost: '127.0.0.1',
    });
  });

  it.each(['0.0.0.0', '10.1.2.3', '::', '::ffff:10.0.0.1'])(
    'refuses %s without a token file or --insecure-bind-any, in one line with exit code 2',
    (bindAddress) => {
      const error = refusal({ bindAddress });
      expect(error.exitCode).toBe(2);
      expect(error.message).not.toContain('\n');
      expect(error.message).toBe(
        `Refusing to listen on ${bindAddress}: the API runs root containers, so a non-loopback --bind-address needs --token-file FILE (bearer tokens) or --insecure-bind-any`,
      );
    },
  );

  it('allows any address with --insecure-bind-any, dialling loopback for the wildcard', () => {
    const access = resolveApiServerAccess({ bindAddress: '0.0.0.0', insecureBindAny: true });
    expect(access).toEqual({ bindAddress: '0.0.0.0', clientHost: '127.0.0.1' });
    expect(resolveApiServerAccess({ bindAddress: '::', insecureBindAny: true }).clientHost).toBe(
      '::1',
    );
  });

  it('checks bearer tokens from the token file and hands its first token to local clients', () => {
    const path = tokenFile('first,admin,1,"system:masters"\nsecond,bob,2\n');
    const access = resolveApiServerAccess({ bindAddress: '0.0.0.0', tokenFile: path });
    expect(access.clientToken).toBe('first');
    expect(access.authenticate?.('Bearer second')).toBe(true);
    expect(access.authenticate?.('Bearer third')).toBe(false);
    expect(access.authenticate?.(undefined)).toBe(false);
  });

  it('refuses a bad address, a missing token file and a malformed one', () => {
    expect(refusal({ bindAddress: 'localhost' }).message).toBe(
      'Invalid value for --bind-address: "localhost": expected an IP address',
    );
    expect(refusal({ tokenFile: join(dir, 'absent.csv') }).message).toBe(
      `Cannot read --token-file "${join(dir, 'absent.csv')}": ENOENT`,
    );
    expect(refusal({ tokenFile: tokenFile('only,two\n') }).message).toContain(
      'must have at least 3 columns',
    );
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['fe80::1', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });

  it('brackets IPv6 hosts in URLs', () => {
    expect(hostUrl('::1', 6443)).toBe('http://[::1]:6443');
    expect(hostUrl('127.0.0.1', 1)).toBe('http://127.0.0.1:1');
  });
});
