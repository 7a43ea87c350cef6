// kubectl's everyday writes and readers against `miniku apiserver`: describe, apply (client- and
// server-side), scale, label, annotate, cordon and drain, for the kubectl on PATH and 1.20.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPod, eventYaml, nodeYaml, podYaml, workloadsYaml } from './kubectl-fixtures.js';
import { kubectlVersions, startKubectlSession, type KubectlSession } from './kubectl-helpers.js';

function deploymentYaml(image: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {tier: backend}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: ${image}}]}
`;
}

describe.each(kubectlVersions())('$label: commands', ({ path }) => {
  let session: KubectlSession;
  const kc = (...args: string[]) => session.kubectl(...args);
  const json = async (...args: string[]) => JSON.parse((await kc(...args, '-o', 'json')).stdout);

  beforeAll(async () => {
    if (path === undefined) return;
    session = await startKubectlSession(path, 'kubectl-commands');
    await kc('apply', '-f', session.file('node.yaml', nodeYaml('node-1')));
    await kc('apply', '-f', session.file('pod.yaml', podYaml('web-0', 'app: web')));
    await bindPod(session, 'web-0', 'node-1');
    const pod = await session.api('GET', '/api/v1/namespaces/default/pods/web-0');
    await kc('apply', '-f', session.file('event.yaml', eventYaml('web-0', pod.json.metadata.uid)));
  }, 30_000);

  afterAll(async () => {
    await session?.close();
  });

  it.skipIf(path === undefined)('describes a pod with its node and events', async () => {
    const { stdout } = await kc('describe', 'pod', 'web-0');
    expect(stdout).toMatch(/^Name:\s+web-0$/m);
    expect(stdout).toMatch(/^Namespace:\s+default$/m);
    expect(stdout).toMatch(/^Node:\s+node-1\/?/m);
    expect(stdout).toMatch(/^Status:\s+Pending$/m);
    expect(stdout).toMatch(/^\s+Image:\s+busybox:1\.36$/m);
    expect(stdout).toMatch(/Normal\s+Scheduled\s+.*Successfully assigned default\/web-0 to node-1/);
  });

  it.skipIf(path === undefined)('describes a node with its pods and allocation', async () => {
    const { stdout } = await kc('describe', 'node', 'node-1');
    expect(stdout).toMatch(/^Name:\s+node-1$/m);
    expect(stdout).toMatch(/^Roles:\s+worker$/m);
    expect(stdout).toMatch(/Ready\s+True\s+.*KubeletReady/);
    expect(stdout).toMatch(/Non-terminated Pods:\s+\(1 in total\)/);
    expect(stdout).toMatch(/default\s+web-0\s+0 \(0%\)/);
    expect(stdout).toMatch(/Kubelet Version:\s+v1\.32\.0-miniku/);
  });

  it.skipIf(path === undefined)('applies client-side: create, unchanged, configure', async () => {
    const file = session.file('api.yaml', deploymentYaml('nginx:1.26', 1));
    expect((await kc('apply', '-f', file)).stdout.trim()).toBe('deployment.apps/api created');
    expect((await kc('apply', '-f', file)).stdout.trim()).toBe('deployment.apps/api unchanged');
    session.file('api.yaml', deploymentYaml('nginx:1.27', 1));
    expect((await kc('apply', '-f', file)).stdout.trim()).toBe('deployment.apps/api configured');
    const deployment = await json('get', 'deployment', 'api');
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(deployment.metadata.generation).toBe(2);
  });

  it.skipIf(path === undefined)(
    'applies server-side: create, then update the same fields',
    async () => {
      const file = session.file('workloads.yaml', workloadsYaml);
      const created = await kc('apply', '--server-side', '-f', file);
      expect(created.stdout.trim().split('\n')).toEqual([
        'deployment.apps/web serverside-applied',
        'replicaset.apps/cache serverside-applied',
        'service/web serverside-applied',
      ]);
      session.file('workloads.yaml', workloadsYaml.replace('nginx:1.27', 'nginx:1.28'));
      await kc('apply', '--server-side', '-f', file);
      const web = await json('get', 'deployment', 'web');
      expect(web.spec.template.spec.containers[0].image).toBe('nginx:1.28');
      expect(web.spec.replicas).toBe(2);
    },
  );

  it.skipIf(path === undefined)('scales deployments and replicasets', async () => {
    expect((await kc('scale', 'deployment', 'api', '--replicas=3')).stdout.trim()).toBe(
      'deployment.apps/api scaled',
    );
    expect((await json('get', 'deployment', 'api')).spec.replicas).toBe(3);
    expect((await kc('scale', 'rs/cache', '--replicas=0')).stdout.trim()).toBe(
      'replicaset.apps/cache scaled',
    );
    expect((await json('get', 'rs', 'cache')).spec.replicas).toBe(0);
  });

  it.skipIf(path === undefined)(
    'labels and annotates, refusing to overwrite without --overwrite',
    async () => {
      expect((await kc('label', 'pod', 'web-0', 'tier=front')).stdout.trim()).toBe(
        'pod/web-0 labeled',
      );
      const refused = await session.kubectlFails('label', 'pod', 'web-0', 'tier=back');
      expect(refused.stderr).toContain("'tier' already has a value (front)");
      await kc('label', 'pod', 'web-0', 'tier=back', '--overwrite');
      expect((await kc('annotate', 'pod', 'web-0', 'owner=team-a')).stdout.trim()).toBe(
        'pod/web-0 annotated',
      );
      const pod = await json('get', 'pod', 'web-0');
      expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'back' });
      expect(pod.metadata.annotations.owner).toBe('team-a');
      const selected = await kc('get', 'pods', '-l', 'tier=back', '-o', 'name');
      expect(selected.stdout.trim()).toBe('pod/web-0');
    },
  );

  it.skipIf(path === undefined)('cordons and uncordons a node', async () => {
    expect((await kc('cordon', 'node-1')).stdout.trim()).toBe('node/node-1 cordoned');
    const { stdout } = await kc('get', 'node', 'node-1');
    expect(stdout).toMatch(/node-1\s+Ready,SchedulingDisabled\s+worker/);
    expect((await json('get', 'node', 'node-1')).spec.unschedulable).toBe(true);
    expect((await kc('uncordon', 'node-1')).stdout.trim()).toBe('node/node-1 uncordoned');
    expect((await json('get', 'node', 'node-1')).spec.unschedulable).toBeUndefined();
  });

  it.skipIf(path === undefined)('drains a node: cordons it and removes its bound pod', async () => {
    await kc('apply', '-f', session.file('node2.yaml', nodeYaml('node-2')));
    await kc('apply', '-f', session.file('lone.yaml', podYaml('lone')));
    await bindPod(session, 'lone', 'node-2');
    // No kubelet runs here, so the pods must go at once: --grace-period=0.
    const drained = await kc(
      'drain',
      'node-2',
      '--ignore-daemonsets',
      '--force',
      '--grace-period=0',
      '--timeout=20s',
    );
    expect(drained.stdout).toContain('node/node-2 cordoned');
    expect(drained.stdout).toMatch(/pod\/lone (evicted|deleted)/);
    expect(drained.stderr).toMatch(/deleting Pods (that declare no controller|not managed by)/);
    const left = await kc('get', 'pods', '--field-selector', 'spec.nodeName=node-2', '-o', 'name');
    expect(left.stdout.trim()).toBe('');
    expect((await json('get', 'node', 'node-2')).spec.unschedulable).toBe(true);
  });
});
