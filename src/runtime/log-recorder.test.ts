// Tests of LogRecorder: the Recorder contract read back from its JSON lines, and the line format.

import { describe, expect, it } from 'vitest';
import type { MetricRecord, TraceRecord } from '../control/ports/recorder.js';
import { traceFormatVersion } from '../control/ports/recorder.js';
import { runRecorderContract } from '../../test/contracts/recorder.js';
import { LogRecorder } from './log-recorder.js';

runRecorderContract('LogRecorder', {
  newRecorder: (level) => {
    const lines: string[] = [];
    const recorder = new LogRecorder({ level, sink: { write: (line) => lines.push(line) } });
    return {
      recorder,
      records: () => {
        const traces: TraceRecord[] = [];
        const metrics: MetricRecord[] = [];
        for (const line of lines) {
          const { v, kind, ...record } = JSON.parse(line) as { v: number; kind: string };
          expect(v).toBe(traceFormatVersion);
          if (kind === 'trace') traces.push(record as TraceRecord);
          else metrics.push(record as MetricRecord);
        }
        return { traces, metrics };
      },
    };
  },
});

describe('LogRecorder', () => {
  it('writes one single-line JSON object per record, version and kind first', () => {
    const lines: string[] = [];
    const recorder = new LogRecorder({
      level: 'full',
      sink: { write: (line) => lines.push(line) },
    });
    recorder.trace({
      atMs: 5,
      component: 'kubelet/a',
      type: 'pod.started',
      level: 'full',
      fields: { note: 'two\nlines' },
    });
    recorder.metric({ atMs: 6, component: 'api', name: 'requests_total', value: 3, labels: {} });
    expect(lines).toEqual([
      '{"v":1,"kind":"trace","atMs":5,"component":"kubelet/a","type":"pod.started",' +
        '"level":"full","fields":{"note":"two\\nlines"}}',
      '{"v":1,"kind":"metric","atMs":6,"component":"api","name":"requests_total","value":3,' +
        '"labels":{}}',
    ]);
  });
});
