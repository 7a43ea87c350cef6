// The typed model of a `sim check` baseline: what a run is compared on, free of run details.
//
// A baseline holds only what describes the scenario's behaviour: no scenario hash, file path,
// miniku version, wall time or host name, so a no-op edit, another checkout or another machine
// gives the same baseline. Its text form is in baseline-text.ts; README.md documents both.

/** Version of the baseline text layout; bumped when a line changes meaning. */
export const baselineFormatVersion = 1;

/** Up to this many placements a baseline lists one line per pod; above, per-owner counts. */
export const placementLinesMaxDefault = 2_000;

export type Verdict = 'held' | 'failed';

export interface BaselineExpectation {
  name: string;
  verdict: Verdict;
}

export interface BaselineMetric {
  /** Dotted name, e.g. `schedulingLatencyMs.p99` (see key-metrics.ts). */
  name: string;
  value: number;
}

export interface BaselineFault {
  /** Position in the scenario's fault list, from 0. */
  index: number;
  /** The fault as the scenario states it, e.g. `crashNode worker-2`. */
  label: string;
  /** ms from injection to recovery; null when the cluster never recovered. */
  recoveryMs: number | null;
}

export interface BaselinePlacement {
  /** Stable identity (`ReplicaSet/default/web-5d8f#3` or `Pod/default/solo`). */
  pod: string;
  node: string;
  /** ms since the virtual start the binding was first seen (shown, not compared). */
  atMs: number;
  /** `<namespace>/<generated name>` (shown, not compared). */
  name: string;
}

export interface PlacementCount {
  /** The identity without `#<ordinal>`; pods without an owner count as `Pod/<namespace>`. */
  owner: string;
  node: string;
  count: number;
}

export type BaselinePlacements =
  | { mode: 'lines'; lines: readonly BaselinePlacement[] }
  | {
      mode: 'counts';
      podCount: number;
      /** Sorted by owner, then node; zero counts are left out. */
      counts: readonly PlacementCount[];
      /** SHA-256 (hex) of the sorted `<pod> <node>` lines: equal iff every pod kept its node. */
      digest: string;
    };

export interface Baseline {
  scenario: string;
  /** The seed the run used, as JSON text (`9`, `"abc"`). */
  seed: string;
  /** Sorted by name. */
  expectations: readonly BaselineExpectation[];
  /** Sorted by name. */
  metrics: readonly BaselineMetric[];
  /** In scenario order. */
  faults: readonly BaselineFault[];
  placements: BaselinePlacements;
}
