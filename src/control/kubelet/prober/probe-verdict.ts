// Pure decisions of the prober: what one probe attempt means (upstream prober.probe) and when a
// run of equal results reaches its threshold (upstream worker.doProbe).

import { assertNever } from '../../util/assert.js';
import { probeKindTitles, type ProbeKind, type ProbeSpec } from './probe-spec.js';

/** Upstream probe.Result of one attempt. */
export type ProbeResult = 'success' | 'warning' | 'failure' | 'unknown';

/** One attempt: its result, its output, and `error` when the probe could not run at all. */
export interface ProbeAttempt {
  result: ProbeResult;
  output: string;
  error?: string;
}

export interface ProbeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** `error`: the attempt is thrown away (upstream: a prober error leaves the counts alone). */
export type ProbeVerdict =
  { result: 'success' | 'failure'; event?: ProbeEvent } | { result: 'error'; event: ProbeEvent };

export const unhealthyReason = 'Unhealthy';
export const probeWarningReason = 'ProbeWarning';

/** What an attempt counts as, and the event upstream records for it. */
export function judgeAttempt(kind: ProbeKind, attempt: ProbeAttempt): ProbeVerdict {
  const title = probeKindTitles[kind];
  if (attempt.error !== undefined) {
    const state = `resulted in ${attempt.result} state`;
    const message = `${title} probe errored and ${state}: ${attempt.error}`;
    return { result: 'error', event: { type: 'Warning', reason: unhealthyReason, message } };
  }
  switch (attempt.result) {
    case 'success':
      return { result: 'success' };
    case 'warning': {
      const message = `${title} probe warning: ${attempt.output}`;
      return { result: 'success', event: { type: 'Warning', reason: probeWarningReason, message } };
    }
    case 'failure': {
      const message = `${title} probe failed: ${attempt.output}`;
      return { result: 'failure', event: { type: 'Warning', reason: unhealthyReason, message } };
    }
    case 'unknown':
      return { result: 'failure' };
    default:
      return assertNever(attempt.result, 'unexpected probe result');
  }
}

/** How many times in a row the last result came. */
export interface ResultRun {
  last: 'success' | 'failure' | undefined;
  count: number;
}

export const emptyRun: ResultRun = { last: undefined, count: 0 };

/** Adds a result to the run; `reached` when its threshold is met and the result takes effect. */
export function countResult(
  run: ResultRun,
  result: 'success' | 'failure',
  spec: Pick<ProbeSpec, 'successThreshold' | 'failureThreshold'>,
): { run: ResultRun; reached: boolean } {
  const count = run.last === result ? run.count + 1 : 1;
  const threshold = result === 'success' ? spec.successThreshold : spec.failureThreshold;
  return { run: { last: result, count }, reached: count >= threshold };
}
