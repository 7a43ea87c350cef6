// Tests of SimRecorder: the Recorder contract plus its bound on kept records.

import { describe, expect, it } from 'vitest';
import { runRecorderContract } from '../../test/contracts/recorder.js';
import { SimRecorder } from './sim-recorder.js';

runRecorderContract('SimRecorder', {
  newRecorder: (level) => {
    const recorder = new SimRecorder({ level, recordCountMax: 1_000 });
    return {
      recorder,
      records: () => ({ traces: [...recorder.traces()], metrics: [...recorder.metrics()] }),
    };
  },
});

describe('SimRecorder', () => {
  const record = (atMs: number, level: 'summary' | 'full' = 'summary') => ({
    atMs,
    component: 'scheduler',
    type: 'pod.scheduled',
    level,
    fields: {},
  });

  it('keeps at most recordCountMax records, then counts what it drops', () => {
    const recorder = new SimRecorder({ level: 'full', recordCountMax: 3 });
    for (let atMs = 0; atMs < 5; atMs += 1) recorder.trace(record(atMs));
    recorder.metric({ atMs: 9, component: 'c', name: 'x_ms', value: 1, labels: {} });
    expect(recorder.traces().map((r) => r.atMs)).toEqual([0, 1, 2]);
    expect(recorder.metrics()).toHaveLength(1);
    expect(recorder.truncated).toBe(true);
    expect(recorder.droppedCount).toBe(2);
  });

  it('does not count filtered traces as dropped', () => {
    const recorder = new SimRecorder({ level: 'summary', recordCountMax: 1 });
    recorder.trace(record(0, 'full'));
    recorder.trace(record(1, 'summary'));
    expect(recorder.traces().map((r) => r.atMs)).toEqual([1]);
    expect(recorder.truncated).toBe(false);
    expect(recorder.droppedCount).toBe(0);
  });
});
