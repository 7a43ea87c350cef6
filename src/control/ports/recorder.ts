// Recorder port: typed, versioned trace and metric records. The sim keeps them for the report;
// real mode writes them as structured log lines.

export const traceFormatVersion = 1;

/** A JSON-safe field value of a trace record. */
export type TraceValue =
  string | number | boolean | null | TraceValue[] | { [k: string]: TraceValue };

export type TraceLevel = 'summary' | 'full';

/** What a recorder keeps: no traces, decisions and transitions only, or everything. */
export type TraceLevelSetting = 'none' | TraceLevel;

/** Whether a trace of `level` passes the `setting` filter. */
export function traceLevelAdmits(setting: TraceLevelSetting, level: TraceLevel): boolean {
  return setting === 'full' || (setting === 'summary' && level === 'summary');
}

export interface TraceRecord {
  /** Time of the record in ms since the epoch, from the emitting component's clock. */
  atMs: number;
  /** Emitting component, e.g. `scheduler`, `kubelet/worker-1`. */
  component: string;
  /** Record type, e.g. `pod.scheduled`, `node.ready`. Stable names: reports depend on them. */
  type: string;
  /** `summary` records are decisions, faults and state transitions; `full` adds the rest. */
  level: TraceLevel;
  fields: { [k: string]: TraceValue };
}

export interface MetricRecord {
  atMs: number;
  component: string;
  /** Metric name with its unit last, e.g. `scheduling_latency_ms`. */
  name: string;
  value: number;
  labels: { [k: string]: string };
}

/** Callers: every component. Records are never mutated after record() returns. */
export interface Recorder {
  trace(record: TraceRecord): void;
  metric(record: MetricRecord): void;
}
