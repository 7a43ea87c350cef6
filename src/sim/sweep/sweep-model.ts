// The typed model of a seed sweep's result: what `miniku sim sweep --format json` writes and
// `miniku sim sweep-merge` reads back. Runs are sorted by seed; the summary is computed from them.

/** Version of the JSON shape; bump it when a field changes meaning or moves. */
export const sweepFormatVersion = 1;

/** A run that did not finish: the simulator failed or hit a limit. */
export interface SweepRunError {
  /** `E_INTERNAL` (exit 3) or `E_LIMIT` (exit 4), as `miniku sim run` would report it. */
  code: string;
  exitCode: number;
  message: string;
}

export interface SweepRun {
  seed: number;
  /** Every expectation held and the run finished. */
  passed: boolean;
  /** Per expectation, in the scenario's order; empty when the run failed. */
  held: boolean[];
  /** runMetrics of the run's report, keys sorted; empty when the run failed. */
  metrics: Record<string, number>;
  error: SweepRunError | null;
}

export interface MetricSummary {
  name: string;
  /** Runs that have the metric (e.g. a fault that never recovered has no recovery time). */
  count: number;
  min: number;
  /** Nearest-rank percentiles over the runs. */
  p50: number;
  p90: number;
  max: number;
  mean: number;
}

export interface ExpectationSummary {
  name: string;
  heldCount: number;
  /** Runs that finished (failed runs decide no expectation). */
  runCount: number;
}

export interface FailingSeed {
  seed: number;
  /** Names of the expectations that failed. */
  failed: string[];
  /** Why the run did not finish, or null. */
  error: string | null;
  /** The command that runs this seed alone. */
  reproduce: string;
}

export interface SweepSummary {
  runCount: number;
  passedCount: number;
  failedCount: number;
  /** Failed runs that did not finish. */
  erroredCount: number;
  metrics: MetricSummary[];
  expectations: ExpectationSummary[];
  failingSeeds: FailingSeed[];
}

/** Which shards of the seed list a result holds; null when it holds every seed. */
export interface ShardSet {
  count: number;
  /** 1-based, ascending. */
  indexes: number[];
}

export interface SweepResult {
  sweepFormatVersion: typeof sweepFormatVersion;
  scenario: {
    name: string;
    /** The scenario file as given on the command line (reproduce commands use it). */
    file: string;
    /** Lower-case hex SHA-256 of the scenario's bytes. */
    hash: string;
  };
  /** The whole seed list (before sharding), canonical: `1..100`. */
  seeds: string;
  shard: ShardSet | null;
  /** Expectation names, in the scenario's order. */
  expectations: string[];
  summary: SweepSummary;
  runs: SweepRun[];
}
