// The typed model of a simulation report: what report.json, report.md and report.html render.
// Every field is documented in README.md beside this file; keep the two in step.

/** Pod phases, in the order the charts stack and list them. */
export const podPhases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof podPhases)[number];

/** Node Ready condition statuses, best first (the downsampler keeps the worst in a bucket). */
export const readinessStatuses = ['Ready', 'NotReady', 'Unknown'] as const;
export type ReadinessStatus = (typeof readinessStatuses)[number];

export type ExpectationKind = 'at' | 'by' | 'always' | 'eventually';

export interface ReportScenario {
  /** metadata.name of the scenario. */
  name: string;
  /** Lower-case hex SHA-256 of the scenario as the run read it (the producer decides the bytes). */
  hash: string;
}

export interface ExpectationResult {
  /** Human-readable name of the expectation, unique within a report. */
  name: string;
  kind: ExpectationKind;
  held: boolean;
  /** Virtual instant (ms since start) that decided the result; null when none did. */
  instantMs: number | null;
  /** One sentence saying what was observed. */
  message: string;
}

export interface FaultRecovery {
  /** The fault as the scenario states it, e.g. `crashNode worker-2`. */
  label: string;
  /** Virtual instant (ms since start) the fault took effect. */
  injectedAtMs: number;
  /** Virtual instant (ms since start) the cluster recovered; null when it never did. */
  recoveredAtMs: number | null;
}

/** One sample of a step series: `value` holds from `tMs` until the next sample's `tMs`. */
export interface StepSample {
  /** ms since the virtual start. */
  tMs: number;
  value: number;
}

/** Pod counts by phase at one instant (held until the next sample). */
export interface PhaseSample {
  tMs: number;
  counts: Readonly<Record<PodPhase, number>>;
}

export interface NodePodSeries {
  node: string;
  /** Pods bound to the node and not yet terminal, over time. */
  samples: readonly StepSample[];
}

/** A half-open interval [fromMs, toMs) of one Ready status. */
export interface ReadinessInterval {
  fromMs: number;
  toMs: number;
  status: ReadinessStatus;
}

export interface NodeReadiness {
  node: string;
  /** Sorted by fromMs, not overlapping; gaps mean the node did not exist (or had no status). */
  intervals: readonly ReadinessInterval[];
}

export interface ReportSeries {
  podsByPhase: readonly PhaseSample[];
  podsPerNode: readonly NodePodSeries[];
  nodeReadiness: readonly NodeReadiness[];
  /** Length of the scheduler's pending queue (active + backoff + unschedulable) over time. */
  pendingQueue: readonly StepSample[];
  /** Per bound pod: ms from entering the scheduling queue to the binding. */
  schedulingLatencyMs: readonly number[];
  /** Per pod that ran: ms from creation to Ready (upstream's pod startup latency SLI). */
  podStartupLatencyMs: readonly number[];
}

/**
 * Where one pod was first seen bound. `pod` is stable under unrelated changes (owner + creation
 * ordinal); `name` is the generated name, for people. See README.md for the exact definition.
 */
export interface Placement {
  /** ms since the virtual start when the pod's spec.nodeName was first observed set. */
  atMs: number;
  /** `<ownerKind>/<ownerNamespace>/<ownerName>#<ordinal>`, or `Pod/<namespace>/<name>`. */
  pod: string;
  /** `<namespace>/<name>` of the pod. */
  name: string;
  /** The node it was bound to. */
  node: string;
}

export interface ReportData {
  scenario: ReportScenario;
  /** The root seed the run used. */
  seed: number | string;
  /** minikuVersion (src/control/version.ts) of the build that ran. */
  minikuVersion: string;
  /** The virtual epoch, ms since the Unix epoch (the scenario's startTime). */
  virtualStartMs: number;
  /** The virtual instant the run stopped, ms since the Unix epoch; at least virtualStartMs. */
  virtualEndMs: number;
  /** Named numeric results; names are dotted lower camel case with the unit last. */
  metrics: Readonly<Record<string, number>>;
  expectations: readonly ExpectationResult[];
  faults: readonly FaultRecovery[];
  /** Lower-case hex SHA-256 of the run's full event stream. */
  streamSha256: string;
  series: ReportSeries;
  /** Every pod binding seen during the run, sorted by atMs then pod. */
  placements: readonly Placement[];
}
