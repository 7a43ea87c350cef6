// Tests of the scripted listener lookups: open windows, route choice, host:port formatting.

import { describe, expect, it } from 'vitest';
import { assertListeners, httpAnswer, joinHostPort, openListener } from './sim-listeners.js';

describe('openListener', () => {
  const listeners = [{ port: 80, fromMs: 1_000, untilMs: 2_000 }, { port: 81 }];

  it.each([
    [80, 999, undefined],
    [80, 1_000, 80],
    [80, 1_999, 80],
    [80, 2_000, undefined],
    [81, 0, 81],
    [82, 0, undefined],
  ])('port %i at %i ms after start is open on %s', (port, sinceStartMs, expected) => {
    expect(openListener(listeners, port, sinceStartMs)?.port).toBe(expected);
  });

  it('finds nothing when the script has no listeners', () => {
    expect(openListener(undefined, 80, 0)).toBeUndefined();
  });
});

describe('httpAnswer', () => {
  const listener = {
    port: 80,
    http: [
      { path: '/a', statusCode: 200, fromMs: 0 },
      { path: '/a', statusCode: 503, fromMs: 10 },
      { path: '/a', statusCode: 502, fromMs: 10 },
      { path: '/b', statusCode: 204, body: 'b', delayMs: 7 },
    ],
  };

  it('picks the latest route that has started; later entries win ties', () => {
    expect(httpAnswer(listener, '/a', 9).statusCode).toBe(200);
    expect(httpAnswer(listener, '/a', 10).statusCode).toBe(502);
  });

  it('carries the body and delay, ignores the query, and answers 404 otherwise', () => {
    expect(httpAnswer(listener, '/b?x=1', 0)).toEqual({ statusCode: 204, body: 'b', delayMs: 7 });
    expect(httpAnswer(listener, '/c', 0)).toEqual({
      statusCode: 404,
      body: '404 page not found\n',
      delayMs: 0,
    });
  });
});

describe('joinHostPort and assertListeners', () => {
  it('brackets IPv6 literals like Go', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(joinHostPort('::1', 80)).toBe('[::1]:80');
  });

  it('rejects out-of-range ports and negative times', () => {
    expect(() => assertListeners('x', [{ port: 0 }])).toThrow(/port/);
    expect(() => assertListeners('x', [{ port: 80, fromMs: -1 }])).toThrow(/fromMs/);
    expect(() =>
      assertListeners('x', [{ port: 80, http: [{ path: '/', statusCode: 99 }] }]),
    ).toThrow(/http\[0\]/);
    expect(() =>
      assertListeners('x', [{ port: 80, http: [{ path: '/', statusCode: 200 }] }]),
    ).not.toThrow();
  });
});
