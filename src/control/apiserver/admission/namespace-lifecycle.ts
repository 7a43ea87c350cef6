// NamespaceLifecycle admission (apiserver pkg/admission/plugin/namespace/lifecycle): no content
// in missing or terminating namespaces, and the system namespaces cannot be deleted.
//
// Upstream rules, in order (all in the mutating phase, CREATE/UPDATE/DELETE):
// 1. DELETE of the namespaces `default`, `kube-system`, `kube-public` → 403 `namespaces "default"
//    is forbidden: this namespace may not be deleted`.
// 2. Cluster-scoped resources and namespaces themselves are always admitted.
// 3. DELETE of anything else is always admitted (so a terminating namespace can be emptied).
// 4. CREATE or UPDATE (subresources included) in a namespace that does not exist → 404
//    `namespaces "x" not found`.
// 5. CREATE in a Terminating namespace → 403 `<resource> "<name>" is forbidden: unable to create
//    new content in namespace x because it is being terminated`, with a `NamespaceTerminating`
//    cause on `metadata.namespace`. Events get no exemption; UPDATEs (status writes, finalizer
//    removal) pass.
import { findResource } from '../../api/registry.js';
import type { JsonObject } from '../../store/types.js';
import { assert } from '../../util/assert.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission.js';
import { objectKey } from '../context.js';
import type { ApiError } from '../status.js';
import { forbidden, notFound } from '../status.js';
import type { AdmissionStoreReader } from './attributes.js';
import { admissionForbidden, isResource } from './attributes.js';

export const namespaceLifecyclePluginName = 'NamespaceLifecycle';

/** Namespaces that may never be deleted (upstream's immortalNamespaces). */
export const immortalNamespaces: readonly string[] = Object.freeze([
  'default',
  'kube-system',
  'kube-public',
]);

/** `metav1.StatusCause` type upstream attaches to the terminating-namespace rejection. */
export const namespaceTerminatingCause = 'NamespaceTerminating';

export interface NamespaceLifecycleOptions {
  store: AdmissionStoreReader;
  /** Default: `immortalNamespaces`. */
  immortalNamespaces?: readonly string[];
}

const namespacesRef = { group: '', plural: 'namespaces' };

function terminatingError(attributes: AdmissionAttributes): ApiError {
  const namespace = attributes.namespace;
  const error = admissionForbidden(
    attributes,
    `unable to create new content in namespace ${namespace} because it is being terminated`,
  );
  const cause = {
    reason: namespaceTerminatingCause,
    message: `namespace ${namespace} is being terminated`,
    field: 'metadata.namespace',
  };
  return { ...error, details: { ...error.details, causes: [cause] } };
}

function phaseOf(namespace: JsonObject): unknown {
  const status = namespace.status;
  return typeof status === 'object' && status !== null && !Array.isArray(status)
    ? (status as JsonObject).phase
    : undefined;
}

export function namespaceLifecyclePlugin(options: NamespaceLifecycleOptions): AdmissionPlugin {
  const namespaces = findResource('', 'v1', 'namespaces');
  assert(namespaces !== undefined, 'the registry has namespaces');
  const immortal = options.immortalNamespaces ?? immortalNamespaces;
  const admit = (attributes: AdmissionAttributes): ApiError | undefined => {
    const isNamespace = isResource(attributes.type, '', 'namespaces');
    if (attributes.operation === 'DELETE' && isNamespace && immortal.includes(attributes.name)) {
      return forbidden(namespacesRef, attributes.name, 'this namespace may not be deleted');
    }
    if (isNamespace || attributes.namespace === '') return undefined;
    if (attributes.operation === 'DELETE') return undefined;
    const namespace = options.store.get(objectKey(namespaces, '', attributes.namespace));
    if (namespace === undefined) return notFound(namespacesRef, attributes.namespace);
    if (attributes.operation !== 'CREATE' || phaseOf(namespace) !== 'Terminating') return undefined;
    return terminatingError(attributes);
  };
  return { name: namespaceLifecyclePluginName, admit };
}
