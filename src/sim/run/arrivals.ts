// Poisson arrival workloads (`workloads[].poisson`): the pods one arrival process creates, and
// when, computed up front from the process's own Rng stream.
import type { Rng } from '../../control/ports/rng.js';
import type { JsonObject } from '../../control/store/types.js';
import { assert } from '../../control/util/assert.js';
import type { Workload } from '../scenario/scenario-model.js';

export type PoissonWorkload = Extract<Workload, { kind: 'poisson' }>;

/** One pod of an arrival process: created `atMs` after the start of the run. */
export interface Arrival {
  atMs: number;
  /** The template with `metadata.name` = `<namePrefix><n>`, n from 0 in time order. */
  object: JsonObject;
}

/**
 * The arrivals of one Poisson process, in time order. Gaps are exponential with mean
 * 1000 / ratePerSecond ms (inverse transform of one `rng.float()` each); the first arrival comes
 * one gap after `atMs`; an arrival's time is the exact sum of the gaps so far, rounded down to
 * whole ms (so times never decrease); arrivals at or after `untilMs` are dropped and at most
 * `countMax` are made. Pure: the same workload and a fresh stream of the same path give the same
 * list, so pass a stream forked for this workload alone (e.g. `rng.fork('arrivals').fork('0')`).
 */
export function poissonArrivals(workload: PoissonWorkload, rng: Rng): Arrival[] {
  const { atMs, untilMs, ratePerSecond, countMax } = workload;
  assert(ratePerSecond > 0 && Number.isFinite(ratePerSecond), 'ratePerSecond must be > 0');
  assert(Number.isSafeInteger(countMax) && countMax >= 0, 'countMax must be an integer ≥ 0');
  assert(untilMs >= 0, 'untilMs must be resolved to an instant (parseScenario does it)');
  const meanGapMs = 1000 / ratePerSecond;
  const arrivals: Arrival[] = [];
  let exactMs = atMs;
  while (arrivals.length < countMax) {
    // 1 - u is in (0, 1], so the log is finite and the gap ≥ 0.
    exactMs += -meanGapMs * Math.log(1 - rng.float());
    const arrivalMs = Math.floor(exactMs);
    if (arrivalMs >= untilMs) break;
    arrivals.push({ atMs: arrivalMs, object: podNamed(workload, arrivals.length) });
  }
  return arrivals;
}

/**
 * The workloads with every Poisson process replaced, in place, by one `apply` workload per
 * arrival (in time order); process i of the list draws from `rng.fork(String(i))`. Apply
 * workloads are kept as they are.
 */
export function expandArrivals(workloads: readonly Workload[], rng: Rng): Workload[] {
  return workloads.flatMap((workload, i): Workload[] => {
    if (workload.kind !== 'poisson') return [workload];
    return poissonArrivals(workload, rng.fork(String(i))).map((arrival) => ({
      kind: 'apply',
      atMs: arrival.atMs,
      objects: [arrival.object],
    }));
  });
}

function podNamed(workload: PoissonWorkload, n: number): JsonObject {
  const template = structuredClone(workload.template);
  const metadata = (template['metadata'] ?? {}) as JsonObject;
  return { ...template, metadata: { ...metadata, name: `${workload.namePrefix}${n}` } };
}
