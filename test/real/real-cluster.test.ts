// `miniku real --runtime process` started in this process: Ready nodes, a Deployment of busybox
// pods that real kubectl lists, pods/log and pods/exec through the API server, scaling,
// deletion, and a shutdown that leaves no container process behind.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealCluster, type RealCluster } from '../../src/cli/real-command.js';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import {
  api,
  containerPids,
  deployment,
  kubectl,
  kubectlPath,
  listPods,
  processAlive,
  readyNodes,
  waitFor,
  waitForRunningPods,
} from './real-helpers.js';

const script = 'echo "hello from $HOSTNAME"; exec sleep 3600';

describe.skipIf(findBusybox() === undefined)('miniku real --runtime process (in-process)', () => {
  let dir = '';
  let cluster: RealCluster;
  let output = '';
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-real-'));
    cluster = await startRealCluster(
      { nodes: '2', dataDir: join(dir, 'data'), port: '0', runtime: 'process', seed: 'real' },
      (text) => void (output += text),
    );
    url = cluster.url;
  });

  afterAll(async () => {
    if (cluster !== undefined) {
      cluster.killAll();
      await cluster.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the kubeconfig in its data dir and how to use it', () => {
    expect(cluster.kubeconfigPath).toBe(join(dir, 'data', 'kubeconfig'));
    expect(output).toContain(`try: kubectl --kubeconfig ${cluster.kubeconfigPath} get nodes`);
    expect(output).toContain('process runtime: no isolation, development only');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('registers every node Ready', async () => {
    const ready = await waitFor('2 Ready nodes', async () => {
      const names = await readyNodes(url);
      return names.length === 2 ? names : undefined;
    });
    expect(ready).toEqual(['node-0', 'node-1']);
  });

  it('runs a Deployment of two busybox pods, one per node, listed by kubectl -o wide', async () => {
    const created = await api(url, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      ...(deployment('web', 2, script) as object),
    });
    expect(created.status).toBe(201);
    const pods = await waitForRunningPods(url, 'app=web', 2);
    expect(pods.map((pod) => pod.spec.nodeName).sort()).toEqual(['node-0', 'node-1']);
    expect(pods.every((pod) => /^127\.1\.[01]\.\d+$/.test(pod.status.podIP ?? ''))).toBe(true);
    if (kubectlPath === undefined) return;
    const { stdout } = await kubectl(cluster.kubeconfigPath, dir, 'get', 'pods', '-o', 'wide');
    expect(stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    for (const pod of pods) {
      const row = new RegExp(
        `^${pod.metadata.name}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+127\\.1`,
        'm',
      );
      expect(stdout).toMatch(row);
    }
  });

  it('serves pods/log and pods/exec through the API server', async () => {
    const [pod] = await listPods(url, 'app=web');
    const name = pod?.metadata.name ?? '';
    const path = `/api/v1/namespaces/default/pods/${name}`;
    const log = await waitFor('the log line', async () => {
      const reply = await api(url, 'GET', `${path}/log`);
      return reply.text.includes('hello') ? reply : undefined;
    });
    expect(log).toEqual({ status: 200, text: `hello from ${name}\n` });
    const exec = await api(url, 'POST', `${path}/exec?container=main`, {
      command: ['sh', '-c', 'echo $HOSTNAME'],
    });
    expect(exec.status).toBe(200);
    expect(JSON.parse(exec.text)).toEqual({ exitCode: 0, stdout: `${name}\n`, stderr: '' });
    if (kubectlPath === undefined) return;
    const { stdout } = await kubectl(cluster.kubeconfigPath, dir, 'logs', name);
    expect(stdout).toBe(`hello from ${name}\n`);
  });

  it('scales the Deployment to three', async () => {
    if (kubectlPath !== undefined) {
      await kubectl(cluster.kubeconfigPath, dir, 'scale', 'deployment', 'web', '--replicas=3');
    } else {
      const patch = { spec: { replicas: 3 } };
      const path = '/apis/apps/v1/namespaces/default/deployments/web';
      await api(url, 'PATCH', path, patch, 'application/merge-patch+json');
    }
    const pods = await waitForRunningPods(url, 'app=web', 3);
    expect(new Set(pods.map((pod) => pod.spec.nodeName)).size).toBe(2);
  });

  it("deletes the Deployment, and its pods' processes end", async () => {
    const pids = containerPids(output);
    expect(pids).toHaveLength(3);
    expect(pids.every(processAlive)).toBe(true);
    const path = '/apis/apps/v1/namespaces/default/deployments/web';
    const deleted = await api(url, 'DELETE', path, { propagationPolicy: 'Foreground' });
    expect(deleted.status).toBe(200);
    await waitFor('no web pods', async () =>
      (await listPods(url, 'app=web')).length === 0 ? true : undefined,
    );
    await waitFor('no container processes', async () =>
      pids.some(processAlive) ? undefined : true,
    );
  });

  it('logs one line per scheduling decision and pod lifecycle change', () => {
    const decisions = output.match(/scheduler: scheduled default\/web-\S+ to node-[01] /g) ?? [];
    expect(decisions).toHaveLength(3);
    expect(output).toMatch(/pod default\/web-\S+: Running 1\/1 ready on node-[01]/);
    expect(output).toMatch(/pod default\/web-\S+: deleted/);
  });

  it('stops every container on close and removes their directories', async () => {
    const created = await api(url, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      ...(deployment('last', 2, script) as object),
    });
    expect(created.status).toBe(201);
    await waitForRunningPods(url, 'app=last', 2);
    const pids = containerPids(output).slice(-2);
    expect(pids.every(processAlive)).toBe(true);
    await cluster.close();
    expect(pids.some(processAlive)).toBe(false);
    expect(output).toContain('stopped 2 containers');
    for (const node of ['node-0', 'node-1']) {
      expect(readdirSync(join(dir, 'data', 'nodes', node, 'containers'))).toEqual([]);
    }
  });
});
