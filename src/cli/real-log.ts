// Real mode's console log: one timestamped line per scheduling decision (from the scheduler's
// Recorder) and per pod lifecycle change (a pod informer: phase, readiness, restarts, the
// waiting or terminated reason, deletion).

import type { KubeObject } from '../control/client/types.js';
import { Informer } from '../control/client/informer.js';
import { coreResources } from '../control/client/resource-client.js';
import type { MetricRecord, Recorder, TraceRecord } from '../control/ports/recorder.js';
import { createRng } from '../control/rng/seeded-rng.js';
import type { ComponentContext, RunningComponent } from './real-components.js';
import { componentClient } from './real-components.js';

/** `2026-01-01T00:00:00.123Z <line>`. */
export function timestampedWriter(write: (text: string) => void): (line: string) => void {
  return (line) => write(`${new Date().toISOString()} ${line}\n`);
}

/** Writes each `scheduler.decision` summary as one line; drops everything else. */
export class DecisionLogRecorder implements Recorder {
  constructor(private readonly log: (line: string) => void) {}

  trace(record: TraceRecord): void {
    if (record.type !== 'scheduler.decision' || record.level !== 'summary') return;
    const { pod, chosen, feasibleNodeCount, nodeCount, message } = record.fields;
    const where =
      typeof chosen === 'string'
        ? `scheduled ${String(pod)} to ${chosen} (${String(feasibleNodeCount)}/${String(nodeCount)} nodes feasible)`
        : `cannot schedule ${String(pod)}: ${String(message ?? 'no node fits')}`;
    this.log(`scheduler: ${where}`);
  }

  metric(_record: MetricRecord): void {}
}

/** `Running 1/1 ready`, `Pending ErrImagePull 0/1 ready`, `… 2 restarts`. */
export function podSummary(pod: KubeObject): string {
  const status = (pod.status ?? {}) as {
    phase?: string;
    containerStatuses?: Array<{
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
    }>;
  };
  const containers = status.containerStatuses ?? [];
  const ready = containers.filter((c) => c.ready === true).length;
  const restarts = containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const reasons = containers
    .map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .filter((reason): reason is string => reason !== undefined);
  const parts = [status.phase ?? 'Pending', ...new Set(reasons)];
  if (containers.length > 0) parts.push(`${ready}/${containers.length} ready`);
  if (restarts > 0) parts.push(`${restarts} restarts`);
  return parts.join(' ');
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

function nodeOf(pod: KubeObject): string {
  const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
  return typeof nodeName === 'string' && nodeName !== '' ? ` on ${nodeName}` : '';
}

/** Watches every pod and logs a line whenever its summary changes. */
export function startPodLifecycleLog(context: ComponentContext): RunningComponent {
  const { client, transport } = componentClient(context, 'miniku-real-log', 'client-go');
  const informer = new Informer({
    client,
    resource: coreResources.pods,
    clock: context.clock,
    rng: createRng(context.seed, 'pod-log'),
  });
  const last = new Map<string, string>();
  const observe = (pod: KubeObject) => {
    const summary = `${podSummary(pod)}${nodeOf(pod)}`;
    const key = podKey(pod);
    if (last.get(key) === summary) return;
    last.set(key, summary);
    context.log(`pod ${key}: ${summary}`);
  };
  informer.addEventHandler({
    onAdd: observe,
    onUpdate: (_old, pod) => observe(pod),
    onDelete: (pod) => {
      last.delete(podKey(pod));
      context.log(`pod ${podKey(pod)}: deleted`);
    },
  });
  informer.start();
  return {
    stop: async () => {
      informer.stop();
      transport.close();
    },
  };
}
