// The informers the node lifecycle and taint eviction controllers read: nodes, pods indexed by
// spec.nodeName (getPodsAssignedToNode), and node Leases in kube-node-lease.
import { coreResources } from '../../client/resource-client.js';
import type { KubeClient } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';

/** Index of the pod informer: the node a pod is bound to. */
export const podNodeNameIndex = 'spec.nodeName';
/** Where kubelets keep their heartbeat Leases. */
export const nodeLeaseNamespace = 'kube-node-lease';

/** spec.nodeName of a pod, '' when unbound. */
export function nodeNameOf(pod: KubeObject): string {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}

function podNodeNames(pod: KubeObject): readonly string[] {
  const name = nodeNameOf(pod);
  return name === '' ? [] : [name];
}

export interface InformerContext {
  client: KubeClient;
  clock: Clock;
  rng: Rng;
  /** 0 = no resync. */
  resyncPeriodMs?: number;
}

export function newNodeInformer(context: InformerContext): Informer {
  return new Informer({
    client: context.client,
    resource: coreResources.nodes,
    clock: context.clock,
    rng: context.rng.fork('node-informer'),
    resyncPeriodMs: context.resyncPeriodMs ?? 0,
  });
}

export function newPodInformer(context: InformerContext): Informer {
  return new Informer({
    client: context.client,
    resource: coreResources.pods,
    clock: context.clock,
    rng: context.rng.fork('pod-informer'),
    resyncPeriodMs: context.resyncPeriodMs ?? 0,
    indexers: { [podNodeNameIndex]: podNodeNames },
  });
}

export function newLeaseInformer(context: InformerContext): Informer {
  return new Informer({
    client: context.client,
    resource: coreResources.leases,
    namespace: nodeLeaseNamespace,
    clock: context.clock,
    rng: context.rng.fork('lease-informer'),
    resyncPeriodMs: context.resyncPeriodMs ?? 0,
  });
}
