// Tests of the last-change trigger time: first sync, later pod readiness changes, no change.

import { describe, expect, it } from 'vitest';
import { parseTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import { TriggerTimeTracker } from './trigger-time-tracker.js';

const t = (text: string) => parseTime(`2026-01-01T00:${text}Z`) as number;

const service: KubeObject = {
  metadata: { name: 'web', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
};

function pod(name: string, readySince?: string): KubeObject {
  const conditions =
    readySince === undefined
      ? []
      : [{ type: 'Ready', status: 'True', lastTransitionTime: `2026-01-01T00:${readySince}Z` }];
  return { metadata: { name }, status: { conditions } };
}

describe('TriggerTimeTracker', () => {
  it('returns the service creation time on the first sync of a service', () => {
    const tracker = new TriggerTimeTracker();
    expect(tracker.compute('ns/web', service, [pod('a', '05:00')])).toBe(t('00:00'));
  });

  it('returns the earliest trigger time that moved since the last sync', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute('ns/web', service, [pod('a', '01:00'), pod('b', '01:00')]);
    const next = [pod('a', '03:00'), pod('b', '02:00'), pod('c')];
    expect(tracker.compute('ns/web', service, next)).toBe(t('02:00'));
  });

  it('counts a newly selected pod as a change', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute('ns/web', service, [pod('a', '01:00')]);
    expect(tracker.compute('ns/web', service, [pod('a', '01:00'), pod('b', '04:00')])).toBe(
      t('04:00'),
    );
  });

  it('returns no time when nothing moved, and starts over for a forgotten service', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute('ns/web', service, [pod('a', '01:00')]);
    expect(tracker.compute('ns/web', service, [pod('a', '01:00')])).toBeUndefined();
    tracker.delete('ns/web');
    expect(tracker.size).toBe(0);
    expect(tracker.compute('ns/web', service, [pod('a', '01:00')])).toBe(t('00:00'));
  });
});
