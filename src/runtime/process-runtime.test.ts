// The process runtime: the ContainerRuntime contract with real busybox processes, and what is
// specific to it (argv from command and args, logs, signals, process groups, leftovers, probes).

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runContainerRuntimeContract } from '../../test/contracts/container-runtime.js';
import {
  RuntimeError,
  runtimeLabels,
  type ContainerConfig,
} from '../control/ports/container-runtime.js';
import { findBusybox } from './process-busybox.js';
import { ProcessRuntime, processRuntimeLabel } from './process-runtime.js';
import { WallClock } from './wall-clock.js';

const busybox = findBusybox();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs and is no zombie (this machine's init may not reap orphans). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function newRuntime(lines: string[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'miniku-process-runtime-'));
  const runtime = new ProcessRuntime({
    dataDir,
    nodeName: 'node-0',
    clock: new WallClock(),
    log: (line) => lines.push(line),
  });
  return { runtime, dataDir };
}

describe.skipIf(busybox === undefined)('ProcessRuntime (busybox on the host)', () => {
  runContainerRuntimeContract('ProcessRuntime', {
    newRuntime: async () => {
      const { runtime, dataDir } = newRuntime();
      return {
        runtime,
        advance: (ms) => sleep(ms),
        image: 'busybox:1.36',
        command: ['sleep', '3600'],
        exitImage: { image: 'busybox', exitCode: 3, command: ['sh', '-c', 'exit 3'] },
        cleanup: async () => {
          runtime.killAllNow();
          await sleep(20);
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
    stepMs: 20,
  });

  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function fixture() {
    const lines: string[] = [];
    const { runtime, dataDir } = newRuntime(lines);
    cleanups.push(() => {
      runtime.killAllNow();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return { runtime, dataDir, lines };
  }

  function config(overrides: Partial<ContainerConfig>): ContainerConfig {
    return {
      name: 'main',
      image: 'busybox',
      command: [],
      args: [],
      env: [],
      workingDir: '',
      attempt: 0,
      labels: { [runtimeLabels.podName]: 'p', [runtimeLabels.podNamespace]: 'default' },
      limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
      ...overrides,
    };
  }

  async function run(runtime: ProcessRuntime, overrides: Partial<ContainerConfig>) {
    const sandboxId = await runtime.runPodSandbox({
      name: 'p',
      namespace: 'default',
      uid: 'u1',
      attempt: 0,
      hostname: 'p-host',
      labels: {},
    });
    await runtime.pullImage(overrides.image ?? 'busybox');
    const id = await runtime.createContainer(sandboxId, config(overrides));
    await runtime.startContainer(id);
    return { sandboxId, id };
  }

  async function waitExited(runtime: ProcessRuntime, id: string) {
    for (let i = 0; i < 200; i += 1) {
      const status = await runtime.containerStatus(id);
      if (status.state === 'exited') return status;
      await sleep(10);
    }
    throw new Error(`container ${id} did not exit`);
  }

  it('runs command then args as a busybox applet, with env, hostname and its own cwd', async () => {
    const { runtime, dataDir } = fixture();
    const script = 'echo "$GREETING $HOSTNAME $0"; pwd; echo oops >&2';
    const { id } = await run(runtime, {
      command: ['/bin/sh', '-c'],
      args: [script, 'argzero'],
      env: [{ name: 'GREETING', value: 'hello' }],
      workingDir: '/work/../srv',
    });
    const status = await waitExited(runtime, id);
    expect(status).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const lines = await runtime.logs(id, { tailLines: 0, timestamps: false });
    expect(lines).toEqual([
      'hello p-host argzero',
      join(dataDir, 'containers', id, 'root', 'srv'),
      'oops',
    ]);
    const stamped = await runtime.logs(id, { tailLines: 1, timestamps: true });
    expect(stamped).toHaveLength(1);
    expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z oops$/);
  });

  it("runs the image's default sh when command and args are empty", async () => {
    const { runtime } = fixture();
    const { id } = await run(runtime, {});
    const status = await waitExited(runtime, id);
    expect(status.exitCode).toBe(0); // sh with no stdin ends at once
  });

  it('fails to pull anything but busybox with ErrImagePull', async () => {
    const { runtime } = fixture();
    const error = await runtime.pullImage('nginx:1.27').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).reason).toBe('ErrImagePull');
    expect((error as RuntimeError).message).toContain('Failed to pull image "nginx:1.27"');
    expect(await runtime.listImages()).toEqual([]);
    await runtime.pullImage('docker.io/library/busybox:latest');
    expect((await runtime.listImages()).map((image) => image.ref)).toEqual([
      'docker.io/library/busybox:latest',
    ]);
  });

  it('refuses to start a command that is no busybox applet', async () => {
    const { runtime } = fixture();
    const error = await run(runtime, { command: ['/usr/bin/python3'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).reason).toBe('RunContainerError');
    expect((error as RuntimeError).message).toContain('executable file not found');
  });

  it('stops with SIGTERM (143), and kills with SIGKILL (137) what ignores it', async () => {
    const { runtime } = fixture();
    const polite = await run(runtime, { command: ['sleep', '3600'] });
    await runtime.stopContainer(polite.id, 2_000);
    expect(await runtime.containerStatus(polite.id)).toMatchObject({
      state: 'exited',
      exitCode: 143,
      reason: 'Error',
    });
    const stubborn = await run(runtime, {
      command: ['sh', '-c', "trap '' TERM; echo ready; while true; do sleep 1; done"],
    });
    for (let i = 0; i < 100; i += 1) {
      const lines = await runtime.logs(stubborn.id, { tailLines: 0, timestamps: false });
      if (lines.includes('ready')) break;
      await sleep(10);
    }
    const startedAt = Date.now();
    await runtime.stopContainer(stubborn.id, 300);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    expect((await runtime.containerStatus(stubborn.id)).exitCode).toBe(137);
  });

  it("takes the container's child processes down with it", async () => {
    const { runtime } = fixture();
    const { id } = await run(runtime, {
      command: ['sh', '-c', 'sleep 3600 & echo $!; wait'],
    });
    let childPid = 0;
    for (let i = 0; i < 100 && childPid === 0; i += 1) {
      const [line] = await runtime.logs(id, { tailLines: 0, timestamps: false });
      childPid = Number(line ?? 0);
      await sleep(10);
    }
    expect(alive(childPid)).toBe(true);
    await runtime.removeContainer(id);
    await sleep(50);
    expect(alive(childPid)).toBe(false);
  });

  it('execs with the container environment and kills an exec at its timeout', async () => {
    const { runtime } = fixture();
    const { id } = await run(runtime, {
      command: ['sleep', '3600'],
      env: [{ name: 'WHO', value: 'exec' }],
    });
    const result = await runtime.exec(id, ['sh', '-c', 'echo $WHO; exit 4'], 2_000);
    expect(result).toEqual({ exitCode: 4, stdout: 'exec\n', stderr: '' });
    const missing = await runtime.exec(id, ['no-such-tool'], 1_000);
    expect(missing.exitCode).toBe(127);
    const slow = await runtime.exec(id, ['sleep', '5'], 100).catch((e: unknown) => e);
    expect((slow as RuntimeError).reason).toBe('DeadlineExceeded');
  });

  it('probes loopback listeners (its own pod IP on 127.0.0.1) and refuses other hosts without connecting', async () => {
    const { runtime } = fixture();
    const { sandboxId } = await run(runtime, { command: ['sleep', '3600'] });
    const server: Server = createServer((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/healthz' }).end();
      else res.writeHead(req.url === '/healthz' ? 200 : 500).end(`at ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    expect(await runtime.probeTcp(sandboxId, { host: '127.0.0.1', port }, 1_000)).toEqual({
      ok: true,
    });
    const [sandbox] = await runtime.listPodSandboxes();
    expect(sandbox?.ip).toBe('127.1.0.2');
    const own = { host: sandbox?.ip ?? '', port };
    expect(await runtime.probeTcp(sandboxId, own, 1_000)).toEqual({ ok: true });
    const request = { scheme: 'HTTP' as const, host: '127.0.0.1', port, headers: [] };
    expect(await runtime.probeHttp(sandboxId, { ...request, path: '/old' }, 1_000)).toEqual({
      statusCode: 200,
      body: 'at /healthz',
    });
    const far = { host: '10.244.0.5', port: 8080 };
    expect(await runtime.probeTcp(sandboxId, far, 1_000)).toEqual({
      ok: false,
      error: 'dial tcp 10.244.0.5:8080: connect: network is unreachable',
    });
  });

  it('labels its log lines, and kills what a crashed earlier run left behind', async () => {
    const first = fixture();
    const { id } = await run(first.runtime, { command: ['sleep', '3600'] });
    expect(first.lines.every((line) => line.includes(processRuntimeLabel))).toBe(true);
    expect(first.lines.some((line) => line.includes('started container main'))).toBe(true);
    const pid = Number(
      /pid (\d+)/.exec(first.lines.find((l) => l.includes('pid')) ?? '')?.[1] ?? 0,
    );
    expect(alive(pid)).toBe(true);
    const second = new ProcessRuntime({
      dataDir: first.dataDir,
      nodeName: 'node-0',
      clock: new WallClock(),
    });
    expect(second.removeLeftovers()).toBe(1);
    await waitExited(first.runtime, id);
    expect(alive(pid)).toBe(false);
    // The first runtime of this process may have written its exit record after the sweep
    // (a crashed run writes nothing): a second sweep kills nothing and removes the rest.
    expect(second.removeLeftovers()).toBe(0);
    expect(existsSync(join(first.dataDir, 'containers', id))).toBe(false);
    expect(readdirSync(join(first.dataDir, 'containers'))).toEqual([]);
  });
});
