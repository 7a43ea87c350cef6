// `@kubernetes/client-node` (the official JavaScript client) against `miniku real --runtime
// process`: list, watch from a list's resourceVersion, create (a Pod and a Deployment), and exec
// over WebSocket.

import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import { startClusterSession, waitFor, type ClusterSession } from './kubectl-real-helpers.js';

/** client-node refuses plain http unless told to skip TLS verification (there is no TLS). */
function kubeConfigFor(url: string): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'miniku', server: url, skipTLSVerify: true }],
    users: [{ name: 'miniku' }],
    contexts: [{ name: 'miniku', cluster: 'miniku', user: 'miniku' }],
    currentContext: 'miniku',
  });
  return config;
}

function busyboxPod(name: string, script: string): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: name } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }],
    },
  };
}

describe.skipIf(findBusybox() === undefined)('@kubernetes/client-node on miniku real', () => {
  let session: ClusterSession;
  let config: k8s.KubeConfig;
  let core: k8s.CoreV1Api;

  beforeAll(async () => {
    session = await startClusterSession('process', 'client-node');
    config = kubeConfigFor(session.url);
    core = config.makeApiClient(k8s.CoreV1Api);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('lists the nodes, both Ready', async () => {
    const nodes = await core.listNode();
    expect(nodes.items.map((node) => node.metadata?.name)).toEqual(['node-0', 'node-1']);
    for (const node of nodes.items) {
      const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
      expect(ready?.status).toBe('True');
    }
  });

  it('watches pods from a list resourceVersion and sees a created pod added and Running', async () => {
    const list = await core.listNamespacedPod({ namespace: 'default' });
    const events: Array<{ type: string; name: string; phase: string }> = [];
    const watch = new k8s.Watch(config);
    const controller = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: list.metadata?.resourceVersion },
      (type: string, pod: k8s.V1Pod) => {
        events.push({ type, name: pod.metadata?.name ?? '', phase: pod.status?.phase ?? '' });
      },
      () => undefined,
    );
    try {
      const created = await core.createNamespacedPod({
        namespace: 'default',
        body: busyboxPod('watched', 'exec sleep 3600'),
      });
      expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
      await waitFor('a Running event', async () =>
        events.some((event) => event.phase === 'Running') ? true : undefined,
      );
    } finally {
      controller.abort();
    }
    expect(events[0]).toEqual({ type: 'ADDED', name: 'watched', phase: 'Pending' });
    expect(events.every((event) => event.name === 'watched')).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'MODIFIED', name: 'watched', phase: 'Running' });
  });

  it('creates a Deployment whose replicas become ready', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const pod = busyboxPod('api', 'exec sleep 3600');
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'api' } },
          template: { metadata: pod.metadata ?? {}, spec: pod.spec ?? { containers: [] } },
        },
      },
    });
    const ready = await waitFor('2 ready replicas', async () => {
      const deployment = await apps.readNamespacedDeployment({ namespace: 'default', name: 'api' });
      return deployment.status?.readyReplicas === 2 ? deployment : undefined;
    });
    expect(ready.status?.availableReplicas).toBe(2);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=api' });
    expect(pods.items.map((item) => item.spec?.nodeName).sort()).toEqual(['node-0', 'node-1']);
  });

  it('execs a command over WebSocket and receives its output and exit status', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(config)
        .exec(
          'default',
          'watched',
          'main',
          ['sh', '-c', 'echo "from $HOSTNAME"; exit 4'],
          sink,
          sink,
          null,
          false,
          resolve,
        )
        .catch(reject);
    });
    expect(output).toBe('from watched\n');
    expect(status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '4' }] },
    });
  });

  it('deletes the pod', async () => {
    await core.deleteNamespacedPod({ namespace: 'default', name: 'watched' });
    await waitFor('the pod gone', async () => {
      const pods = await core.listNamespacedPod({
        namespace: 'default',
        labelSelector: 'app=watched',
      });
      return pods.items.length === 0 ? true : undefined;
    });
  });
});
