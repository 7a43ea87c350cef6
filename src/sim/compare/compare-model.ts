// The typed model of an A/B compare: one scenario and seed run under two scheduler
// configurations. compare.json is this object; compare.md and compare.html render it.

/** Version of compare.json's shape; bump it when a field changes meaning or moves. */
export const compareFormatVersion = 1;

export type Side = 'a' | 'b';

/** A pod placed differently (or only) in one of the runs. Null: the run has no such pod. */
export interface MovedPod {
  /** Stable id: `<ownerKind>/<namespace>/<ownerName>#<ordinal>` or `Pod/<namespace>/<name>`. */
  pod: string;
  nameA: string | null;
  nameB: string | null;
  nodeA: string | null;
  nodeB: string | null;
}

export interface NodeRow {
  node: string;
  /** topology.kubernetes.io/zone from the node's pool; null when it has none. */
  zone: string | null;
  /** The pool's pods capacity; null when the pool does not set it or the node is not a pool's. */
  podCapacity: number | null;
  /** Pods bound and not terminal at the end of each run. */
  podsA: number;
  podsB: number;
}

export interface ZoneRow {
  /** `(none)` gathers the nodes without a zone. */
  zone: string;
  nodeCount: number;
  podsA: number;
  podsB: number;
}

export interface SpreadBalance {
  /** Population standard deviation of the counts. */
  stddev: number;
  maxMinusMin: number;
}

export interface MetricRow {
  name: string;
  /** Null when the run does not have the metric (e.g. no latency samples). */
  a: number | null;
  b: number | null;
}

export interface ExpectationRow {
  name: string;
  a: boolean | null;
  b: boolean | null;
}

export interface LatencySamples {
  /** Ascending, at most latencySampleCountMax each (order statistics of the full list). */
  a: number[];
  b: number[];
}

export interface CompareData {
  compareFormatVersion: typeof compareFormatVersion;
  scenario: { name: string; hash: string };
  seed: number | string;
  minikuVersion: string;
  /** What each side ran: the profile file as given, or `scenario` for the scenario's own. */
  profiles: { a: string; b: string };
  /** Every expectation held. */
  passed: { a: boolean; b: boolean };
  placements: {
    podCountA: number;
    podCountB: number;
    /** Pods whose node differs, including pods that only one run had. */
    movedCount: number;
    /** Sorted by pod id (ordinals numerically); at most movedPodsMax. */
    moved: MovedPod[];
  };
  /** Every node of either run, sorted by name. */
  nodes: NodeRow[];
  balance: { a: SpreadBalance; b: SpreadBalance };
  /** Sorted by zone name. */
  zones: ZoneRow[];
  zoneBalance: { a: SpreadBalance; b: SpreadBalance };
  /** runMetrics of both runs, sorted by name. */
  metrics: MetricRow[];
  /** In the scenario's order. */
  expectations: ExpectationRow[];
  latency: { scheduling: LatencySamples; startup: LatencySamples };
}
