// Reads, pages, generated names, subresources and deletion semantics of the API handler.
import { describe, expect, it } from 'vitest';
import { generateNameAlphabet } from '../../src/control/apiserver/identity.js';
import { newHarness, podManifest, podsPath } from './harness.js';

const nodesPath = '/api/v1/nodes';
const deploymentsPath = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, replicas = 2): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
}

describe('API handler resources', () => {
  it('generates names from the upstream alphabet', async () => {
    const h = await newHarness();
    const body = { ...podManifest('ignored'), metadata: { generateName: 'web-' } };
    const reply = await h.call('POST', podsPath, { body });
    expect(reply.status).toBe(201);
    const name = reply.json.metadata.name as string;
    expect(name).toMatch(/^web-.{5}$/);
    for (const c of name.slice(4)) expect(generateNameAlphabet).toContain(c);
  });

  it('pages a list with limit and continue at one revision', async () => {
    const h = await newHarness();
    for (let i = 0; i < 5; i++) await h.call('POST', podsPath, { body: podManifest(`p-${i}`) });
    const first = await h.call('GET', podsPath, { query: { limit: '2' } });
    expect(first.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'p-0',
      'p-1',
    ]);
    expect(first.json.metadata.remainingItemCount).toBe(3);
    await h.call('POST', podsPath, { body: podManifest('p-00') });
    const second = await h.call('GET', podsPath, {
      query: { limit: '2', continue: first.json.metadata.continue },
    });
    expect(second.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'p-2',
      'p-3',
    ]);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
    const third = await h.call('GET', podsPath, {
      query: { limit: '2', continue: second.json.metadata.continue },
    });
    expect(third.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'p-4',
    ]);
    expect(third.json.metadata.continue).toBeUndefined();
    const bad = await h.call('GET', podsPath, { query: { continue: 'garbage!' } });
    expect(bad.status).toBe(400);
  });

  it('lists across namespaces and selects pods by field', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.call('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    });
    await h.call('POST', '/api/v1/namespaces/other/pods', { body: podManifest('b') });
    const all = await h.call('GET', '/api/v1/pods');
    expect(
      all.json.items.map((p: { metadata: { namespace: string } }) => p.metadata.namespace),
    ).toEqual(['default', 'other']);
    const one = await h.call('GET', '/api/v1/pods', {
      query: { fieldSelector: 'metadata.namespace=other' },
    });
    expect(one.json.items).toHaveLength(1);
  });

  it('keeps status out of main-resource updates and spec out of status updates', async () => {
    const h = await newHarness();
    const created = (await h.call('POST', deploymentsPath, { body: deployment('web') })).json;
    expect(created.metadata.generation).toBe(1);
    const withStatus = structuredClone(created);
    withStatus.status = { replicas: 7 };
    withStatus.spec.replicas = 3;
    const main = (await h.call('PUT', `${deploymentsPath}/web`, { body: withStatus })).json;
    expect(main.spec.replicas).toBe(3);
    expect(main.status.replicas).toBeUndefined();
    expect(main.metadata.generation).toBe(2);
    const viaStatus = structuredClone(main);
    viaStatus.spec.replicas = 9;
    viaStatus.status = { replicas: 3, observedGeneration: 2 };
    const status = await h.call('PUT', `${deploymentsPath}/web/status`, { body: viaStatus });
    expect(status.status).toBe(200);
    expect(status.json.spec.replicas).toBe(3);
    expect(status.json.status.replicas).toBe(3);
    expect(status.json.metadata.generation).toBe(2);
  });

  it('keeps uid and creationTimestamp on update and skips writes that change nothing', async () => {
    const h = await newHarness();
    const created = (await h.call('POST', podsPath, { body: podManifest('same') })).json;
    const forged = structuredClone(created);
    forged.metadata.uid = 'forged';
    forged.metadata.creationTimestamp = '2000-01-01T00:00:00Z';
    const reply = await h.call('PUT', `${podsPath}/same`, { body: forged });
    expect(reply.json.metadata.uid).toBe(created.metadata.uid);
    expect(reply.json.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp);
    expect(reply.json.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('allows an unconditional update without resourceVersion', async () => {
    const h = await newHarness();
    const created = (await h.call('POST', podsPath, { body: podManifest('u') })).json;
    const next = structuredClone(created);
    delete next.metadata.resourceVersion;
    next.metadata.labels.x = 'y';
    const reply = await h.call('PUT', `${podsPath}/u`, { body: next });
    expect(reply.status).toBe(200);
    expect(reply.json.metadata.labels.x).toBe('y');
  });

  it('binds a pod once through pods/binding', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('b') });
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'b' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
    };
    const ok = await h.call('POST', `${podsPath}/b/binding`, { body: binding });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    const pod = (await h.call('GET', `${podsPath}/b`)).json;
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'PodScheduled', status: 'True' }),
    );
    const again = await h.call('POST', `${podsPath}/b/binding`, {
      body: { ...binding, target: { name: 'node-2' } },
    });
    expect(again.status).toBe(409);
    expect(again.json.message).toBe(
      'Operation cannot be fulfilled on pods/binding "b": pod b is already assigned to node "node-1"',
    );
  });

  it('deletes a scheduled pod gracefully and an unscheduled one at once', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('bound') });
    await h.call('POST', `${podsPath}/bound/binding`, {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bound' },
        target: { name: 'n1' },
      },
    });
    const graceful = await h.call('DELETE', `${podsPath}/bound`);
    expect(graceful.status).toBe(200);
    expect(graceful.json.metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
    expect(graceful.json.metadata.deletionGracePeriodSeconds).toBe(30);
    expect((await h.call('GET', `${podsPath}/bound`)).status).toBe(200);
    const force = await h.call('DELETE', `${podsPath}/bound`, {
      query: { gracePeriodSeconds: '0' },
    });
    expect(force.status).toBe(200);
    expect((await h.call('GET', `${podsPath}/bound`)).status).toBe(404);
    await h.call('POST', podsPath, { body: podManifest('loose') });
    await h.call('DELETE', `${podsPath}/loose`);
    expect((await h.call('GET', `${podsPath}/loose`)).status).toBe(404);
  });

  it('keeps an object with finalizers until they are removed', async () => {
    const h = await newHarness();
    const body = podManifest('f');
    (body.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await h.call('POST', podsPath, { body });
    const deleting = (await h.call('DELETE', `${podsPath}/f`)).json;
    expect(deleting.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    const released = structuredClone(deleting);
    released.metadata.finalizers = [];
    expect((await h.call('PUT', `${podsPath}/f`, { body: released })).status).toBe(200);
    expect((await h.call('GET', `${podsPath}/f`)).status).toBe(404);
  });

  it('checks delete preconditions', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('p') });
    const reply = await h.call('DELETE', `${podsPath}/p`, {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'wrong' } },
    });
    expect(reply.status).toBe(409);
    expect(reply.json.message).toContain('Precondition failed: UID in precondition: wrong');
  });

  it('deletes a collection by label selector', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a', { app: 'x' }) });
    await h.call('POST', podsPath, { body: podManifest('b', { app: 'x' }) });
    await h.call('POST', podsPath, { body: podManifest('c', { app: 'y' }) });
    const reply = await h.call('DELETE', podsPath, { query: { labelSelector: 'app=x' } });
    expect(reply.status).toBe(200);
    expect(reply.json.items).toHaveLength(2);
    const left = await h.call('GET', podsPath);
    expect(left.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'c',
    ]);
  });

  it('serves cluster-scoped nodes without a namespace', async () => {
    const h = await newHarness();
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-1' },
      status: { capacity: { cpu: '4', memory: '8Gi' } },
    };
    const created = await h.call('POST', nodesPath, { body: node });
    expect(created.status).toBe(201);
    expect(created.json.metadata.namespace).toBeUndefined();
    expect(created.json.status.capacity.cpu).toBe('4');
    expect((await h.call('GET', `${nodesPath}/worker-1`)).status).toBe(200);
    expect((await h.call('GET', '/api/v1/namespaces/default/nodes/worker-1')).status).toBe(404);
  });

  it('classifies a limits-only pod as Guaranteed after defaulting requests from limits', async () => {
    const h = await newHarness();
    const body = podManifest('g');
    (body.spec as { containers: Array<Record<string, unknown>> }).containers[0]!.resources = {
      limits: { cpu: '1', memory: '1Gi' },
    };
    const reply = await h.call('POST', podsPath, {
      body: { ...body, status: { phase: 'Running' } },
    });
    expect(reply.json.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(reply.json.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('reads and writes replicas through the scale subresource', async () => {
    const h = await newHarness();
    await h.call('POST', deploymentsPath, { body: deployment('web', 2) });
    const scale = await h.call('GET', `${deploymentsPath}/web/scale`);
    expect(scale.status).toBe(200);
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const next = { ...scale.json, spec: { replicas: 5 } };
    const put = await h.call('PUT', `${deploymentsPath}/web/scale`, { body: next });
    expect(put.status).toBe(200);
    expect(put.json.spec.replicas).toBe(5);
    const d = (await h.call('GET', `${deploymentsPath}/web`)).json;
    expect(d.spec.replicas).toBe(5);
    expect(d.metadata.generation).toBe(2);
    const stale = await h.call('PUT', `${deploymentsPath}/web/scale`, { body: next });
    expect(stale.status).toBe(409);
    const negative = await h.call('PUT', `${deploymentsPath}/web/scale`, {
      body: { ...next, metadata: {}, spec: { replicas: -1 } },
    });
    expect(negative.status).toBe(422);
    expect(negative.json.message).toBe(
      'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('evicts a pod through pods/eviction with its delete options', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('e') });
    const eviction = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'e', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 0 },
    };
    const reply = await h.call('POST', `${podsPath}/e/eviction`, { body: eviction });
    expect(reply.status).toBe(201);
    expect(reply.json.status).toBe('Success');
    expect((await h.call('GET', `${podsPath}/e`)).status).toBe(404);
    expect((await h.call('POST', `${podsPath}/e/eviction`, { body: eviction })).status).toBe(404);
  });

  it('marks an evicted pod DisruptionTarget before its graceful delete', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('g') });
    await h.call('POST', `${podsPath}/g/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'g' }, target: { name: 'n1' } },
    });
    const bound = (await h.call('GET', `${podsPath}/g`)).json;
    const eviction = (deleteOptions: Record<string, unknown>) => ({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'g', namespace: 'default' },
      deleteOptions,
    });
    const stale = await h.call('POST', `${podsPath}/g/eviction`, {
      body: eviction({ preconditions: { resourceVersion: '1' } }),
    });
    expect(stale.status).toBe(409);
    const dryRun = await h.call('POST', `${podsPath}/g/eviction`, {
      body: eviction({ dryRun: ['All'] }),
    });
    expect(dryRun.status).toBe(201);
    const untouched = (await h.call('GET', `${podsPath}/g`)).json;
    expect(untouched.metadata.resourceVersion).toBe(bound.metadata.resourceVersion);
    // The precondition names the version before the condition was written, as kubectl drain's.
    const reply = await h.call('POST', `${podsPath}/g/eviction`, {
      body: eviction({ preconditions: { resourceVersion: bound.metadata.resourceVersion } }),
    });
    expect(reply.status).toBe(201);
    const evicted = (await h.call('GET', `${podsPath}/g`)).json;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    const conditions = evicted.status.conditions as Array<Record<string, unknown>>;
    expect(conditions.map((c) => c.type)).toEqual(['PodScheduled', 'DisruptionTarget']);
    expect(conditions[1]).toMatchObject({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
      lastProbeTime: null,
    });
    expect(typeof conditions[1]?.lastTransitionTime).toBe('string');
  });

  it('canonicalises quantities on write', async () => {
    const h = await newHarness();
    const body = podManifest('q');
    (body.spec as { containers: Array<Record<string, unknown>> }).containers[0]!.resources = {
      requests: { cpu: '0.5', memory: '1024Mi' },
    };
    const reply = await h.call('POST', podsPath, { body });
    expect(reply.json.spec.containers[0].resources.requests).toEqual({
      cpu: '500m',
      memory: '1Gi',
    });
  });
});

describe('pods/log and pods/exec routes', () => {
  it('answers 400 for an unscheduled pod and 404 when no kubelet stream is connected', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('s') });
    const unscheduled = await h.call('GET', `${podsPath}/s/log`);
    expect(unscheduled.status).toBe(400);
    expect(unscheduled.json.message).toBe('pod s does not have a host assigned');
    await h.call('POST', `${podsPath}/s/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 's' }, target: { name: 'n1' } },
    });
    const noKubelet = await h.call('GET', `${podsPath}/s/log`);
    expect(noKubelet.status).toBe(404);
    expect(noKubelet.json.message).toContain('kubelet of node "n1"');
    expect((await h.call('POST', `${podsPath}/s/exec`)).status).toBe(404);
    expect((await h.call('DELETE', `${podsPath}/s/exec`)).status).toBe(405);
  });

  it('forwards to the kubelet connector when one is given', async () => {
    const seen: string[] = [];
    const h = await newHarness({
      server: {
        kubeletStreams: {
          forward: async (node, target) => {
            seen.push(`${node} ${target.namespace}/${target.name} ${target.subresource}`);
            return { kind: 'unary', response: { status: 200, headers: {}, body: 'hello\n' } };
          },
        },
      },
    });
    await h.call('POST', podsPath, { body: podManifest('s') });
    await h.call('POST', `${podsPath}/s/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 's' }, target: { name: 'n1' } },
    });
    const reply = await h.call('GET', `${podsPath}/s/log`);
    expect(reply.text).toBe('hello\n');
    expect(seen).toEqual(['n1 default/s log']);
  });
});

describe('field selectors per resource', () => {
  function event(name: string, reason: string, involved: string, component: string) {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: { kind: 'Pod', namespace: 'default', name: involved },
      reason,
      message: 'm',
      type: 'Normal',
      source: { component },
    };
  }

  it('selects events by involved object, reason, type and source', async () => {
    const h = await newHarness();
    const eventsPath = '/api/v1/namespaces/default/events';
    await h.call('POST', eventsPath, { body: event('a.1', 'Scheduled', 'a', 'default-scheduler') });
    await h.call('POST', eventsPath, { body: event('a.2', 'Pulled', 'a', 'kubelet') });
    await h.call('POST', eventsPath, { body: event('b.1', 'Scheduled', 'b', 'default-scheduler') });
    const names = async (fieldSelector: string): Promise<string[]> =>
      (await h.call('GET', eventsPath, { query: { fieldSelector } })).json.items.map(
        (e: { metadata: { name: string } }) => e.metadata.name,
      );
    expect(await names('involvedObject.name=a')).toEqual(['a.1', 'a.2']);
    expect(await names('involvedObject.name=a,reason!=Scheduled')).toEqual(['a.2']);
    expect(await names('reason==Scheduled,type=Normal')).toEqual(['a.1', 'b.1']);
    expect(await names('source=kubelet')).toEqual(['a.2']);
    const bad = await h.call('GET', eventsPath, { query: { fieldSelector: 'count=1' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('field label not supported: count');
  });

  it('selects pods by phase, node and scheduler, and nodes by unschedulable', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const names = async (path: string, fieldSelector: string): Promise<string[]> =>
      (await h.call('GET', path, { query: { fieldSelector } })).json.items.map(
        (o: { metadata: { name: string } }) => o.metadata.name,
      );
    expect(
      await names(podsPath, 'status.phase!=Running,spec.schedulerName=default-scheduler'),
    ).toEqual(['a']);
    expect(await names(podsPath, 'spec.nodeName=')).toEqual(['a']);
    expect(await names(podsPath, 'spec.restartPolicy=Never')).toEqual([]);
    await h.call('POST', '/api/v1/nodes', {
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1' },
        spec: { unschedulable: true },
      },
    });
    expect(await names('/api/v1/nodes', 'spec.unschedulable=true')).toEqual(['n1']);
  });
});
