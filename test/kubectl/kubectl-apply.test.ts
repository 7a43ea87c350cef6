// kubectl apply, field selectors and namespace deletion against `miniku apiserver`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectl, startKubectlSession, type KubectlSession } from './kubectl-helpers.js';

const kubectlPath = findKubectl();

function podYaml(image: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: ${image}
${extra}`;
}

describe.skipIf(kubectlPath === undefined)('kubectl apply against miniku apiserver', () => {
  let session: KubectlSession;
  const file = (name: string, text: string): string => {
    const path = join(session.dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    session = await startKubectlSession(kubectlPath as string, 'kubectl-apply');
  });
  afterAll(async () => {
    await session.close();
  });

  it('rejects a misspelt field with the strict decoding error', async () => {
    const path = file('typo.yaml', podYaml('nginx:1.26', '    imagePullPolicyy: Always\n'));
    await expect(session.kubectl('apply', '-f', path)).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'strict decoding error: unknown field "spec.containers[0].imagePullPolicyy"',
      ),
    });
  });

  it('updates a pod image through a strategic merge patch on the second apply', async () => {
    const first = await session.kubectl('apply', '-f', file('pod.yaml', podYaml('nginx:1.26')));
    expect(first.stdout.trim()).toBe('pod/web created');
    const again = await session.kubectl('apply', '-f', file('pod.yaml', podYaml('nginx:1.26')));
    expect(again.stdout.trim()).toBe('pod/web unchanged');
    const second = await session.kubectl('apply', '-f', file('pod.yaml', podYaml('nginx:1.27')));
    expect(second.stdout.trim()).toBe('pod/web configured');
    const pod = JSON.parse((await session.kubectl('get', 'pod', 'web', '-o', 'json')).stdout);
    expect(pod.spec.containers[0].image).toBe('nginx:1.27');
    expect(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      'nginx:1.27',
    );
  });

  it('dry-runs an apply on the server without changing the pod', async () => {
    const dry = await session.kubectl(
      'apply',
      '--dry-run=server',
      '-f',
      file('dry.yaml', podYaml('nginx:9.9')),
    );
    expect(dry.stdout.trim()).toBe('pod/web configured (server dry run)');
    const image = await session.kubectl(
      'get',
      'pod',
      'web',
      '-o',
      'jsonpath={.spec.containers[0].image}',
    );
    expect(image.stdout).toBe('nginx:1.27');
  });

  it('filters pods with a != field selector', async () => {
    const running = await session.kubectl(
      'get',
      'pods',
      '--field-selector',
      'status.phase!=Running',
      '-o',
      'name',
    );
    expect(running.stdout.trim()).toBe('pod/web');
    const none = await session.kubectl(
      'get',
      'pods',
      '--field-selector',
      'status.phase=Running',
      '-o',
      'name',
    );
    expect(none.stdout.trim()).toBe('');
    await expect(
      session.kubectl('get', 'pods', '--field-selector', 'spec.bogus=x'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('field label not supported: spec.bogus'),
    });
  });

  it('labels and scales through patches', async () => {
    const labelled = await session.kubectl('label', 'pod', 'web', 'tier=front');
    expect(labelled.stdout.trim()).toBe('pod/web labeled');
    const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: busybox
`;
    await session.kubectl('apply', '-f', file('deploy.yaml', deploy));
    const scaled = await session.kubectl('scale', 'deployment', 'api', '--replicas=3');
    expect(scaled.stdout.trim()).toBe('deployment.apps/api scaled');
    const replicas = (
      await session.kubectl('get', 'deployment', 'api', '-o', 'jsonpath={.spec.replicas}')
    ).stdout;
    expect(replicas).toBe('3');
  });
});

const shopManifests = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: busybox
`;

describe.skipIf(kubectlPath === undefined)(
  'kubectl delete namespace against miniku apiserver',
  () => {
    let session: KubectlSession;

    beforeAll(async () => {
      session = await startKubectlSession(kubectlPath as string, 'kubectl-namespaces');
    });
    afterAll(async () => {
      await session.close();
    });

    it('empties a namespace and then removes it', async () => {
      // kubectl's generators (`kubectl create namespace`) send protobuf, which miniku does not
      // decode (it answers 415); manifests travel as JSON.
      writeFileSync(join(session.dir, 'shop.yaml'), shopManifests);
      await session.kubectl('apply', '-f', join(session.dir, 'shop.yaml'));
      writeFileSync(join(session.dir, 'p.yaml'), podYaml('nginx:1.27'));
      await session.kubectl('-n', 'shop', 'apply', '-f', join(session.dir, 'p.yaml'));
      const deleted = await session.kubectl('delete', 'namespace', 'shop', '--timeout=30s');
      expect(deleted.stdout.trim()).toBe('namespace "shop" deleted');
      await expect(session.kubectl('get', 'namespace', 'shop')).rejects.toMatchObject({
        stderr: expect.stringContaining('namespaces "shop" not found'),
      });
      const left = await session.kubectl('get', 'pods,deployments', '-n', 'shop', '-o', 'name');
      expect(left.stdout.trim()).toBe('');
    }, 40_000);

    it('refuses to delete the default namespace', async () => {
      await expect(session.kubectl('delete', 'namespace', 'default')).rejects.toMatchObject({
        stderr: expect.stringContaining(
          'namespaces "default" is forbidden: this namespace may not be deleted',
        ),
      });
    });
  },
);
