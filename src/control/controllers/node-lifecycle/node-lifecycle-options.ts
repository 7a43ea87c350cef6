// Options of the node lifecycle controller: every knob with its unit, upstream's defaults, and
// the checks that reject nonsense values (programmer errors).
import type { KubeClient } from '../../client/client.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert } from '../../util/assert.js';
import type { ZoneRates } from './zone-state.js';

/** Upstream defaults (kube-controller-manager v1.32 flags and constants). */
export const nodeLifecycleDefaults = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionLimiterQps: 0.1,
  secondaryEvictionLimiterQps: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  taintingPassPeriodMs: 100,
  nodeUpdateWorkerCount: 8,
  podUpdateWorkerCount: 4,
  nodeHealthUpdateTryCountMax: 5,
  nodeHealthRetryMs: 20,
  taintEviction: true,
  recordEvents: true,
} as const;

export interface NodeLifecycleControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `informers`, `events`, `writes`, `taint-eviction`. */
  rng: Rng;
  /** One line per notable decision or failure. Default: none. */
  log?: (message: string) => void;
  /** --node-monitor-period. Default 5,000 ms. */
  nodeMonitorPeriodMs?: number;
  /** --node-monitor-grace-period. Default 50,000 ms (v1.32). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period, for nodes that never posted Ready. Default 60,000 ms. */
  nodeStartupGracePeriodMs?: number;
  /** --node-eviction-rate: nodes tainted NoExecute per second and zone. Default 0.1. */
  evictionLimiterQps?: number;
  /** --secondary-node-eviction-rate, in a partially disrupted large zone. Default 0.01. */
  secondaryEvictionLimiterQps?: number;
  /** --large-cluster-size-threshold: a partially disrupted zone of at most this many nodes
   * stops NoExecute tainting. Default 50. */
  largeClusterSizeThreshold?: number;
  /** --unhealthy-zone-threshold: not-ready fraction of a partially disrupted zone. Default 0.55. */
  unhealthyZoneThreshold?: number;
  /** NodeEvictionPeriod: pause between NoExecute tainting passes. Default 100 ms. */
  taintingPassPeriodMs?: number;
  /** Parallel node health updates per pass, and NoSchedule workers. Default 8. */
  nodeUpdateWorkerCount?: number;
  /** Workers marking newly bound pods not ready. Default 4. */
  podUpdateWorkerCount?: number;
  /** Tries of one node's health update per pass (NodeHealthUpdateRetry). Default 5. */
  nodeHealthUpdateTryCountMax?: number;
  /** Wait before re-trying a failed node health update. Default 20 ms. */
  nodeHealthRetryMs?: number;
  /** Run the taint eviction controller on the same informers. Default true. */
  taintEviction?: boolean;
  /** Write node-controller events (RegisteredNode, NodeNotReady, ...). Default true. */
  recordEvents?: boolean;
}

/** The options with every default filled in. */
export type NodeLifecycleSettings = Required<Omit<NodeLifecycleControllerOptions, 'log'>> & {
  log?: (message: string) => void;
};

const positiveIntegers = [
  'nodeMonitorPeriodMs',
  'nodeMonitorGracePeriodMs',
  'nodeStartupGracePeriodMs',
  'taintingPassPeriodMs',
  'nodeUpdateWorkerCount',
  'podUpdateWorkerCount',
  'nodeHealthUpdateTryCountMax',
  'nodeHealthRetryMs',
] as const;

/** Fills the defaults in and asserts every knob is sane. */
export function nodeLifecycleSettings(
  options: NodeLifecycleControllerOptions,
): NodeLifecycleSettings {
  const s: NodeLifecycleSettings = { ...nodeLifecycleDefaults, ...options };
  for (const name of positiveIntegers) {
    assert(Number.isSafeInteger(s[name]) && s[name] > 0, `${name} must be a positive integer`);
  }
  for (const name of ['evictionLimiterQps', 'secondaryEvictionLimiterQps'] as const) {
    assert(Number.isFinite(s[name]) && s[name] >= 0, `${name} must be a finite number ≥ 0`);
  }
  assert(
    Number.isSafeInteger(s.largeClusterSizeThreshold) && s.largeClusterSizeThreshold >= 0,
    'largeClusterSizeThreshold must be an integer ≥ 0',
  );
  const threshold = s.unhealthyZoneThreshold;
  assert(threshold > 0 && threshold <= 1, 'unhealthyZoneThreshold must be in (0, 1]');
  return s;
}

export function zoneRatesOf(s: NodeLifecycleSettings): ZoneRates {
  return {
    evictionLimiterQps: s.evictionLimiterQps,
    secondaryEvictionLimiterQps: s.secondaryEvictionLimiterQps,
    largeClusterSizeThreshold: s.largeClusterSizeThreshold,
    unhealthyZoneThreshold: s.unhealthyZoneThreshold,
  };
}
