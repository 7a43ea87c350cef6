// Recorder contract: every Recorder implementation runs this suite (order, JSON safety, levels).

import { describe, expect, it } from 'vitest';
import type {
  MetricRecord,
  Recorder,
  TraceLevel,
  TraceRecord,
} from '../../src/control/ports/recorder.js';

export type RecorderLevelSetting = 'none' | TraceLevel;

export interface RecorderFixture {
  recorder: Recorder;
  /** What the recorder kept or wrote, read back as plain records. */
  records(): { traces: TraceRecord[]; metrics: MetricRecord[] };
}

export interface RecorderContractOptions {
  newRecorder(level: RecorderLevelSetting): RecorderFixture;
}

function trace(atMs: number, type: string, level: TraceLevel): TraceRecord {
  return {
    atMs,
    component: 'kubelet/worker-1',
    type,
    level,
    fields: {
      pod: 'default/web-1',
      attempt: atMs % 3,
      ready: atMs % 2 === 0,
      node: null,
      containers: ['app', { name: 'sidecar', restarts: 2 }],
      note: 'ünïcödé "quoted" \n line',
    },
  };
}

function metric(atMs: number, value: number): MetricRecord {
  return {
    atMs,
    component: 'scheduler',
    name: 'scheduling_latency_ms',
    value,
    labels: { profile: 'default-scheduler' },
  };
}

/** Records three summary traces, two full traces and three metrics, interleaved. */
function recordMix(recorder: Recorder): { traces: TraceRecord[]; metrics: MetricRecord[] } {
  const traces = [
    trace(1_000, 'pod.scheduled', 'summary'),
    trace(1_001, 'informer.synced', 'full'),
    trace(1_002, 'node.ready', 'summary'),
    trace(1_002, 'queue.added', 'full'),
    trace(1_005, 'pod.running', 'summary'),
  ];
  const metrics = [metric(1_000, 12), metric(1_003, 0.5), metric(1_004, -3)];
  recorder.trace(traces[0] as TraceRecord);
  recorder.metric(metrics[0] as MetricRecord);
  recorder.trace(traces[1] as TraceRecord);
  recorder.trace(traces[2] as TraceRecord);
  recorder.metric(metrics[1] as MetricRecord);
  recorder.trace(traces[3] as TraceRecord);
  recorder.metric(metrics[2] as MetricRecord);
  recorder.trace(traces[4] as TraceRecord);
  return { traces, metrics };
}

export function runRecorderContract(name: string, options: RecorderContractOptions): void {
  describe(`Recorder contract: ${name}`, () => {
    it('gives back every record in order at level full', () => {
      const fixture = options.newRecorder('full');
      const sent = recordMix(fixture.recorder);
      expect(fixture.records()).toEqual(sent);
    });

    it('keeps records JSON-safe: they survive a JSON round trip unchanged', () => {
      const fixture = options.newRecorder('full');
      recordMix(fixture.recorder);
      const records = fixture.records();
      expect(JSON.parse(JSON.stringify(records))).toEqual(records);
    });

    it('keeps only summary traces at level summary, and every metric', () => {
      const fixture = options.newRecorder('summary');
      const sent = recordMix(fixture.recorder);
      const { traces, metrics } = fixture.records();
      expect(traces.map((record) => record.type)).toEqual([
        'pod.scheduled',
        'node.ready',
        'pod.running',
      ]);
      expect(traces).toEqual(sent.traces.filter((record) => record.level === 'summary'));
      expect(metrics).toEqual(sent.metrics);
    });

    it('keeps no traces at level none, and every metric', () => {
      const fixture = options.newRecorder('none');
      const sent = recordMix(fixture.recorder);
      expect(fixture.records()).toEqual({ traces: [], metrics: sent.metrics });
    });

    it('rejects records that are not JSON-safe (programmer errors)', () => {
      const { recorder } = options.newRecorder('full');
      expect(() => recorder.metric(metric(1, Number.NaN))).toThrow();
      expect(() => recorder.metric(metric(1, Number.POSITIVE_INFINITY))).toThrow();
      expect(() => recorder.trace(trace(1.5, 'pod.scheduled', 'summary'))).toThrow();
    });
  });
}
