// Go's time.Duration.String for whole milliseconds, as kubelet messages print durations
// (`back-off 1m20s restarting failed container`, `Successfully pulled image "x" in 2.003s`).

import { assert } from '../util/assert.js';

const msPerSecond = 1000;
const msPerMinute = 60 * msPerSecond;
const msPerHour = 60 * msPerMinute;

/** `0s`, `500ms`, `2.003s`, `1m20s`, `5m0s`, `1h0m0s`; negative values get a leading `-`. */
export function formatGoDurationMs(durationMs: number): string {
  assert(Number.isSafeInteger(durationMs), `a duration must be integer ms, got ${durationMs}`);
  if (durationMs < 0) return `-${formatGoDurationMs(-durationMs)}`;
  if (durationMs === 0) return '0s';
  if (durationMs < msPerSecond) return `${durationMs}ms`;
  const hours = Math.trunc(durationMs / msPerHour);
  const minutes = Math.trunc((durationMs % msPerHour) / msPerMinute);
  const secondsMs = durationMs % msPerMinute;
  const whole = Math.trunc(secondsMs / msPerSecond);
  const fraction = String(secondsMs % msPerSecond)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const seconds = fraction === '' ? `${whole}s` : `${whole}.${fraction}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
