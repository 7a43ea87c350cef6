// The pure decisions of one ReplicaSet sync (replica_set.go's manageReplicas and
// controller_utils.go's GetPodFromTemplate): how many pods to create or which to delete, and
// the pod a create sends. The controller file only carries them out through the API.

import { validateName } from '../../api/types/meta.js';
import type { KubeObject } from '../../client/types.js';
import { assert } from '../../util/assert.js';
import { podsToDelete } from './active-pods-ranking.js';
import type { OwnerReference } from './controller-ref.js';
import { recordAt, stringMapOf } from './pod-fields.js';
import { podTemplateOf } from './replica-set-status.js';

/** Upstream's BurstReplicas: most creates or deletes one sync issues. */
export const burstReplicasDefault = 500;

/** What manageReplicas does: nothing, create `count` pods, or delete `victims`. */
export type ReplicaPlan =
  { kind: 'none' } | { kind: 'create'; count: number } | { kind: 'delete'; victims: KubeObject[] };

export interface ReplicaPlanInput {
  /** spec.replicas. */
  desiredReplicas: number;
  /** The active pods the ReplicaSet controls (after claiming), in a stable order. */
  activePods: readonly KubeObject[];
  /**
   * Pods of every ReplicaSet with the same controller (for the same-node ranks); empty for a
   * ReplicaSet without a controller, as upstream.
   */
  relatedPods: readonly KubeObject[];
  /** Most creates/deletes per sync. Default 500. */
  burstReplicas?: number;
  /** Reference time of the victim ranking. */
  nowMs: number;
}

/**
 * manageReplicas' decision: diff = active pods − spec.replicas, capped at burstReplicas in
 * absolute value; a shortfall creates, a surplus deletes the first pods in deletion order.
 */
export function planReplicas(input: ReplicaPlanInput): ReplicaPlan {
  const burst = input.burstReplicas ?? burstReplicasDefault;
  assert(Number.isSafeInteger(burst) && burst > 0, 'burstReplicas must be a positive integer');
  const diff = input.activePods.length - input.desiredReplicas;
  if (diff < 0) return { kind: 'create', count: Math.min(-diff, burst) };
  if (diff === 0) return { kind: 'none' };
  const count = Math.min(diff, burst);
  const victims = podsToDelete(input.activePods, count, {
    nowMs: input.nowMs,
    relatedPods: input.relatedPods,
  });
  return { kind: 'delete', victims };
}

/**
 * getPodsPrefix: `<name>-`, or the bare name when `<name>-` is not a valid generateName (a
 * 253-character name); the API server appends the random suffix.
 */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  return validateName('dns1123-subdomain', prefix, true).length === 0 ? prefix : controllerName;
}

function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * GetPodFromTemplate: a Pod with the template's labels, annotations and finalizers (each only
 * when present), `generateName` from the controller's name, the controller reference, and a
 * copy of the template's spec.
 */
export function podFromTemplate(controller: KubeObject, reference: OwnerReference): KubeObject {
  const template = podTemplateOf(controller);
  const templateMeta = recordAt(template.metadata);
  const metadata: KubeObject['metadata'] = {};
  const labels = stringMapOf(templateMeta.labels);
  if (labels !== undefined) metadata.labels = { ...labels };
  const annotations = stringMapOf(templateMeta.annotations);
  if (annotations !== undefined) metadata.annotations = { ...annotations };
  metadata.generateName = podNamePrefix(controller.metadata.name ?? '');
  if (Array.isArray(templateMeta.finalizers)) {
    metadata.finalizers = templateMeta.finalizers.filter((f): f is string => typeof f === 'string');
  }
  metadata.ownerReferences = [{ ...reference }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: copyJson(recordAt(template.spec)) };
}
