// Pure zone decisions of the node lifecycle controller: zone keys, zone states from Ready
// conditions (ComputeZoneState) and the per-zone NoExecute tainting rates (handleDisruption).
//
// Zone states: FullDisruption = no Ready node and at least one not-ready node; PartialDisruption
// = more than 2 not-ready nodes and notReady/(notReady+ready) ≥ unhealthyZoneThreshold; Normal
// otherwise. A missing Ready condition counts as not ready. Rates (nodes tainted per second):
// Normal → evictionLimiterQps; PartialDisruption → secondaryEvictionLimiterQps when the zone has
// more than largeClusterSizeThreshold nodes, else 0; FullDisruption → evictionLimiterQps, unless
// every zone is fully disrupted: then the controller enters "master disruption mode" (removes
// every NoExecute taint it placed and sets every rate to 0) until some zone recovers, when it
// gives every node a fresh grace period and restores the rates of the zones' new states.
import { compareGoStrings } from '../../api/values/go-format.js';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export const zoneLabel = 'topology.kubernetes.io/zone';
export const regionLabel = 'topology.kubernetes.io/region';
export const betaZoneLabel = 'failure-domain.beta.kubernetes.io/zone';
export const betaRegionLabel = 'failure-domain.beta.kubernetes.io/region';
/** Nodes carrying this label (any value) are left out of the zone counts. */
export const excludeDisruptionLabel = 'node.kubernetes.io/exclude-disruption';

export interface ZoneRates {
  /** --node-eviction-rate: nodes per second, default 0.1. */
  evictionLimiterQps: number;
  /** --secondary-node-eviction-rate, default 0.01. */
  secondaryEvictionLimiterQps: number;
  /** --large-cluster-size-threshold, default 50. */
  largeClusterSizeThreshold: number;
  /** --unhealthy-zone-threshold, default 0.55. */
  unhealthyZoneThreshold: number;
}

/**
 * GetZoneKey: `<region>:\0:<zone>` from the GA labels (beta labels as fallback), '' when the
 * node has neither; so a cluster without zone labels is one zone.
 */
export function zoneKeyOf(labels: Readonly<Record<string, string>> | undefined): string {
  const zone = labels?.[zoneLabel] ?? labels?.[betaZoneLabel] ?? '';
  const region = labels?.[regionLabel] ?? labels?.[betaRegionLabel] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\u0000:${zone}`;
}

export function isExcludedFromDisruption(
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return (
    labels !== undefined && Object.prototype.hasOwnProperty.call(labels, excludeDisruptionLabel)
  );
}

/** ComputeZoneState over the Ready statuses of a zone's nodes (undefined: no condition). */
export function computeZoneState(
  readyStatuses: readonly (string | undefined)[],
  unhealthyZoneThreshold: number,
): { notReadyCount: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const status of readyStatuses) {
    if (status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReadyCount: notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) {
    return { notReadyCount: notReady, state: 'PartialDisruption' };
  }
  return { notReadyCount: notReady, state: 'Normal' };
}

/** setLimiterInZone: the tainting rate of a zone of `zoneSize` nodes in `state`. */
export function taintingQpsFor(state: ZoneState, zoneSize: number, rates: ZoneRates): number {
  switch (state) {
    case 'Normal':
    case 'FullDisruption':
      return rates.evictionLimiterQps;
    case 'PartialDisruption':
      return zoneSize > rates.largeClusterSizeThreshold ? rates.secondaryEvictionLimiterQps : 0;
    case 'Initial':
      return rates.evictionLimiterQps;
  }
}

export type DisruptionMode =
  /** Nothing to change but the bookkeeping of zones that appeared or vanished. */
  | 'none'
  /** Some zones changed state: swap their rates. */
  | 'update'
  /** Every zone is now fully disrupted: untaint every node, every rate 0. */
  | 'enterFullDisruption'
  /** Leaving master disruption mode: fresh grace period for every node, rates per new state. */
  | 'exitFullDisruption';

export interface DisruptionPlan {
  mode: DisruptionMode;
  /** The zone states to keep, in zone key order. */
  nextStates: Map<string, ZoneState>;
  /** Zones whose tainting rate changes, and the new rate, in zone key order. */
  rates: Map<string, number>;
}

function sortedKeys<T>(map: ReadonlyMap<string, T>): string[] {
  return [...map.keys()].sort(compareGoStrings);
}

/**
 * handleDisruption as a pure plan. `zoneReadyStatuses` holds, per zone, the Ready statuses of
 * the nodes updated this pass; `previousStates` the states kept so far. Zones missing from this
 * pass are dropped; new ones start Initial.
 */
export function planDisruption(
  previousStates: ReadonlyMap<string, ZoneState>,
  zoneReadyStatuses: ReadonlyMap<string, readonly (string | undefined)[]>,
  rates: ZoneRates,
): DisruptionPlan {
  const zones = sortedKeys(zoneReadyStatuses);
  const newStates = new Map<string, ZoneState>();
  for (const zone of zones) {
    const statuses = zoneReadyStatuses.get(zone) ?? [];
    newStates.set(zone, computeZoneState(statuses, rates.unhealthyZoneThreshold).state);
  }
  const kept = new Map<string, ZoneState>();
  for (const zone of zones) kept.set(zone, previousStates.get(zone) ?? 'Initial');
  const allAre = [...newStates.values()].every((s) => s === 'FullDisruption');
  const allWas = [...kept.values()].every((s) => s === 'FullDisruption');
  const sizeOf = (zone: string) => zoneReadyStatuses.get(zone)?.length ?? 0;
  const rateChanges = new Map<string, number>();
  if (allAre && allWas) return { mode: 'none', nextStates: kept, rates: rateChanges };
  if (allAre) {
    for (const zone of zones) {
      kept.set(zone, 'FullDisruption');
      rateChanges.set(zone, 0);
    }
    return { mode: 'enterFullDisruption', nextStates: kept, rates: rateChanges };
  }
  let changed = false;
  for (const zone of zones) {
    const next = newStates.get(zone) as ZoneState;
    if (!allWas && kept.get(zone) === next) continue;
    rateChanges.set(zone, taintingQpsFor(next, sizeOf(zone), rates));
    kept.set(zone, next);
    changed = true;
  }
  const mode: DisruptionMode = allWas ? 'exitFullDisruption' : changed ? 'update' : 'none';
  return { mode, nextStates: kept, rates: rateChanges };
}
