// The ReplicaSet a Deployment creates for its current template (sync.go getNewReplicaSet's
// object): named `<deployment>-<pod-template-hash>`, the hash added to its selector, its template
// labels and its own labels, controlled by the Deployment.

import type { JsonObject, JsonValue } from '../../api/values/canonical-json.js';
import type { LabelSelectorObject } from '../../api/values/labels.js';
import type { Deployment, ReplicaSet } from './deployment-objects.js';
import { controllerRefTo, nameOf, objectOf, podTemplateHashLabel } from './deployment-objects.js';
import { computeTemplateHash } from './template-hash.js';

/** labelsutil.CloneSelectorAndAddLabel: a copy whose matchLabels also require key=value. */
export function selectorWithLabel(
  selector: LabelSelectorObject | null | undefined,
  key: string,
  value: string,
): LabelSelectorObject {
  const base = selector ?? {};
  if (value === '') return { ...base };
  return { ...base, matchLabels: { ...(base.matchLabels ?? {}), [key]: value } };
}

/** The template with the hash label added to metadata.labels. */
export function templateWithHash(template: JsonObject | undefined, hash: string): JsonObject {
  const base = template ?? {};
  const metadata = objectOf(base.metadata);
  const labels: Record<string, JsonValue> = {
    ...objectOf(metadata.labels),
    [podTemplateHashLabel]: hash,
  };
  return { ...base, metadata: { ...metadata, labels } };
}

/**
 * The new ReplicaSet for the Deployment's template and collisionCount, with spec.replicas 0
 * and no annotations yet (the caller sizes and annotates it).
 */
export function newReplicaSetFor(deployment: Deployment): { rs: ReplicaSet; hash: string } {
  const hash = computeTemplateHash(
    deployment.spec.template ?? {},
    deployment.status?.collisionCount,
  );
  const template = templateWithHash(deployment.spec.template, hash);
  const labels = objectOf(objectOf(template.metadata).labels) as Record<string, string>;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${nameOf(deployment)}-${hash}`,
      namespace: deployment.metadata.namespace ?? '',
      labels,
      ownerReferences: [{ ...controllerRefTo(deployment) }],
    },
    spec: {
      replicas: 0,
      minReadySeconds: deployment.spec.minReadySeconds ?? 0,
      selector: selectorWithLabel(deployment.spec.selector, podTemplateHashLabel, hash),
      template,
    },
  };
  return { rs, hash };
}
