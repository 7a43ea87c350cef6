// The resource registry: every stored resource with its REST names, scope, subresources and
// schema, plus the non-stored kinds used in subresource bodies. Built from the type declarations.

import type { JsonObject } from '../store/types.js';
import type { ObjectSchema } from './schema/schema.js';
import { assert } from '../util/assert.js';
import { deploymentResource } from './types/deployment.js';
import { endpointsResource } from './types/endpoints.js';
import { eventResource } from './types/event.js';
import { leaseResource } from './types/lease.js';
import { namespaceResource } from './types/namespace.js';
import { nodeResource } from './types/node.js';
import { podResource } from './types/pod.js';
import { priorityClassResource } from './types/priority-class.js';
import { replicaSetResource } from './types/replica-set.js';
import { serviceResource } from './types/service.js';
import type { PrinterColumn, ResourceDeclaration, Subresource } from './types/resource.js';
import {
  bindingSchema,
  deleteOptionsSchema,
  evictionSchema,
  scaleSchema,
  statusSchema,
} from './types/subresource-kinds.js';
import { stringAt, objectAt } from './schema/json.js';
import { compareGoStrings } from './values/go-format.js';

export type { PrinterColumn, PrinterContext, Subresource } from './types/resource.js';

export interface ResourceType {
  group: string; // '' for core
  version: string; // 'v1'
  apiVersion: string; // 'v1' | 'apps/v1'
  kind: string; // 'Pod'
  listKind: string; // 'PodList'
  plural: string; // 'pods'
  singular: string; // 'pod'
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[]; // ['all'] for pods, services, rs, deploy
  verbs: readonly string[]; // discovery verbs
  subresources: readonly Subresource[];
  schema: ObjectSchema; // whole object: apiVersion, kind, metadata, spec, status
  /** Top-level fields owned by the status subresource (usually ['status']); [] if none. */
  statusFields: readonly string[];
  /** Supported field-selector labels → getter (always includes metadata.name and,
      when namespaced, metadata.namespace), per reference §9.4. */
  fieldLabels: Readonly<Record<string, (object: JsonObject) => string>>;
  printerColumns: readonly PrinterColumn[];
  /** Whether spec changes bump metadata.generation (pods: no; RS/Deployment/...: yes). */
  tracksGeneration: boolean;
}

/** Discovery verbs of every stored resource (all support the full set). */
export const resourceVerbs: readonly string[] = Object.freeze([
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
]);

const declarations: readonly ResourceDeclaration[] = [
  podResource,
  nodeResource,
  namespaceResource,
  serviceResource,
  endpointsResource,
  eventResource,
  leaseResource,
  replicaSetResource,
  deploymentResource,
  priorityClassResource,
];

const metadataString = (key: string) => (object: JsonObject) =>
  stringAt(objectAt(object, 'metadata'), key) ?? '';

function buildResourceType(declaration: ResourceDeclaration): ResourceType {
  const root = declaration.schema.root;
  assert(root !== undefined, `resource ${declaration.plural} has a root schema`);
  const namespaced = root.scope === 'Namespaced';
  const fieldLabels: Record<string, (object: JsonObject) => string> = {
    'metadata.name': metadataString('name'),
  };
  if (namespaced) fieldLabels['metadata.namespace'] = metadataString('namespace');
  Object.assign(fieldLabels, declaration.fieldLabels);
  return Object.freeze({
    group: root.group,
    version: root.version,
    apiVersion: root.group === '' ? root.version : `${root.group}/${root.version}`,
    kind: root.kind,
    listKind: `${root.kind}List`,
    plural: declaration.plural,
    singular: declaration.singular,
    namespaced,
    shortNames: Object.freeze([...declaration.shortNames]),
    categories: Object.freeze([...declaration.categories]),
    verbs: resourceVerbs,
    subresources: Object.freeze([...declaration.subresources]),
    schema: declaration.schema,
    statusFields: Object.freeze([...declaration.statusFields]),
    fieldLabels: Object.freeze(fieldLabels),
    printerColumns: Object.freeze([...declaration.printerColumns]),
    tracksGeneration: declaration.tracksGeneration,
  });
}

function compareTypes(a: ResourceType, b: ResourceType): number {
  return compareGoStrings(a.group, b.group) || compareGoStrings(a.plural, b.plural);
}

/** Stored resources, sorted by group then plural. */
export const resourceTypes: readonly ResourceType[] = Object.freeze(
  declarations.map(buildResourceType).sort(compareTypes),
);

/** The stored resource at /api(s)/<group>/<version>/<plural>. */
export function findResource(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return resourceTypes.find(
    (t) => t.group === group && t.version === version && t.plural === plural,
  );
}

/** The stored resource of a manifest's apiVersion and kind. */
export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.apiVersion === apiVersion && t.kind === kind);
}

const otherKinds: readonly { apiVersion: string; kind: string; schema: ObjectSchema }[] = [
  { apiVersion: 'v1', kind: 'Binding', schema: bindingSchema },
  { apiVersion: 'policy/v1', kind: 'Eviction', schema: evictionSchema },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', schema: scaleSchema },
  { apiVersion: 'v1', kind: 'Status', schema: statusSchema },
];

/**
 * Non-stored kinds used in subresources and bodies: Binding, Eviction, Scale, DeleteOptions,
 * Status. DeleteOptions is accepted under any apiVersion (it is registered in every group).
 */
export function findKindSchema(apiVersion: string, kind: string): ObjectSchema | undefined {
  if (kind === 'DeleteOptions') return deleteOptionsSchema;
  if (kind === 'Status' && apiVersion === 'meta.k8s.io/v1') return statusSchema;
  return otherKinds.find((k) => k.apiVersion === apiVersion && k.kind === kind)?.schema;
}

function buildGroups(): { name: string; versions: readonly string[]; preferredVersion: string }[] {
  const groups: { name: string; versions: string[]; preferredVersion: string }[] = [];
  for (const type of resourceTypes) {
    const group = groups.find((g) => g.name === type.group);
    if (group === undefined) {
      groups.push({ name: type.group, versions: [type.version], preferredVersion: type.version });
    } else if (!group.versions.includes(type.version)) group.versions.push(type.version);
  }
  return groups.map((g) => Object.freeze({ ...g, versions: Object.freeze([...g.versions]) }));
}

/** API groups with stored resources ('' is the core group), in resourceTypes order. */
export const apiGroups: readonly {
  name: string;
  versions: readonly string[];
  preferredVersion: string;
}[] = Object.freeze(buildGroups());

/** For error messages: `pods`, `deployments.apps`. */
export function qualifiedResource(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** For error messages: `Pod`, `Deployment.apps`. */
export function qualifiedKind(type: ResourceType): string {
  return type.group === '' ? type.kind : `${type.kind}.${type.group}`;
}
