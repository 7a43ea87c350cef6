// From a parsed scenario to the cluster world's options: nodes from the pools, the control
// plane's knobs, the runtime's behaviour. Distributions of the runtime are drawn once per run
// from the `runtime` stream (per-pull draws are not supported by the sim runtime yet).
import type { JsonObject } from '../../control/store/types.js';
import type { Rng } from '../../control/ports/rng.js';
import type { ClusterNodeSpec, ClusterWorldOptions } from '../cluster-world.js';
import type { SimImageScript, SimRuntimeBehavior } from '../sim-runtime.js';
import type { ImageScript, NodePool, Scenario } from '../scenario/scenario-model.js';
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

function imageScript(script: ImageScript, rng: Rng): SimImageScript {
  const out: SimImageScript = { failPull: script.failPull };
  if (script.pull !== undefined) out.pullMs = drawMs(script.pull, rng);
  if (script.sizeBytes !== undefined) out.sizeBytes = script.sizeBytes;
  if (script.exitAfter !== undefined) out.exitAfterMs = drawMs(script.exitAfter, rng);
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

export function runtimeBehavior(scenario: Scenario, rng: Rng): SimRuntimeBehavior {
  const runtime = scenario.spec.runtime;
  const images: Record<string, SimImageScript> = {};
  Object.keys(runtime.images)
    .sort()
    .forEach((name, i) => {
      images[name] = imageScript(runtime.images[name] as ImageScript, rng.fork(`image-${i}`));
    });
  return {
    imagePullMs: drawMs(runtime.imagePull, rng),
    containerStartMs: drawMs(runtime.containerStart, rng),
    images,
  };
}

/** The cluster world's options for a scenario (the caller adds the drain and the recorder). */
export function clusterOptions(
  scenario: Scenario,
  rng: Rng,
): Omit<ClusterWorldOptions, 'drain' | 'seed'> {
  const spec = scenario.spec;
  const cm = spec.controlPlane.controllerManager;
  const kubelet = spec.controlPlane.kubelet;
  const nodeLifecycle: ClusterWorldOptions['nodeLifecycle'] = {};
  if (cm.nodeMonitorPeriodMs !== undefined)
    nodeLifecycle.nodeMonitorPeriodMs = cm.nodeMonitorPeriodMs;
  if (cm.nodeMonitorGracePeriodMs !== undefined) {
    nodeLifecycle.nodeMonitorGracePeriodMs = cm.nodeMonitorGracePeriodMs;
  }
  if (cm.nodeStartupGracePeriodMs !== undefined) {
    nodeLifecycle.nodeStartupGracePeriodMs = cm.nodeStartupGracePeriodMs;
  }
  if (cm.nodeEvictionRate !== undefined) nodeLifecycle.evictionLimiterQps = cm.nodeEvictionRate;
  if (cm.secondaryNodeEvictionRate !== undefined) {
    nodeLifecycle.secondaryEvictionLimiterQps = cm.secondaryNodeEvictionRate;
  }
  if (cm.largeClusterSizeThreshold !== undefined) {
    nodeLifecycle.largeClusterSizeThreshold = cm.largeClusterSizeThreshold;
  }
  if (cm.unhealthyZoneThreshold !== undefined) {
    nodeLifecycle.unhealthyZoneThreshold = cm.unhealthyZoneThreshold;
  }
  const kubeletOptions: ClusterWorldOptions['kubelet'] = {};
  if (kubelet.nodeStatusUpdateFrequencyMs !== undefined) {
    kubeletOptions.nodeStatusUpdateFrequencyMs = kubelet.nodeStatusUpdateFrequencyMs;
  }
  if (kubelet.nodeStatusReportFrequencyMs !== undefined) {
    kubeletOptions.nodeStatusReportFrequencyMs = kubelet.nodeStatusReportFrequencyMs;
  }
  if (kubelet.nodeLeaseDurationSeconds !== undefined) {
    kubeletOptions.nodeLeaseDurationSeconds = kubelet.nodeLeaseDurationSeconds;
  }
  const startMs = spec.bootstrap ? spec.startTimeMs - bootstrapLeadMs : spec.startTimeMs;
  const apiServer = spec.controlPlane.apiServer;
  const admission: ClusterWorldOptions['admission'] = {};
  if (apiServer.defaultNotReadyTolerationSeconds !== undefined) {
    admission.defaultNotReadyTolerationSeconds = apiServer.defaultNotReadyTolerationSeconds;
  }
  if (apiServer.defaultUnreachableTolerationSeconds !== undefined) {
    admission.defaultUnreachableTolerationSeconds = apiServer.defaultUnreachableTolerationSeconds;
  }
  return {
    startMs,
    admission,
    nodes: poolNodes(scenario),
    runtime: runtimeBehavior(scenario, rng.fork('runtime')),
    nodeLifecycle,
    kubelet: kubeletOptions,
  };
}
