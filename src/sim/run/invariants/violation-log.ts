// The built-in invariants' names and the bounded log of their violations.

/** The built-in invariants every `miniku sim run` checks; stable names (reports show them). */
export const invariantNames = [
  'node-overcommit',
  'pod-on-two-nodes',
  'binding-passed-filters',
  'resource-version-order',
  'acknowledged-write-kept',
  'watch-delivery-order',
  // Not an invariant of the cluster: the checker itself threw (a bug to report).
  'checker-error',
] as const;

export type InvariantName = (typeof invariantNames)[number];

export interface InvariantViolation {
  invariant: InvariantName;
  /** Engine time of the event that broke it, ms since the Unix epoch (virtual). */
  atMs: number;
  message: string;
}

/** Where a check reports a violation. */
export type ReportViolation = (invariant: InvariantName, message: string) => void;

export interface ViolationLogOptions {
  /** Engine time, ms. */
  nowMs: () => number;
  /** Most violations kept; later ones are only counted. */
  violationCountMax: number;
}

/** Keeps the first `violationCountMax` violations and counts every one by invariant. */
export class ViolationLog {
  private readonly nowMs: () => number;
  private readonly violationCountMax: number;
  private readonly kept: InvariantViolation[] = [];
  private readonly countByName = new Map<InvariantName, number>();
  private total = 0;

  constructor(options: ViolationLogOptions) {
    this.nowMs = options.nowMs;
    this.violationCountMax = options.violationCountMax;
  }

  readonly report: ReportViolation = (invariant, message) => {
    this.total += 1;
    this.countByName.set(invariant, (this.countByName.get(invariant) ?? 0) + 1);
    if (this.kept.length < this.violationCountMax) {
      this.kept.push({ invariant, atMs: this.nowMs(), message });
    }
  };

  /** The kept violations, oldest first (a copy). */
  violations(): InvariantViolation[] {
    return this.kept.map((v) => ({ ...v }));
  }

  /** Every violation reported, kept or not. */
  get totalCount(): number {
    return this.total;
  }

  /** Violations reported per invariant (zero for the ones that held). */
  counts(): Record<InvariantName, number> {
    const out = {} as Record<InvariantName, number>;
    for (const name of invariantNames) out[name] = this.countByName.get(name) ?? 0;
    return out;
  }
}
