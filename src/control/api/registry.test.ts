// Tests of registry lookups, names, field labels and API groups.

import { describe, expect, it } from 'vitest';
import {
  apiGroups,
  findKindSchema,
  findResource,
  findResourceByKind,
  qualifiedKind,
  qualifiedResource,
  resourceTypes,
} from './registry.js';

describe('the resource registry', () => {
  it.each([
    ['', 'v1', 'pods', 'Pod', ['po'], true],
    ['', 'v1', 'nodes', 'Node', ['no'], false],
    ['', 'v1', 'namespaces', 'Namespace', ['ns'], false],
    ['', 'v1', 'services', 'Service', ['svc'], true],
    ['', 'v1', 'endpoints', 'Endpoints', ['ep'], true],
    ['', 'v1', 'events', 'Event', ['ev'], true],
    ['apps', 'v1', 'replicasets', 'ReplicaSet', ['rs'], true],
    ['apps', 'v1', 'deployments', 'Deployment', ['deploy'], true],
    ['coordination.k8s.io', 'v1', 'leases', 'Lease', [], true],
    ['scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', ['pc'], false],
  ])('finds %s/%s %s as %s', (group, version, plural, kind, shortNames, namespaced) => {
    const type = findResource(group, version, plural);
    expect(type).toMatchObject({ kind, listKind: `${kind}List`, shortNames, namespaced });
    expect(findResourceByKind(type?.apiVersion ?? '', kind)).toBe(type);
  });

  it('lists every stored resource once, sorted by group then plural', () => {
    const keys = resourceTypes.map((t) => `${t.group}/${t.plural}`);
    expect(keys).toEqual([
      '/endpoints',
      '/events',
      '/namespaces',
      '/nodes',
      '/pods',
      '/services',
      'apps/deployments',
      'apps/replicasets',
      'coordination.k8s.io/leases',
      'scheduling.k8s.io/priorityclasses',
    ]);
  });

  it('does not find unknown or unstored resources', () => {
    expect(findResource('', 'v1', 'bindings')).toBeUndefined();
    expect(findResource('apps', 'v2', 'deployments')).toBeUndefined();
    expect(findResourceByKind('v1', 'Deployment')).toBeUndefined();
  });

  it('gives the all category, subresources and generation tracking', () => {
    const pods = findResource('', 'v1', 'pods');
    const deployments = findResource('apps', 'v1', 'deployments');
    expect(pods).toMatchObject({
      categories: ['all'],
      subresources: ['binding', 'eviction', 'exec', 'log', 'status'],
      statusFields: ['status'],
      tracksGeneration: false,
      apiVersion: 'v1',
    });
    expect(deployments).toMatchObject({
      categories: ['all'],
      subresources: ['scale', 'status'],
      tracksGeneration: true,
      apiVersion: 'apps/v1',
    });
    expect(findResource('coordination.k8s.io', 'v1', 'leases')?.statusFields).toEqual([]);
  });

  it('qualifies names of non-core groups for messages', () => {
    const pods = findResource('', 'v1', 'pods');
    const deployments = findResource('apps', 'v1', 'deployments');
    expect(pods && qualifiedResource(pods)).toBe('pods');
    expect(pods && qualifiedKind(pods)).toBe('Pod');
    expect(deployments && qualifiedResource(deployments)).toBe('deployments.apps');
    expect(deployments && qualifiedKind(deployments)).toBe('Deployment.apps');
  });

  it('supports metadata field selectors, with namespace only for namespaced kinds', () => {
    const nodes = findResource('', 'v1', 'nodes');
    const deployments = findResource('apps', 'v1', 'deployments');
    expect(Object.keys(nodes?.fieldLabels ?? {}).sort()).toEqual([
      'metadata.name',
      'spec.unschedulable',
    ]);
    expect(Object.keys(deployments?.fieldLabels ?? {}).sort()).toEqual([
      'metadata.name',
      'metadata.namespace',
    ]);
  });

  it('reads pod field selector values', () => {
    const labels = findResource('', 'v1', 'pods')?.fieldLabels ?? {};
    const pod = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1', hostNetwork: true },
      status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
    };
    const values = Object.fromEntries(Object.entries(labels).map(([key, get]) => [key, get(pod)]));
    expect(values).toMatchObject({
      'metadata.name': 'p',
      'metadata.namespace': 'ns',
      'spec.nodeName': 'n1',
      'spec.hostNetwork': 'true',
      'spec.restartPolicy': '',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.1',
    });
  });

  it('finds the schemas of subresource bodies', () => {
    expect(findKindSchema('v1', 'Binding')?.name).toBe('Binding');
    expect(findKindSchema('policy/v1', 'Eviction')?.name).toBe('Eviction');
    expect(findKindSchema('autoscaling/v1', 'Scale')?.name).toBe('Scale');
    expect(findKindSchema('apps/v1', 'DeleteOptions')?.name).toBe('DeleteOptions');
    expect(findKindSchema('v1', 'Status')?.name).toBe('Status');
    expect(findKindSchema('v1', 'Pod')).toBeUndefined();
  });

  it('lists the API groups with stored resources', () => {
    expect(apiGroups).toEqual([
      { name: '', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'apps', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'coordination.k8s.io', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'scheduling.k8s.io', versions: ['v1'], preferredVersion: 'v1' },
    ]);
  });

  it('records patch metadata from the k8s.io/api struct tags', () => {
    const spec = findResource('', 'v1', 'pods')?.schema.fields.spec;
    const fields = spec?.kind === 'object' ? spec.fields : {};
    expect(fields.containers).toMatchObject({ patchStrategy: 'merge', patchMergeKey: 'name' });
    expect(fields.volumes).toMatchObject({
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
    });
    expect(fields.tolerations).toMatchObject({ listType: 'atomic' });
    expect(fields.tolerations?.patchStrategy).toBeUndefined();
  });
});
