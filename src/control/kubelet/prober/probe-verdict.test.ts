// Tests of the prober's pure decisions: attempt verdicts with upstream events, and thresholds.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countResult, emptyRun, judgeAttempt, type ResultRun } from './probe-verdict.js';

describe('judgeAttempt', () => {
  it.each([
    ['liveness', { result: 'success', output: 'ok' }, { result: 'success' }],
    [
      'readiness',
      { result: 'failure', output: 'HTTP probe failed with statuscode: 500' },
      {
        result: 'failure',
        event: {
          type: 'Warning',
          reason: 'Unhealthy',
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 500',
        },
      },
    ],
    [
      'startup',
      { result: 'warning', output: 'Probe terminated redirects, Response body: x' },
      {
        result: 'success',
        event: {
          type: 'Warning',
          reason: 'ProbeWarning',
          message: 'Startup probe warning: Probe terminated redirects, Response body: x',
        },
      },
    ],
    ['liveness', { result: 'unknown', output: '' }, { result: 'failure' }],
    [
      'liveness',
      { result: 'unknown', output: '', error: 'container "c" is not running' },
      {
        result: 'error',
        event: {
          type: 'Warning',
          reason: 'Unhealthy',
          message:
            'Liveness probe errored and resulted in unknown state: container "c" is not running',
        },
      },
    ],
  ] as const)('judges a %s attempt %j as %j', (kind, attempt, expected) => {
    expect(judgeAttempt(kind, attempt)).toEqual(expected);
  });
});

describe('countResult', () => {
  const spec = { successThreshold: 2, failureThreshold: 3 };

  it('reaches a threshold only with that many equal results in a row', () => {
    let run: ResultRun = emptyRun;
    const reached: boolean[] = [];
    for (const result of [
      'failure',
      'failure',
      'success',
      'failure',
      'failure',
      'failure',
    ] as const) {
      const counted = countResult(run, result, spec);
      run = counted.run;
      reached.push(counted.reached);
    }
    expect(reached).toEqual([false, false, false, false, false, true]);
    expect(run).toEqual({ last: 'failure', count: 3 });
  });

  it('reaches exactly when the trailing streak is at least its threshold (property)', () => {
    const result = fc.constantFrom('success' as const, 'failure' as const);
    fc.assert(
      fc.property(
        fc.array(result, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        (results, successThreshold, failureThreshold) => {
          let run: ResultRun = emptyRun;
          let reached = false;
          for (const r of results) {
            ({ run, reached } = countResult(run, r, { successThreshold, failureThreshold }));
          }
          const last = results[results.length - 1];
          let streak = 0;
          for (let i = results.length - 1; i >= 0 && results[i] === last; i -= 1) streak += 1;
          const threshold = last === 'success' ? successThreshold : failureThreshold;
          expect(run).toEqual({ last, count: streak });
          expect(reached).toBe(streak >= threshold);
        },
      ),
      { numRuns: 200 },
    );
  });
});
