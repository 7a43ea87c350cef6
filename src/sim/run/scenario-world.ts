// From a parsed scenario to the cluster world's options: nodes from the pools, the control
// plane's knobs, the runtime's behaviour. A runtime distribution is drawn anew for every pull,
// start or exit, from each node runtime's own stream; a constant stays a plain number.
import type { JsonObject } from '../../control/store/types.js';
import type { Rng } from '../../control/ports/rng.js';
import type {
  ClientComponent,
  ClientRateLimit,
} from '../../control/controllers/client-defaults.js';
import type { ClusterNodeSpec, ClusterWorldOptions } from '../cluster-world.js';
import type { SimDurationMs, SimImageScript, SimRuntimeBehavior } from '../sim-runtime.js';
import type {
  ClientSettings,
  ControlPlaneSettings,
  Distribution,
  ImageScript,
  NodePool,
  Scenario,
} from '../scenario/scenario-model.js';
import { drawMs } from './distributions.js';

/** Time before t=0 the bootstrap gives nodes to register and turn Ready. */
export const bootstrapLeadMs = 15_000;

/** The nodes of every pool, named `<pool>-<index>`, zones assigned round-robin. */
export function poolNodes(scenario: Scenario): ClusterNodeSpec[] {
  return scenario.spec.nodePools.flatMap((pool) =>
    Array.from({ length: pool.count }, (_, i) => poolNodeSpec(pool, i)),
  );
}

/** Node `<pool>-<index>` of a pool (also for nodes `addNodes` adds later). */
export function poolNodeSpec(pool: NodePool, index: number): ClusterNodeSpec {
  const node: ClusterNodeSpec = {
    name: `${pool.name}-${index}`,
    capacity: pool.capacity,
    labels: { ...pool.labels },
  };
  const zones = pool.zones;
  if (zones !== undefined && zones.length > 0) node.zone = zones[index % zones.length] as string;
  if (pool.taints.length > 0) node.taints = pool.taints.map((t) => ({ ...t }) as JsonObject);
  return node;
}

/** A constant as its ms; any other distribution as a draw the runtime makes each time. */
function durationOf(distribution: Distribution): SimDurationMs {
  if (distribution.kind === 'constant') return distribution.valueMs;
  return (rng: Rng) => drawMs(distribution, rng);
}

function imageScript(script: ImageScript): SimImageScript {
  const out: SimImageScript = { failPull: script.failPull };
  if (script.pull !== undefined) out.pullMs = durationOf(script.pull);
  if (script.sizeBytes !== undefined) out.sizeBytes = script.sizeBytes;
  if (script.exitAfter !== undefined) out.exitAfterMs = durationOf(script.exitAfter);
  if (script.exitCode !== undefined) out.exitCode = script.exitCode;
  if (script.memoryBytes !== undefined) out.memoryBytes = script.memoryBytes;
  if (script.memoryAfterMs !== undefined) out.memoryAfterMs = script.memoryAfterMs;
  if (script.ignoreSigterm) out.terminationDelayMs = Number.MAX_SAFE_INTEGER;
  else if (script.terminationDelayMs !== undefined) {
    out.terminationDelayMs = script.terminationDelayMs;
  }
  if (script.sigtermExitCode !== undefined) out.sigtermExitCode = script.sigtermExitCode;
  if (script.logLines !== undefined) out.logLines = script.logLines;
  if (script.exec !== undefined) out.exec = { ...script.exec };
  if (script.listen !== undefined) out.listen = script.listen.map((l) => ({ ...l }));
  return out;
}

export function runtimeBehavior(scenario: Scenario): SimRuntimeBehavior {
  const runtime = scenario.spec.runtime;
  const images: Record<string, SimImageScript> = {};
  Object.keys(runtime.images)
    .sort()
    .forEach((name) => {
      images[name] = imageScript(runtime.images[name] as ImageScript);
    });
  return {
    imagePullMs: durationOf(runtime.imagePull),
    containerStartMs: durationOf(runtime.containerStart),
    images,
  };
}

