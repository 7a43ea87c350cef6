// Thin per-resource views of KubeClient (`pods(ns).get(name)`) and the descriptors they use.

import type {
  DeleteCollectionOptions,
  DeleteOptions,
  KubeClient,
  ListAllOptions,
  ListOptions,
  WatchOptions,
  WriteOptions,
} from './client.js';
import type { KubeObject, ObjectList, ResourceDescriptor, Status } from './types.js';
import type { WatchHandle, WatchHandler } from './watch-stream.js';

/** Descriptors of the built-in resources components use most (the registry holds them all). */
export const coreResources = {
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true, kind: 'Pod' },
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false, kind: 'Node' },
  namespaces: {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
    kind: 'Namespace',
  },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true, kind: 'Event' },
  leases: {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    namespaced: true,
    kind: 'Lease',
  },
  replicaSets: {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    namespaced: true,
    kind: 'ReplicaSet',
  },
  deployments: {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
    kind: 'Deployment',
  },
} as const satisfies Record<string, ResourceDescriptor>;

/** One resource in one namespace ('' for cluster-scoped resources or all namespaces). */
export class ResourceClient<T extends KubeObject = KubeObject> {
  readonly resource: ResourceDescriptor;
  readonly namespace: string;
  private readonly client: KubeClient;

  constructor(options: { client: KubeClient; resource: ResourceDescriptor; namespace: string }) {
    this.client = options.client;
    this.resource = options.resource;
    this.namespace = options.namespace;
  }

  get(name: string): Promise<T> {
    return this.client.get<T>(this.resource, this.namespace, name);
  }

  list(options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.client.list<T>(this.resource, this.namespace, options);
  }

  listAll(options: ListAllOptions = {}): Promise<ObjectList<T>> {
    return this.client.listAll<T>(this.resource, this.namespace, options);
  }

  create(object: T, options: WriteOptions = {}): Promise<T> {
    return this.client.create<T>(this.resource, this.namespace, object, options);
  }

  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.client.update<T>(this.resource, this.namespace, object, options);
  }

  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.client.updateStatus<T>(this.resource, this.namespace, object, options);
  }

  delete(name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return this.client.delete<T>(this.resource, this.namespace, name, options);
  }

  deleteCollection(options: DeleteCollectionOptions = {}): Promise<ObjectList<T>> {
    return this.client.deleteCollection<T>(this.resource, this.namespace, options);
  }

  watch(options: WatchOptions, handler: WatchHandler<T>): WatchHandle {
    return this.client.watch<T>(this.resource, this.namespace, options, handler);
  }
}

/** Shortcuts: `resourcesOf(client).pods('default').get('web-1')`. */
export function resourcesOf(client: KubeClient) {
  const view = <T extends KubeObject>(resource: ResourceDescriptor, namespace: string) =>
    new ResourceClient<T>({ client, resource, namespace });
  return {
    resource: <T extends KubeObject = KubeObject>(resource: ResourceDescriptor, namespace = '') =>
      view<T>(resource, namespace),
    pods: <T extends KubeObject = KubeObject>(namespace = '') =>
      view<T>(coreResources.pods, namespace),
    nodes: <T extends KubeObject = KubeObject>() => view<T>(coreResources.nodes, ''),
    namespaces: <T extends KubeObject = KubeObject>() => view<T>(coreResources.namespaces, ''),
    events: <T extends KubeObject = KubeObject>(namespace = '') =>
      view<T>(coreResources.events, namespace),
    leases: <T extends KubeObject = KubeObject>(namespace = '') =>
      view<T>(coreResources.leases, namespace),
    replicaSets: <T extends KubeObject = KubeObject>(namespace = '') =>
      view<T>(coreResources.replicaSets, namespace),
    deployments: <T extends KubeObject = KubeObject>(namespace = '') =>
      view<T>(coreResources.deployments, namespace),
  };
}
