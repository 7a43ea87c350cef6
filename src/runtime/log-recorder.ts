// LogRecorder: writes each trace and metric record as one JSON line (structured logs, real mode).

import {
  traceFormatVersion,
  type MetricRecord,
  type Recorder,
  traceLevelAdmits,
  type TraceLevelSetting,
  type TraceRecord,
} from '../control/ports/recorder.js';
import { assert } from '../control/util/assert.js';

/** Which traces are written: none, `summary` records only, or everything. */
export type LogTraceLevelSetting = TraceLevelSetting;

/** Where lines go, e.g. stderr or a file; `line` has no trailing newline. */
export interface LineSink {
  write(line: string): void;
}

export interface LogRecorderOptions {
  sink: LineSink;
  /** Trace records written; metrics are always written. */
  level: LogTraceLevelSetting;
}

/**
 * Line shapes (keys in this order), `v` being traceFormatVersion:
 *   {"v":1,"kind":"trace","atMs":…,"component":…,"type":…,"level":…,"fields":{…}}
 *   {"v":1,"kind":"metric","atMs":…,"component":…,"name":…,"value":…,"labels":{…}}
 */
export class LogRecorder implements Recorder {
  private readonly sink: LineSink;
  readonly level: LogTraceLevelSetting;

  constructor(options: LogRecorderOptions) {
    this.sink = options.sink;
    this.level = options.level;
  }

  trace(record: TraceRecord): void {
    assert(Number.isSafeInteger(record.atMs), `trace atMs must be an integer: ${record.type}`);
    if (!traceLevelAdmits(this.level, record.level)) return;
    const { atMs, component, type, level, fields } = record;
    const line = { v: traceFormatVersion, kind: 'trace', atMs, component, type, level, fields };
    this.sink.write(JSON.stringify(line));
  }

  metric(record: MetricRecord): void {
    assert(Number.isSafeInteger(record.atMs), `metric atMs must be an integer: ${record.name}`);
    assert(Number.isFinite(record.value), `metric value must be finite: ${record.name}`);
    const { atMs, component, name, value, labels } = record;
    const line = { v: traceFormatVersion, kind: 'metric', atMs, component, name, value, labels };
    this.sink.write(JSON.stringify(line));
  }
}
