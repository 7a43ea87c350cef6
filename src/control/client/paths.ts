// REST paths and query strings for the Kubernetes API, built from a resource descriptor.

import { assert } from '../util/assert.js';
import type { ResourceDescriptor } from './types.js';

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(resource: ResourceDescriptor): string {
  return resource.group === ''
    ? `/api/${resource.version}`
    : `/apis/${resource.group}/${resource.version}`;
}

/** The apiVersion field value: `v1` or `apps/v1`. */
export function apiVersionOf(resource: ResourceDescriptor): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

function segment(text: string, what: string): string {
  assert(text !== '', `${what} must not be empty`);
  return encodeURIComponent(text);
}

/**
 * The collection path, e.g. `/api/v1/namespaces/default/pods`. For a namespaced resource an
 * empty namespace addresses every namespace (lists and watches only); a cluster-scoped
 * resource takes no namespace.
 */
export function collectionPath(resource: ResourceDescriptor, namespace: string): string {
  const base = groupVersionPath(resource);
  if (!resource.namespaced) {
    assert(namespace === '', `${resource.plural} is cluster-scoped: namespace must be ''`);
    return `${base}/${resource.plural}`;
  }
  if (namespace === '') return `${base}/${resource.plural}`;
  return `${base}/namespaces/${segment(namespace, 'namespace')}/${resource.plural}`;
}

/** One object's path, optionally a subresource: `/api/v1/namespaces/ns/pods/x/status`. */
export function objectPath(
  resource: ResourceDescriptor,
  namespace: string,
  name: string,
  subresource = '',
): string {
  if (resource.namespaced) {
    assert(namespace !== '', `${resource.plural} is namespaced: a namespace is required`);
  }
  const path = `${collectionPath(resource, namespace)}/${segment(name, 'name')}`;
  return subresource === '' ? path : `${path}/${subresource}`;
}

/** Query parameters with unset values left out; numbers and booleans as decimal text. */
export function queryOf(
  params: Record<string, string | number | boolean | undefined>,
): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    query[name] = String(value);
  }
  return query;
}
