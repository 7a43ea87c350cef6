// Adoption and orphaning of ReplicaSets by a Deployment (BaseControllerRefManager.ClaimObject and
// the ReplicaSetControllerRefManager patches), as pure decisions and patch bodies.

import type { KubeObject } from '../../client/types.js';
import type { Deployment } from './deployment-objects.js';
import { controllerOf, controllerRefTo, uidOf } from './deployment-objects.js';

/**
 * - `owned`: controlled by this Deployment and selected: claimed, nothing to write;
 * - `adopt`: an orphan that is selected: claim it by adding a controller reference;
 * - `release`: controlled by this Deployment but no longer selected: remove the reference;
 * - `ignore`: someone else's, or not ours to take or release now.
 */
export type ClaimDecision = 'owned' | 'adopt' | 'release' | 'ignore';

/**
 * ClaimObject for one ReplicaSet. A Deployment being deleted keeps what it owns and selects but
 * neither adopts nor releases; an orphan being deleted, or in another namespace, is left alone.
 */
export function claimDecision(
  deployment: Deployment,
  rs: KubeObject,
  selected: boolean,
): ClaimDecision {
  const ref = controllerOf(rs);
  const deploymentDeleting = deployment.metadata.deletionTimestamp !== undefined;
  if (ref !== undefined) {
    if (ref.uid !== uidOf(deployment)) return 'ignore';
    if (selected) return 'owned';
    return deploymentDeleting ? 'ignore' : 'release';
  }
  if (deploymentDeleting || !selected) return 'ignore';
  if (rs.metadata.deletionTimestamp !== undefined) return 'ignore';
  const namespace = deployment.metadata.namespace ?? '';
  if (namespace !== '' && namespace !== (rs.metadata.namespace ?? '')) return 'ignore';
  return 'adopt';
}

/** AdoptReplicaSet's strategic merge patch: add the controller reference (merge key uid). */
export function adoptPatch(deployment: Deployment, rs: KubeObject): Record<string, unknown> {
  return { metadata: { ownerReferences: [controllerRefTo(deployment)], uid: uidOf(rs) } };
}

/** ReleaseReplicaSet's strategic merge patch: delete the reference with the Deployment's uid. */
export function releasePatch(deployment: Deployment, rs: KubeObject): Record<string, unknown> {
  return {
    metadata: { ownerReferences: [{ $patch: 'delete', uid: uidOf(deployment) }], uid: uidOf(rs) },
  };
}
