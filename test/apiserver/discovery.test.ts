// Discovery documents kubectl needs to map kinds and resources.
import { describe, expect, it } from 'vitest';
import { newHarness } from './harness.js';

describe('API discovery', () => {
  it('serves /version with a strict-semver v1.32 gitVersion', async () => {
    const h = await newHarness();
    const reply = await h.call('GET', '/version');
    expect(reply.status).toBe(200);
    expect(reply.json.major).toBe('1');
    expect(reply.json.minor).toBe('32');
    expect(reply.json.gitVersion).toMatch(/^v1\.32\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(Object.keys(reply.json).sort()).toEqual([
      'buildDate',
      'compiler',
      'gitCommit',
      'gitTreeState',
      'gitVersion',
      'goVersion',
      'major',
      'minor',
      'platform',
    ]);
  });

  it('serves /api and /api/v1 with the core resources and their short names', async () => {
    const h = await newHarness();
    const api = await h.call('GET', '/api');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = await h.call('GET', '/api/v1');
    expect(v1.json.kind).toBe('APIResourceList');
    expect(v1.json.groupVersion).toBe('v1');
    const byName = new Map(v1.json.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      shortNames: ['po'],
    });
    expect(byName.get('nodes')).toMatchObject({
      namespaced: false,
      kind: 'Node',
      shortNames: ['no'],
    });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('pods/status')).toBeDefined();
    for (const name of ['namespaces', 'services', 'endpoints', 'events'])
      expect(byName.has(name)).toBe(true);
  });

  it('serves /apis and each group version', async () => {
    const h = await newHarness();
    const apis = await h.call('GET', '/apis');
    expect(apis.json.kind).toBe('APIGroupList');
    const names = apis.json.groups.map((g: { name: string }) => g.name).sort();
    expect(names).toEqual(
      ['apps', 'autoscaling', 'coordination.k8s.io', 'policy', 'scheduling.k8s.io'].filter((n) =>
        names.includes(n),
      ),
    );
    expect(names).toEqual(
      expect.arrayContaining(['apps', 'coordination.k8s.io', 'scheduling.k8s.io']),
    );
    const apps = await h.call('GET', '/apis/apps/v1');
    const kinds = apps.json.resources.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'ReplicaSet']));
    expect((await h.call('GET', '/apis/apps')).json.preferredVersion.groupVersion).toBe('apps/v1');
    expect((await h.call('GET', '/apis/nope/v1')).status).toBe(404);
  });

  it('answers health probes', async () => {
    const h = await newHarness();
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const reply = await h.call('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('ok');
    }
  });
});
