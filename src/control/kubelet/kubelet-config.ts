// The kubelet's options with their defaults (upstream KubeletConfiguration v1beta1 defaults
// where one exists) and the node identity it registers with.

import type { KubeClient } from '../client/client.js';
import type { Clock } from '../ports/clock.js';
import type { ContainerRuntime } from '../ports/container-runtime.js';
import type { Rng } from '../ports/rng.js';
import type { JsonObject } from '../store/types.js';
import { assert } from '../util/assert.js';
import { gitVersion, minikuVersion } from '../version.js';
import type { NodeIdentity } from './node-status.js';

export interface KubeletOptions {
  client: KubeClient;
  /**
   * The client Events are written through: upstream's kubelet has one of its own, limited by
   * eventRecordQPS/eventBurst. Default: `client`.
   */
  eventClient?: KubeClient;
  /** The node's clock (it may be skewed); every timer and timestamp of the kubelet uses it. */
  clock: Clock;
  /** The kubelet's stream, e.g. `kubelet/worker-1#2`; forks identity, events, prober, ... */
  rng: Rng;
  runtime: ContainerRuntime;
  nodeName: string;
  /** One line per notable failure. Default: none. */
  log?: (message: string) => void;
  /** status.capacity, e.g. `{cpu: '4', memory: '8Gi', pods: '110'}`; pods defaults to 110. */
  capacity: Readonly<Record<string, string>>;
  /** status.allocatable. Default: capacity (no reservations, no hard eviction thresholds). */
  allocatable?: Readonly<Record<string, string>>;
  /** Labels beyond the standard hostname/os/arch ones. */
  labels?: Readonly<Record<string, string>>;
  /** Taints to register with (--register-with-taints). */
  taints?: readonly JsonObject[];
  /** The node's InternalIP (hostIP of its pods). Default '10.0.0.1'; set one per node. */
  nodeIp?: string;
  /** Port of the kubelet's server, reported in status.daemonEndpoints. Default 10250. */
  kubeletPort?: number;
  /** First three octets of the node's pod IPs: registers spec.podCIDR `<prefix>.0/24`. */
  podIpPrefix?: string;
  /** Node status check period. Default 10,000 ms. */
  nodeStatusUpdateFrequencyMs?: number;
  /**
   * Report the status at least this often even when unchanged. Default 300,000 ms, or the
   * update frequency when only that one is set (as upstream).
   */
  nodeStatusReportFrequencyMs?: number;
  /** Default 40. */
  nodeLeaseDurationSeconds?: number;
  /** Default 0.25 × nodeLeaseDurationSeconds (10,000 ms). */
  leaseRenewIntervalMs?: number;
  /** How often the runtime is relisted for container changes (PLEG). Default 1,000 ms. */
  plegRelistPeriodMs?: number;
  /** How often unknown pods' runtime objects are cleaned up. Default 2,000 ms. */
  housekeepingPeriodMs?: number;
  /** Every pod is synced at least this often; 0 turns it off. Default 60,000 ms. */
  podResyncPeriodMs?: number;
  /** Retry delay after a failed sync without its own back-off. Default 10,000 ms. */
  syncErrorRetryMs?: number;
  /** status.nodeInfo.containerRuntimeVersion; its scheme prefixes container ids. */
  containerRuntimeVersion?: string;
  /** Default 'amd64'. */
  architecture?: string;
  /** Default 'miniku (simulated)'. */
  osImage?: string;
  /** Default '6.8.0-miniku'. */
  kernelVersion?: string;
}

export const kubeletPort = 10250;

export function kubeletDefaults(options: KubeletOptions) {
  const duration = options.nodeLeaseDurationSeconds ?? 40;
  const updateMs = options.nodeStatusUpdateFrequencyMs ?? 10_000;
  const reportDefaultMs = options.nodeStatusUpdateFrequencyMs === undefined ? 300_000 : updateMs;
  const runtimeVersion = options.containerRuntimeVersion ?? `sim://${minikuVersion}`;
  const settings = {
    nodeStatusUpdateFrequencyMs: updateMs,
    nodeStatusReportFrequencyMs: options.nodeStatusReportFrequencyMs ?? reportDefaultMs,
    nodeLeaseDurationSeconds: duration,
    leaseRenewIntervalMs: options.leaseRenewIntervalMs ?? duration * 250,
    plegRelistPeriodMs: options.plegRelistPeriodMs ?? 1_000,
    housekeepingPeriodMs: options.housekeepingPeriodMs ?? 2_000,
    podResyncPeriodMs: options.podResyncPeriodMs ?? 60_000,
    syncErrorRetryMs: options.syncErrorRetryMs ?? 10_000,
    containerRuntimeVersion: runtimeVersion,
    runtimeName: runtimeVersion.includes('://')
      ? (runtimeVersion.split('://')[0] ?? '')
      : runtimeVersion,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'number') continue;
    assert(Number.isSafeInteger(value) && value >= 0, `${name} must be an integer ≥ 0`);
  }
  assert(settings.nodeStatusUpdateFrequencyMs > 0, 'nodeStatusUpdateFrequencyMs must be > 0');
  assert(settings.leaseRenewIntervalMs > 0, 'leaseRenewIntervalMs must be > 0');
  assert(settings.plegRelistPeriodMs > 0, 'plegRelistPeriodMs must be > 0');
  assert(settings.syncErrorRetryMs > 0, 'syncErrorRetryMs must be > 0');
  return settings;
}

function hex(rng: Rng, digits: number): string {
  let text = '';
  while (text.length < digits) text += rng.intBelow(0x1_0000).toString(16).padStart(4, '0');
  return text.slice(0, digits);
}

function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function nodeIdentity(
  options: KubeletOptions,
  settings: ReturnType<typeof kubeletDefaults>,
  rng: Rng,
): NodeIdentity {
  const capacity = { pods: '110', ...options.capacity };
  const architecture = options.architecture ?? 'amd64';
  return {
    nodeName: options.nodeName,
    hostname: options.nodeName.toLowerCase(),
    nodeIp: options.nodeIp ?? '10.0.0.1',
    capacity,
    allocatable: options.allocatable ?? capacity,
    labels: options.labels ?? {},
    taints: options.taints ?? [],
    podCidr: options.podIpPrefix === undefined ? '' : `${options.podIpPrefix}.0/24`,
    nodeInfo: {
      machineID: hex(rng, 32),
      systemUUID: uuid(rng),
      bootID: uuid(rng),
      kernelVersion: options.kernelVersion ?? '6.8.0-miniku',
      osImage: options.osImage ?? 'miniku (simulated)',
      containerRuntimeVersion: settings.containerRuntimeVersion,
      kubeletVersion: gitVersion,
      kubeProxyVersion: gitVersion,
      operatingSystem: 'linux',
      architecture,
    },
    kubeletPort: options.kubeletPort ?? kubeletPort,
  };
}
