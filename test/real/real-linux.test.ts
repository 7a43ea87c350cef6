// `miniku real --runtime linux` (root): the same cluster story as real-cluster.test.ts with
// containers in Linux namespaces. Skips visibly when not root or when LinuxRuntime cannot run
// here; with MINIKU_REQUIRE_ROOT=1 (CI) the skip is a failure instead.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealCluster, type RealCluster } from '../../src/cli/real-command.js';
import { prepareRuntime } from '../../src/cli/real-runtime.js';
import {
  api,
  deployment,
  kubectl,
  kubectlPath,
  listPods,
  readyNodes,
  waitFor,
  waitForRunningPods,
} from './real-helpers.js';

const requireRoot = process.env.MINIKU_REQUIRE_ROOT === '1';

/** Why the linux runtime cannot be tested here, or undefined when it can. */
async function unavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    await prepareRuntime('linux');
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `LinuxRuntime unavailable: ${message}`;
  }
}

const reason = await unavailableReason();

describe('miniku real --runtime linux', () => {
  if (reason !== undefined) {
    if (requireRoot) {
      it('runs (MINIKU_REQUIRE_ROOT=1 forbids skipping)', () => {
        expect.fail(`cannot run the linux real-mode test: ${reason}`);
      });
    } else {
      console.warn(`real-linux.test.ts: skipped: ${reason} (MINIKU_REQUIRE_ROOT=1 fails instead)`);
      it.skip(`skipped: ${reason}`, () => undefined);
    }
    return;
  }

  let dir = '';
  let cluster: RealCluster;
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-real-linux-'));
    cluster = await startRealCluster(
      { nodes: '2', dataDir: join(dir, 'data'), port: '0', runtime: 'linux', seed: 'linux' },
      () => undefined,
    );
    url = cluster.url;
  });

  afterAll(async () => {
    if (cluster !== undefined) await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a Deployment whose containers see their own PID 1, and scales it', async () => {
    await waitFor('2 Ready nodes', async () =>
      (await readyNodes(url)).length === 2 ? true : undefined,
    );
    const script = 'echo "hello from $(hostname)"; exec sleep 3600';
    const created = await api(url, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      ...(deployment('web', 2, script) as object),
    });
    expect(created.status).toBe(201);
    const pods = await waitForRunningPods(url, 'app=web', 2);
    const name = pods[0]?.metadata.name ?? '';
    const path = `/api/v1/namespaces/default/pods/${name}`;
    const log = await waitFor('the log line', async () => {
      const reply = await api(url, 'GET', `${path}/log`);
      return reply.text.includes('hello') ? reply.text : undefined;
    });
    expect(log).toBe(`hello from ${name}\n`);
    const exec = await api(url, 'POST', `${path}/exec`, { command: ['ps'] });
    expect(exec.status).toBe(200);
    expect(JSON.parse(exec.text).stdout).toMatch(/^\s*1\s/m); // its own PID namespace
    if (kubectlPath !== undefined) {
      const { stdout } = await kubectl(cluster.kubeconfigPath, dir, 'get', 'pods', '-o', 'wide');
      expect(stdout).toContain(name);
    }
    const patch = { spec: { replicas: 3 } };
    const deploymentPath = '/apis/apps/v1/namespaces/default/deployments/web';
    await api(url, 'PATCH', deploymentPath, patch, 'application/merge-patch+json');
    await waitForRunningPods(url, 'app=web', 3);
    await api(url, 'DELETE', deploymentPath, { propagationPolicy: 'Foreground' });
    await waitFor('no web pods', async () =>
      (await listPods(url, 'app=web')).length === 0 ? true : undefined,
    );
  });
});
