// Tests of REST path and query building.

import { describe, expect, it } from 'vitest';
import { apiVersionOf, collectionPath, objectPath, queryOf } from './paths.js';

const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const deployments = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

describe('paths', () => {
  it('puts core resources under /api/v1 and grouped ones under /apis', () => {
    expect(collectionPath(pods, 'default')).toBe('/api/v1/namespaces/default/pods');
    expect(collectionPath(deployments, 'web')).toBe('/apis/apps/v1/namespaces/web/deployments');
    expect(apiVersionOf(deployments)).toBe('apps/v1');
    expect(apiVersionOf(pods)).toBe('v1');
  });

  it('lists a namespaced resource across namespaces when the namespace is empty', () => {
    expect(collectionPath(pods, '')).toBe('/api/v1/pods');
  });

  it('addresses objects and subresources, percent-encoding names', () => {
    expect(objectPath(pods, 'ns', 'web-1', 'status')).toBe(
      '/api/v1/namespaces/ns/pods/web-1/status',
    );
    expect(objectPath(nodes, '', 'node a')).toBe('/api/v1/nodes/node%20a');
  });

  it('rejects a namespace for cluster-scoped resources and a missing one for objects', () => {
    expect(() => collectionPath(nodes, 'default')).toThrow(/cluster-scoped/);
    expect(() => objectPath(pods, '', 'x')).toThrow(/namespace is required/);
    expect(() => objectPath(pods, 'ns', '')).toThrow(/name must not be empty/);
  });

  it('leaves unset query parameters out and writes the rest as text', () => {
    expect(queryOf({ limit: 500, watch: true, labelSelector: undefined, continue: '' })).toEqual({
      limit: '500',
      watch: 'true',
    });
  });
});
