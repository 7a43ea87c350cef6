// Upstream's OpenAPI names: component keys (`io.k8s.api.core.v1.Pod`), operation ids, tags and
// the group-version paths of the /openapi/v3 index (`api/v1`, `apis/apps/v1`).

import { assert } from '../../util/assert.js';

/** A group-version-kind as the `x-kubernetes-group-version-kind` extension spells it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Package of the apimachinery meta/v1 types (ObjectMeta, Status, Time, ...). */
export const metaV1Package = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const quantityComponent = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const intOrStringComponent = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const timeComponent = `${metaV1Package}.Time`;
export const microTimeComponent = `${metaV1Package}.MicroTime`;
export const patchComponent = `${metaV1Package}.Patch`;

/**
 * Go type names the declarations use that live in apimachinery's meta/v1 package; the DSL does
 * not record packages, and every other type belongs to an API group (see TypeNamer).
 */
const metaV1TypeNames: ReadonlySet<string> = new Set([
  'Condition',
  'DeleteOptions',
  'LabelSelector',
  'LabelSelectorRequirement',
  'ListMeta',
  'ManagedFieldsEntry',
  'ObjectMeta',
  'OwnerReference',
  'Preconditions',
  'Status',
  'StatusCause',
  'StatusDetails',
]);

/** `api/v1`, `apis/apps/v1`: the key of a group-version in the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** `/api/v1`, `/apis/apps/v1`: the REST prefix of a group-version. */
export function restPrefix(group: string, version: string): string {
  return `/${groupVersionPath(group, version)}`;
}

/** `io.k8s.api.core.v1`, `io.k8s.api.coordination.v1` (first label of the group name). */
export function groupPackage(group: string, version: string): string {
  const name = group === '' ? 'core' : (group.split('.')[0] as string);
  return `io.k8s.api.${name}.${version}`;
}

function capitalize(word: string): string {
  return word === '' ? '' : `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

/** Group words of operation ids and tags: '' → [core], `rbac.authorization.k8s.io` → [rbac, authorization]. */
function groupWords(group: string): string[] {
  if (group === '') return ['core'];
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return trimmed.split('.');
}

/** `CoreV1`, `AppsV1`, `CoordinationV1`: the group-version part of an operation id. */
export function operationGroupVersion(group: string, version: string): string {
  return `${groupWords(group).map(capitalize).join('')}${capitalize(version)}`;
}

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`: the tag of a group-version's operations. */
export function operationTag(group: string, version: string): string {
  const [first, ...rest] = groupWords(group);
  return `${first ?? ''}${rest.map(capitalize).join('')}_${version}`;
}

export interface TypeNamerOptions {
  /** Every kind the documents describe; a type's package follows the kind it belongs to. */
  kinds: readonly GroupVersionKind[];
}

/**
 * Maps Go type names to component keys. A kind lives in its group's package; a type whose name
 * contains the name of a kind outside the core group (DeploymentSpec, RollingUpdateDeployment,
 * LeaseSpec, ScaleStatus) lives in that kind's package; meta/v1 types are listed; the rest is
 * core/v1, as in k8s.io/api.
 */
export class TypeNamer {
  readonly #kinds: readonly GroupVersionKind[];

  constructor(options: TypeNamerOptions) {
    this.#kinds = options.kinds;
  }

  /** The component key of a Go type, e.g. `io.k8s.api.apps.v1.DeploymentSpec`. */
  componentName(typeName: string): string {
    if (metaV1TypeNames.has(typeName)) return `${metaV1Package}.${typeName}`;
    const own = this.#kinds.find((k) => k.kind === typeName);
    if (own !== undefined) return `${groupPackage(own.group, own.version)}.${typeName}`;
    const owners = this.#kinds.filter((k) => k.group !== '' && typeName.includes(k.kind));
    const packages = new Set(owners.map((k) => groupPackage(k.group, k.version)));
    assert(packages.size <= 1, `type ${typeName} matches kinds of several groups`);
    const [ownerPackage] = [...packages];
    return `${ownerPackage ?? groupPackage('', 'v1')}.${typeName}`;
  }
}
