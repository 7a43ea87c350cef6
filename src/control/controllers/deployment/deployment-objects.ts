// Typed read-only views of the apps/v1 Deployment and ReplicaSet objects the controller handles,
// with the accessors and constants (annotation keys, reasons) shared by its planning files.

import type { LabelSelectorObject } from '../../api/values/labels.js';
import type { JsonObject, JsonValue } from '../../api/values/canonical-json.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';

/** The label that ties a ReplicaSet and its pods to one pod template (DefaultDeploymentUniqueLabelKey). */
export const podTemplateHashLabel = 'pod-template-hash';
/** Rollout sequence number on the Deployment and its ReplicaSets. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet served (it was rolled back to). */
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
/** spec.replicas of the Deployment when it last scaled the ReplicaSet. */
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
/** spec.replicas + maxSurge of the Deployment when it last scaled the ReplicaSet. */
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** kubectl's client-side apply record; never copied to ReplicaSets. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
/** The apps/v1beta1 rollback request annotation; never copied to ReplicaSets. */
export const deprecatedRollbackToAnnotation = 'deprecated.deployment.rollback.to';

export const deploymentsResource: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  namespaced: true,
  kind: 'Deployment',
};
export const replicaSetsResource: ResourceDescriptor = {
  group: 'apps',
  version: 'v1',
  plural: 'replicasets',
  namespaced: true,
  kind: 'ReplicaSet',
};
export const podsResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'pods',
  namespaced: true,
  kind: 'Pod',
};

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A DeploymentCondition; times are metav1.Time text (RFC 3339, seconds). */
export interface DeploymentCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly lastUpdateTime?: string;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface DeploymentStatus {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly conditions?: readonly DeploymentCondition[];
  readonly collisionCount?: number;
}

export type IntOrString = number | string;

export interface DeploymentStrategy {
  readonly type?: string;
  readonly rollingUpdate?: {
    readonly maxSurge?: IntOrString;
    readonly maxUnavailable?: IntOrString;
  };
}

export interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector?: LabelSelectorObject | null;
  readonly template?: JsonObject;
  readonly strategy?: DeploymentStrategy;
  readonly minReadySeconds?: number;
  readonly revisionHistoryLimit?: number;
  readonly paused?: boolean;
  readonly progressDeadlineSeconds?: number;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ReplicaSetCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface ReplicaSetSpec {
  readonly replicas?: number;
  readonly minReadySeconds?: number;
  readonly selector?: LabelSelectorObject | null;
  readonly template?: JsonObject;
}

export interface ReplicaSetStatus {
  readonly replicas?: number;
  readonly fullyLabeledReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly observedGeneration?: number;
  readonly conditions?: readonly ReplicaSetCondition[];
}

export interface ReplicaSet extends KubeObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** An ownerReference as stored (metav1.OwnerReference). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** Upstream's `math.MaxInt32`: a progressDeadlineSeconds that means "no deadline". */
export const int32Max = 2_147_483_647;

/** spec.replicas of a Deployment (the API server defaults it to 1). */
export function deploymentReplicas(deployment: Deployment): number {
  return deployment.spec.replicas ?? 1;
}

/** spec.replicas of a ReplicaSet (the API server defaults it to 1). */
export function specReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

export function statusReplicas(rs: ReplicaSet): number {
  return rs.status?.replicas ?? 0;
}

export function readyReplicas(rs: ReplicaSet): number {
  return rs.status?.readyReplicas ?? 0;
}

export function availableReplicas(rs: ReplicaSet): number {
  return rs.status?.availableReplicas ?? 0;
}

export function isRollingUpdate(deployment: Deployment): boolean {
  return (deployment.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** HasProgressDeadline: set and not MaxInt32. */
export function hasProgressDeadline(deployment: Deployment): boolean {
  const deadline = deployment.spec.progressDeadlineSeconds;
  return deadline !== undefined && deadline !== int32Max;
}

export function nameOf(object: KubeObject): string {
  return object.metadata.name ?? '';
}

export function uidOf(object: KubeObject): string {
  return object.metadata.uid ?? '';
}

export function annotationsOf(object: KubeObject): Readonly<Record<string, string>> {
  return object.metadata.annotations ?? {};
}

/** The ownerReference with controller: true (metav1.GetControllerOf), if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  const refs = object.metadata.ownerReferences ?? [];
  for (const ref of refs) {
    if (ref.controller === true) return ref as unknown as OwnerReference;
  }
  return undefined;
}

/** The controller reference a Deployment puts on its ReplicaSets (metav1.NewControllerRef). */
export function controllerRefTo(deployment: Deployment): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: nameOf(deployment),
    uid: uidOf(deployment),
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A JSON value's object members, or {} (for reading loosely typed fields). */
export function objectOf(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}
