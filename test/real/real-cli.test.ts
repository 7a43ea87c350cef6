// The compiled CLI in processes of its own: `miniku real --runtime process` until SIGINT (no
// container outlives it), and the components as separate processes — apiserver, scheduler,
// controller-manager and a kubelet whose server the API server proxies pods/log to.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareRuntime } from '../../src/cli/real-runtime.js';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import {
  api,
  buildCli,
  containerPids,
  deployment,
  kubectl,
  kubectlPath,
  processAlive,
  readyNodes,
  startCli,
  waitFor,
  waitForRunningPods,
  type CliProcess,
} from './real-helpers.js';

const script = 'echo "hello from $HOSTNAME"; exec sleep 3600';
const linuxUsable = await prepareRuntime('linux').then(
  () => true,
  () => false,
);

describe.skipIf(findBusybox() === undefined)('the miniku CLI in real mode', () => {
  let cliMain = '';
  let removeBuild: () => Promise<void> = async () => undefined;
  let dir = '';
  const started: CliProcess[] = [];

  beforeAll(async () => {
    const build = await buildCli();
    cliMain = build.cliMain;
    removeBuild = build.remove;
  }, 120_000);

  afterAll(async () => {
    await removeBuild();
  });

  afterEach(async () => {
    for (const cli of started.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
      for (const pid of containerPids(cli.output())) {
        if (processAlive(pid)) process.kill(-pid, 'SIGKILL');
      }
    }
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  function cli(args: string[]): CliProcess {
    const child = startCli(cliMain, args, dir);
    started.push(child);
    return child;
  }

  it('real --runtime process: nodes Ready, pods Running, SIGINT leaves no container', async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-real-cli-'));
    const spawnedAtMs = Date.now();
    const real = cli(['real', '--runtime', 'process', '--port', '0', '--data-dir', 'data']);
    const [, url = ''] = await real.waitForOutput(/API server on (http:\/\/127\.0\.0\.1:\d+)/);
    await waitFor(
      '2 Ready nodes',
      async () => ((await readyNodes(url)).length === 2 ? true : undefined),
      { stepMs: 10 },
    );
    const readyMs = Date.now() - spawnedAtMs;
    expect(readyMs).toBeLessThan(15_000);
    console.log(`real --runtime process: all nodes Ready ${readyMs} ms after spawn`);
    const path = '/apis/apps/v1/namespaces/default/deployments';
    expect((await api(url, 'POST', path, deployment('web', 2, script))).status).toBe(201);
    await waitForRunningPods(url, 'app=web', 2);
    const pids = containerPids(real.output());
    expect(pids).toHaveLength(2);
    expect(pids.every(processAlive)).toBe(true);
    real.child.kill('SIGINT');
    expect(await real.exited).toBe(0);
    expect(pids.some(processAlive)).toBe(false);
    expect(real.output()).toMatch(/SIGINT: stopping pods/);
    expect(real.output()).toContain('stopped 2 containers');
    expect(readdirSync(join(dir, 'data', 'nodes', 'node-0', 'containers'))).toEqual([]);
  });

  it('runs apiserver, scheduler, controller-manager and kubelet as separate processes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-components-'));
    const server = cli(['apiserver', '--port', '0', '--data-dir', 'data']);
    const [, url = ''] = await server.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const kubeconfig = join(dir, 'data', 'kubeconfig');
    await server.waitForOutput(/kubeconfig: /);
    cli(['scheduler', '--kubeconfig', kubeconfig]);
    cli(['controller-manager', '--kubeconfig', kubeconfig]);
    const kubelet = cli([
      'kubelet',
      ...['--server', url, '--node-name', 'solo', '--runtime', 'process'],
      ...['--data-dir', 'data'],
    ]);
    await kubelet.waitForOutput(/kubelet server http:\/\/127\.0\.0\.1:\d+/);
    await waitFor('node solo Ready', async () =>
      (await readyNodes(url)).includes('solo') ? true : undefined,
    );
    const path = '/apis/apps/v1/namespaces/default/deployments';
    expect((await api(url, 'POST', path, deployment('web', 1, script))).status).toBe(201);
    const [pod] = await waitForRunningPods(url, 'app=web', 1);
    const name = pod?.metadata.name ?? '';
    const log = await waitFor('the log through the kubelet server', async () => {
      const reply = await api(url, 'GET', `/api/v1/namespaces/default/pods/${name}/log`);
      return reply.text.includes('hello') ? reply.text : undefined;
    });
    expect(log).toBe(`hello from ${name}\n`);
    if (kubectlPath !== undefined) {
      const { stdout } = await kubectl(kubeconfig, dir, 'logs', name);
      expect(stdout).toBe(`hello from ${name}\n`);
    }
    const pids = containerPids(kubelet.output());
    expect(pids).toHaveLength(1);
    kubelet.child.kill('SIGINT');
    expect(await kubelet.exited).toBe(0);
    expect(pids.some(processAlive)).toBe(false);
    for (const component of started) component.child.kill('SIGINT');
    expect(await Promise.all(started.map((component) => component.exited))).toEqual([0, 0, 0, 0]);
  });

  it.skipIf(linuxUsable)(
    'fails in one line with exit 2 when the linux runtime cannot run',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'miniku-real-cli-'));
      const real = cli(['real', '--port', '0', '--data-dir', 'data']);
      expect(await real.exited).toBe(2);
      expect(real.output()).toMatch(
        /^miniku: The linux runtime cannot run here: [^\n]+; try --runtime process \(no isolation, development only\)\n$/,
      );
    },
  );
});