/** `fields` without its undefined entries: an option left out keeps the component's default. */
function definedOnly<T extends object>(fields: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as T;
}

type Options = Omit<ClusterWorldOptions, 'drain' | 'seed'>;

function nodeLifecycleOptions(
  cm: ControlPlaneSettings['controllerManager'],
): Options['nodeLifecycle'] {
  return definedOnly({
    nodeMonitorPeriodMs: cm.nodeMonitorPeriodMs,
    nodeMonitorGracePeriodMs: cm.nodeMonitorGracePeriodMs,
    nodeStartupGracePeriodMs: cm.nodeStartupGracePeriodMs,
    evictionLimiterQps: cm.nodeEvictionRate,
    secondaryEvictionLimiterQps: cm.secondaryNodeEvictionRate,
    largeClusterSizeThreshold: cm.largeClusterSizeThreshold,
    unhealthyZoneThreshold: cm.unhealthyZoneThreshold,
  });
}

function kubeletOptions(kubelet: ControlPlaneSettings['kubelet']): Options['kubelet'] {
  return definedOnly({
    nodeStatusUpdateFrequencyMs: kubelet.nodeStatusUpdateFrequencyMs,
    nodeStatusReportFrequencyMs: kubelet.nodeStatusReportFrequencyMs,
    nodeLeaseDurationSeconds: kubelet.nodeLeaseDurationSeconds,
    podResyncPeriodMs: kubelet.syncFrequencyMs,
  });
}

/** The cluster world's options for a scenario (the caller adds the drain and the recorder). */
export function clusterOptions(scenario: Scenario): Options {
  const spec = scenario.spec;
  const cp = spec.controlPlane;
  return {
    startMs: spec.bootstrap ? spec.startTimeMs - bootstrapLeadMs : spec.startTimeMs,
    admission: definedOnly({
      defaultNotReadyTolerationSeconds: cp.apiServer.defaultNotReadyTolerationSeconds,
      defaultUnreachableTolerationSeconds: cp.apiServer.defaultUnreachableTolerationSeconds,
    }),
    nodes: poolNodes(scenario),
    runtime: runtimeBehavior(scenario),
    nodeLifecycle: nodeLifecycleOptions(cp.controllerManager),
    kubelet: kubeletOptions(cp.kubelet),
    clientRateLimits: clientRateLimits(cp),
    ...definedOnly({ terminatedPodGcThreshold: cp.controllerManager.terminatedPodGCThreshold }),
  };
}

/** One client's rate limits as set in the scenario (unset fields keep upstream's defaults). */
function rateLimit(qps: number | undefined, burst: number | undefined): Partial<ClientRateLimit> {
  const out: Partial<ClientRateLimit> = {};
  if (qps !== undefined) out.qps = qps;
  if (burst !== undefined) out.burst = burst;
  return out;
}

/**
 * The clients' rate limits the scenario sets: kubeAPIQPS/kubeAPIBurst of the controller manager
 * (every controller's client), the scheduler and the kubelets; eventRecordQPS/eventBurst of the
 * kubelets' event clients. Only the clients with a knob set appear.
 */
export function clientRateLimits(
  cp: ControlPlaneSettings,
): Partial<Record<ClientComponent, Partial<ClientRateLimit>>> {
  const api = (settings: ClientSettings) => rateLimit(settings.kubeAPIQPS, settings.kubeAPIBurst);
  const entries: [ClientComponent, Partial<ClientRateLimit>][] = [
    ['kube-controller-manager', api(cp.controllerManager)],
    ['kube-scheduler', api(cp.scheduler)],
    ['kubelet', api(cp.kubelet)],
    ['kubelet-events', rateLimit(cp.kubelet.eventRecordQPS, cp.kubelet.eventBurst)],
  ];
  return Object.fromEntries(entries.filter(([, limit]) => Object.keys(limit).length > 0));
}
