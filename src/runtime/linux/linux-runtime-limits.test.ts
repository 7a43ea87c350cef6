// The Linux runtime's cgroup limits, OOM kills, graceful stop and cleanup, on the real kernel.

import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  containerConfig,
  describeLinux,
  linuxFixture,
  mountsUnder,
  processRunning,
  readContainerRecord,
  sandboxConfig,
  startContainer,
  waitExited,
  type LinuxFixture,
} from './testing/linux-fixture.js';

const mebibyte = 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describeLinux('LinuxRuntime limits and stops', () => {
  let fixture: LinuxFixture;
  beforeEach(async () => {
    fixture = await linuxFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('writes memory, cpu and pids limits into the container cgroup', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('limited'));
    const limits = { memoryBytes: 48 * mebibyte, cpuMillis: 250, pidsMax: 20 };
    const id = await startContainer(
      runtime,
      sandboxId,
      containerConfig('main', ['sleep', '30'], { limits }),
    );
    const { cgroup } = await readContainerRecord(fixture.dataDir, id);
    expect(cgroup).toBeDefined();
    const file = (name: string) =>
      readFile(join(cgroup?.dirs.find((d) => exists(join(d, name))) ?? '', name), 'utf8');
    if (cgroup?.version === 1) {
      const [memoryDir, cpuDir, pidsDir] = cgroup.dirs as [string, string, string];
      expect(await readFile(join(memoryDir, 'memory.limit_in_bytes'), 'utf8')).toBe(
        `${48 * mebibyte}\n`,
      );
      expect(await readFile(join(cpuDir, 'cpu.cfs_quota_us'), 'utf8')).toBe('25000\n');
      expect(await readFile(join(pidsDir, 'pids.max'), 'utf8')).toBe('20\n');
      const procs = await readFile(join(memoryDir, 'cgroup.procs'), 'utf8');
      expect(procs.trim().split('\n').length).toBeGreaterThanOrEqual(2);
    } else {
      expect(await file('memory.max')).toBe(`${48 * mebibyte}\n`);
      expect(await file('cpu.max')).toBe('25000 100000\n');
    }
    await runtime.stopContainer(id, 1000);
  });

  it('reports a workload killed past its memory limit as OOMKilled 137', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('hungry'));
    const limits = { memoryBytes: 32 * mebibyte, cpuMillis: 0, pidsMax: 0 };
    const command = ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=96M', 'count=1'];
    const id = await startContainer(
      runtime,
      sandboxId,
      containerConfig('main', command, { limits }),
    );
    const status = await waitExited(runtime, id);
    expect(status).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('stops a container with SIGTERM, which the init forwards to the workload', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('polite'));
    const id = await startContainer(runtime, sandboxId, containerConfig('main', ['sleep', '60']));
    const startMs = Date.now();
    await runtime.stopContainer(id, 10_000);
    expect(Date.now() - startMs).toBeLessThan(3000);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 143 });
  });

  it('kills a container that ignores SIGTERM when the timeout passes', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('stubborn'));
    const script = 'trap "" TERM; echo ready; while :; do sleep 1; done';
    const id = await startContainer(
      runtime,
      sandboxId,
      containerConfig('main', ['sh', '-c', script]),
    );
    const startMs = Date.now();
    await runtime.stopContainer(id, 800);
    const tookMs = Date.now() - startMs;
    expect(tookMs).toBeGreaterThanOrEqual(800);
    expect(tookMs).toBeLessThan(4000);
    expect(await runtime.containerStatus(id)).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('leaves no process, cgroup, mount or file after removal', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('tidy'));
    const limits = { memoryBytes: 64 * mebibyte, cpuMillis: 0, pidsMax: 0 };
    const config = containerConfig('main', ['sh', '-c', 'sleep 60 & sleep 60'], { limits });
    const id = await startContainer(runtime, sandboxId, config);
    const record = await readContainerRecord(fixture.dataDir, id);
    const dirs = record.cgroup?.dirs ?? [];
    const pids = (await readFile(join(dirs[0] ?? '', 'cgroup.procs'), 'utf8')).trim().split('\n');
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(await mountsUnder(fixture.dataDir)).toHaveLength(1);
    await runtime.removeContainer(id);
    await runtime.removePodSandbox(sandboxId);
    // A process SIGKILLed together with its namespace's init may linger briefly as a zombie of
    // the host's init; it is dead, so only running processes count.
    for (const pid of pids) expect(await processRunning(Number(pid))).toBe(false);
    for (const dir of dirs) {
      expect(await exists(dir)).toBe(false);
      expect(await exists(join(dir, '..'))).toBe(false);
    }
    expect(await mountsUnder(fixture.dataDir)).toEqual([]);
    expect(await runtime.listContainers()).toEqual([]);
    expect(await runtime.listPodSandboxes()).toEqual([]);
  });
});
