// SimRecorder: keeps a run's trace and metric records in memory, bounded, for the report.

import type {
  MetricRecord,
  Recorder,
  TraceLevelSetting,
  TraceRecord,
} from '../control/ports/recorder.js';
import { traceLevelAdmits } from '../control/ports/recorder.js';
import { assert } from '../control/util/assert.js';

export interface SimRecorderOptions {
  /** Trace records kept; `none` keeps no traces (metrics are always kept). */
  level: TraceLevelSetting;
  /** Most trace records and, separately, most metric records kept; later ones are dropped. */
  recordCountMax: number;
}

export class SimRecorder implements Recorder {
  readonly level: TraceLevelSetting;
  readonly recordCountMax: number;
  private readonly traceRecords: TraceRecord[] = [];
  private readonly metricRecords: MetricRecord[] = [];
  private droppedCountValue = 0;

  constructor(options: SimRecorderOptions) {
    assert(Number.isSafeInteger(options.recordCountMax), 'recordCountMax must be an integer');
    assert(options.recordCountMax >= 0, 'recordCountMax must not be negative');
    this.level = options.level;
    this.recordCountMax = options.recordCountMax;
  }

  trace(record: TraceRecord): void {
    assert(Number.isSafeInteger(record.atMs), `trace atMs must be an integer: ${record.type}`);
    if (!traceLevelAdmits(this.level, record.level)) return;
    this.keep(this.traceRecords, record);
  }

  metric(record: MetricRecord): void {
    assert(Number.isSafeInteger(record.atMs), `metric atMs must be an integer: ${record.name}`);
    assert(Number.isFinite(record.value), `metric value must be finite: ${record.name}`);
    this.keep(this.metricRecords, record);
  }

  /** Trace records kept, in the order they were recorded. */
  traces(): readonly TraceRecord[] {
    return this.traceRecords;
  }

  /** Metric records kept, in the order they were recorded. */
  metrics(): readonly MetricRecord[] {
    return this.metricRecords;
  }

  /** True once any record was dropped for lack of room. */
  get truncated(): boolean {
    return this.droppedCountValue > 0;
  }

  /** Records (traces and metrics) dropped for lack of room; filtered traces are not counted. */
  get droppedCount(): number {
    return this.droppedCountValue;
  }

  private keep<T>(records: T[], record: T): void {
    if (records.length >= this.recordCountMax) this.droppedCountValue += 1;
    else records.push(record);
  }
}
