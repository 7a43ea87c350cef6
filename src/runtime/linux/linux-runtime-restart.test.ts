// A LinuxRuntime made over the data dir of an earlier one (a restarted kubelet) adopts its
// sandboxes and containers and sweeps what a crash left behind.

import { spawn } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runtimeLabels } from '../../control/ports/container-runtime.js';
import { detectCgroupLayout } from './cgroup-layout.js';
import { runtimePaths } from './runtime-files.js';
import { runChecked } from './run-process.js';
import {
  containerConfig,
  describeLinux,
  eventually,
  linuxFixture,
  mountsUnder,
  processRunning,
  readContainerRecord,
  sandboxConfig,
  startContainer,
  waitExited,
  type LinuxFixture,
} from './testing/linux-fixture.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describeLinux('LinuxRuntime restart', () => {
  let fixture: LinuxFixture;
  beforeEach(async () => {
    fixture = await linuxFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('rediscovers running and exited containers after a restart', async () => {
    const first = fixture.newRuntime();
    const sandboxId = await first.runPodSandbox(sandboxConfig('survivor'));
    const runner = await startContainer(
      first,
      sandboxId,
      containerConfig('runner', ['sh', '-c', 'echo started; exec sleep 60']),
    );
    const quitter = await startContainer(
      first,
      sandboxId,
      containerConfig('quitter', ['sh', '-c', 'exit 5']),
    );
    await waitExited(first, quitter);

    const second = fixture.newRuntime();
    expect(await second.listPodSandboxes()).toMatchObject([{ id: sandboxId, state: 'ready' }]);
    const byName = Object.fromEntries(
      (await second.listContainers()).map((c) => [c.config.labels[runtimeLabels.containerName], c]),
    );
    expect(byName.runner).toMatchObject({ id: runner, state: 'running', sandboxId });
    expect(byName.quitter).toMatchObject({ id: quitter, state: 'exited', exitCode: 5 });
    expect(await second.logs(runner, { tailLines: 0, timestamps: false })).toEqual(['started']);
    expect((await second.exec(runner, ['hostname'], 5000)).stdout).toBe('survivor\n');
    await second.stopContainer(runner, 5000);
    expect(await second.containerStatus(runner)).toMatchObject({ state: 'exited', exitCode: 143 });
  });

  it('notices an exit that happened while no runtime was running', async () => {
    const first = fixture.newRuntime();
    const sandboxId = await first.runPodSandbox(sandboxConfig('brief'));
    const id = await startContainer(first, sandboxId, containerConfig('main', ['sleep', '1']));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = fixture.newRuntime();
    expect(await second.containerStatus(id)).toMatchObject({
      state: 'exited',
      exitCode: 0,
      reason: 'Completed',
    });
  });

  it('sweeps half-made state, stray mounts and stray cgroups at start-up', async () => {
    const paths = runtimePaths(fixture.dataDir, 'node-1');
    const strayId = 'a'.repeat(64);
    const straySandbox = join(paths.sandboxesDir, strayId);
    await mkdir(straySandbox, { recursive: true });
    await writeFile(join(straySandbox, 'netns'), '');
    await runChecked('/bin/busybox', ['unshare', `--net=${join(straySandbox, 'netns')}`, 'true']);
    const strayContainer = join(paths.containersDir, 'b'.repeat(64));
    await mkdir(join(strayContainer, 'upper'), { recursive: true });
    const detected = await detectCgroupLayout();
    if (!detected.ok) throw new Error(detected.error);
    const layout = detected.layout;
    const strayCgroup =
      layout.version === 1
        ? join(layout.parents.pids, paths.cgroupGroup, 'c'.repeat(64))
        : join(layout.root, paths.cgroupGroup, 'c'.repeat(64));
    await mkdir(strayCgroup, { recursive: true });
    const sleeper = spawn('/bin/busybox', ['sleep', '60'], { stdio: 'ignore' });
    await writeFile(join(strayCgroup, 'cgroup.procs'), String(sleeper.pid));
    expect(await mountsUnder(fixture.dataDir)).toHaveLength(1);

    const runtime = fixture.newRuntime();
    expect(await runtime.listPodSandboxes()).toEqual([]);
    expect(await mountsUnder(fixture.dataDir)).toEqual([]);
    expect(await exists(straySandbox)).toBe(false);
    expect(await exists(strayContainer)).toBe(false);
    expect(await exists(strayCgroup)).toBe(false);
    await eventually(
      'the stray process to die',
      async () => !(await processRunning(sleeper.pid ?? 0)),
    );
  });

  it('reports a container whose monitor vanished as exited and cleans its cgroup', async () => {
    const first = fixture.newRuntime();
    const sandboxId = await first.runPodSandbox(sandboxConfig('orphan'));
    const id = await startContainer(first, sandboxId, containerConfig('main', ['sleep', '60']));
    const record = await readContainerRecord(fixture.dataDir, id);
    const shimPid = record.shim?.pid ?? 0;
    expect(shimPid).toBeGreaterThan(0);
    // What a reboot does: the monitor and the container die without a word.
    process.kill(shimPid, 'SIGKILL');
    process.kill(record.init?.pid ?? 0, 'SIGKILL');
    const procs = join(record.cgroup?.dirs[0] ?? '', 'cgroup.procs');
    const empty = async () => (await readFile(procs, 'utf8').catch(() => '')) === '';
    await eventually('the cgroup to empty', empty);

    const second = fixture.newRuntime();
    expect(await second.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 255 });
    for (const dir of record.cgroup?.dirs ?? []) expect(await exists(dir)).toBe(false);
    expect(await processRunning(shimPid)).toBe(false);
  });

  it('keeps the state of two nodes on one data dir apart', async () => {
    const one = fixture.newRuntime('node-1');
    const two = fixture.newRuntime('node-2');
    const sandboxId = await one.runPodSandbox(sandboxConfig('mine'));
    expect((await one.listPodSandboxes()).map((s) => s.id)).toEqual([sandboxId]);
    expect(await two.listPodSandboxes()).toEqual([]);
  });
});
