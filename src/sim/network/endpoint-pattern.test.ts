// Tests of endpoint names and patterns.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertEndpointName, compilePattern, compileSelector } from './endpoint-pattern.js';

describe('endpoint patterns', () => {
  it('match a name exactly when they have no star', () => {
    const matches = compilePattern('node/worker-1');
    expect(matches('node/worker-1')).toBe(true);
    expect(matches('node/worker-10')).toBe(false);
    expect(matches('node/worker')).toBe(false);
  });

  it('let a star stand for any run of characters, slashes included', () => {
    expect(compilePattern('node/*')('node/worker-1')).toBe(true);
    expect(compilePattern('node/*')('node/')).toBe(true);
    expect(compilePattern('node/*')('nodes/a')).toBe(false);
    expect(compilePattern('*')('client/a/b')).toBe(true);
    expect(compilePattern('*/worker-*')('node/worker-3')).toBe(true);
    expect(compilePattern('*/worker-*')('client/alice')).toBe(false);
    expect(compilePattern('a*a')('a')).toBe(false);
    expect(compilePattern('a*a')('aa')).toBe(true);
    expect(compilePattern('a*b*c')('acb')).toBe(false);
  });

  it('match a selector when any of its patterns matches', () => {
    const matches = compileSelector(['scheduler', 'node/*']);
    expect(matches('scheduler')).toBe(true);
    expect(matches('node/a')).toBe(true);
    expect(matches('controller-manager')).toBe(false);
  });

  it('agree with a regular expression built from the pattern', () => {
    const word = fc.stringMatching(/^[a-c/]{0,4}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), word, (parts, name) => {
        const pattern = parts.join('*');
        fc.pre(/^[A-Za-z0-9]/.test(pattern) || pattern.includes('*'));
        fc.pre(pattern !== '');
        const expected = new RegExp(`^${parts.join('.*')}$`).test(name);
        expect(compilePattern(pattern)(name)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reject names with spaces, colons or a leading slash', () => {
    expect(() => assertEndpointName('client/alice')).not.toThrow();
    for (const bad of ['', 'a b', 'client:a', '/apiserver', 'node/*']) {
      expect(() => assertEndpointName(bad)).toThrow(/Invalid endpoint name/);
    }
    expect(() => compilePattern('node/ *')).toThrow(/Invalid endpoint pattern/);
    expect(() => compileSelector([])).toThrow(/at least one pattern/);
  });
});
