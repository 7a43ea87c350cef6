// System objects every cluster has, created through the API server's own create path: the
// namespaces default, kube-system, kube-public and kube-node-lease (upstream's system-namespaces
// controller) and the PriorityClasses system-node-critical and system-cluster-critical
// (the scheduling REST storage's post-start hook).
//
// Each object is POSTed like a client request, so defaulting (the namespace's `kubernetes`
// finalizer and name label, status.phase Active), validation, admission, uid and
// creationTimestamp are those of any create. An object that already exists (409
// AlreadyExists: a restarted API server over a kept store) is left as it is, as upstream only
// creates missing ones. Any other answer is a configuration error and throws.
import { systemPriorityClasses } from '../api/types/priority-class.js';
import type { RequestHandler, TransportRequest } from '../ports/transport.js';

/** Namespaces the API server ensures at startup, in creation order. */
export const systemNamespaces: readonly string[] = Object.freeze([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** Upstream's descriptions of the built-in classes (pkg/apis/scheduling). */
const systemPriorityClassDescriptions: Readonly<Record<string, string>> = {
  'system-node-critical':
    'Used for system critical pods that must not be moved from their current node.',
  'system-cluster-critical':
    'Used for system critical pods that must run in the cluster, ' +
    'but can be moved to another node if necessary.',
};

/** Upstream's SystemPriorityClasses() order. */
const systemPriorityClassOrder = ['system-node-critical', 'system-cluster-critical'] as const;

export interface BootstrapOptions {
  /** The API server (or anything that serves its paths). */
  handler: RequestHandler;
}

export interface BootstrapReport {
  /** `namespaces/default`, `priorityclasses/system-node-critical`, ... in creation order. */
  created: string[];
  /** Those that were already there. */
  existing: string[];
}

interface SystemObject {
  label: string;
  path: string;
  body: Record<string, unknown>;
}

function systemObjects(): SystemObject[] {
  const objects: SystemObject[] = systemNamespaces.map((name) => ({
    label: `namespaces/${name}`,
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  }));
  for (const name of systemPriorityClassOrder) {
    objects.push({
      label: `priorityclasses/${name}`,
      path: '/apis/scheduling.k8s.io/v1/priorityclasses',
      body: {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value: systemPriorityClasses[name],
        description: systemPriorityClassDescriptions[name],
      },
    });
  }
  return objects;
}

function postRequest(object: SystemObject): TransportRequest {
  return {
    method: 'POST',
    path: object.path,
    query: {},
    headers: { 'content-type': 'application/json', 'user-agent': 'miniku-apiserver/bootstrap' },
    body: JSON.stringify(object.body),
  };
}

function reasonOf(body: string): unknown {
  try {
    const status: unknown = JSON.parse(body);
    return typeof status === 'object' && status !== null
      ? Reflect.get(status, 'reason')
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates whichever system objects are missing. Call once after constructing the API server and
 * before serving clients; safe to call again (every object then lands in `existing`).
 */
export async function bootstrapSystemObjects(options: BootstrapOptions): Promise<BootstrapReport> {
  const report: BootstrapReport = { created: [], existing: [] };
  for (const object of systemObjects()) {
    const result = await options.handler.handle(postRequest(object));
    if (result.kind !== 'unary')
      throw new Error(`Bootstrap of ${object.label}: not a unary answer`);
    const { status, body } = result.response;
    if (status === 201) report.created.push(object.label);
    else if (status === 409 && reasonOf(body) === 'AlreadyExists') {
      report.existing.push(object.label);
    } else {
      throw new Error(`Cannot create system object ${object.label}: HTTP ${status}: ${body}`);
    }
  }
  return report;
}
