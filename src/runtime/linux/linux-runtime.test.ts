// The Linux runtime against the real kernel: namespaces, pivot_root, logs and exit codes.

import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import { importImage } from './image-import.js';
import type { LinuxRuntime } from './linux-runtime.js';
import { runChecked } from './run-process.js';
import {
  containerConfig,
  describeLinux,
  linuxFixture,
  sandboxConfig,
  startContainer,
  waitExited,
  type LinuxFixture,
} from './testing/linux-fixture.js';

/** Runs `script` with busybox sh in a fresh pod and resolves with its status and output. */
async function runScript(runtime: LinuxRuntime, pod: string, script: string) {
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(pod));
  const id = await startContainer(
    runtime,
    sandboxId,
    containerConfig('main', ['sh', '-c', script]),
  );
  const status = await waitExited(runtime, id);
  const lines = await runtime.logs(id, { tailLines: 0, timestamps: false });
  return { id, status, lines };
}

async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RuntimeError)) throw new Error(`expected a RuntimeError, got ${error}`);
  return error;
}

describeLinux('LinuxRuntime containers', () => {
  let fixture: LinuxFixture;
  beforeEach(async () => {
    fixture = await linuxFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('runs sh -c, logs both streams and reports its exit code', async () => {
    const { status, lines } = await runScript(
      fixture.newRuntime(),
      'web-1',
      'echo hi; echo oops >&2; exit 3',
    );
    expect(status.exitCode).toBe(3);
    expect(status.reason).toBe('Error');
    expect(status.finishedAtMs).toBeGreaterThanOrEqual(status.startedAtMs);
    expect(status.startedAtMs).toBeGreaterThanOrEqual(status.createdAtMs);
    // stdout and stderr are stamped by separate readers; only each stream's order is kept.
    expect([...lines].sort()).toEqual(['hi', 'oops']);
  });

  it('writes CRI log lines and honours tail, timestamps and since', async () => {
    const runtime = fixture.newRuntime();
    const { id, status } = await runScript(
      runtime,
      'logger',
      'for i in 1 2 3 4; do echo line$i; done',
    );
    expect(status.reason).toBe('Completed');
    expect(await runtime.logs(id, { tailLines: 2, timestamps: false })).toEqual(['line3', 'line4']);
    const stamped = await runtime.logs(id, { tailLines: 1, timestamps: true });
    expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z line4$/);
    const late = await runtime.logs(id, {
      tailLines: 0,
      timestamps: false,
      sinceMs: Date.now() + 1000,
    });
    expect(late).toEqual([]);
    const file = await import('node:fs/promises').then((fs) =>
      fs.readFile(runtime.logPath(id), 'utf8'),
    );
    expect(file.split('\n')[0]).toMatch(/^\S+Z stdout F line1$/);
  });

  it('gives the container its own PID namespace with the init as PID 1', async () => {
    const { lines } = await runScript(fixture.newRuntime(), 'pids', 'ps -o pid; echo self=$$');
    const pids = lines.filter((line) => /^\s*\d+$/.test(line)).map(Number);
    expect(pids).toContain(1);
    expect(pids.every((pid) => pid < 50)).toBe(true);
    const self = Number(lines.find((line) => line.startsWith('self='))?.slice(5));
    expect(self).toBeGreaterThan(1);
    expect(self).toBeLessThan(50);
  });

  it('sets the hostname to the pod hostname', async () => {
    const { lines } = await runScript(fixture.newRuntime(), 'my-pod-7', 'hostname; echo $HOSTNAME');
    expect(lines).toEqual(['my-pod-7', 'my-pod-7']);
  });

  it('pivots into an overlay root where the host files are not visible', async () => {
    const marker = join(fixture.dataDir, 'host-marker');
    writeFileSync(marker, 'host');
    const script =
      `test -e ${marker} && echo host-visible; test -e /.oldroot && echo oldroot-present; ` +
      `awk '$5 == "/" { print "root-fs " $9 }' /proc/self/mountinfo; stat -c 'dev %d' /; ` +
      `echo done > /written; cat /written`;
    const { lines, status } = await runScript(fixture.newRuntime(), 'isolated', script);
    expect(status.exitCode).toBe(0);
    expect(lines).not.toContain('host-visible');
    expect(lines).not.toContain('oldroot-present');
    expect(lines).toContain('root-fs overlay');
    expect(lines).toContain('done');
    const dev = lines.find((line) => line.startsWith('dev '));
    expect(dev).toBeDefined();
    expect(dev).not.toBe(`dev ${statSync('/').dev}`);
  });

  it('gives the workload exactly the container environment and working directory', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('env-pod'));
    const config = containerConfig('main', ['sh', '-c', 'env | sort; pwd'], {
      env: [
        { name: 'GREETING', value: 'hello world' },
        { name: 'dotted.name', value: 'x=y' },
      ],
      workingDir: '/srv/app',
    });
    const id = await startContainer(runtime, sandboxId, config);
    await waitExited(runtime, id);
    const lines = await runtime.logs(id, { tailLines: 0, timestamps: false });
    expect(lines).toContain('GREETING=hello world');
    expect(lines).toContain('HOSTNAME=env-pod');
    expect(lines).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(lines).toContain('/srv/app');
    expect(lines.some((line) => line.startsWith('bb=') || line.startsWith('nenv='))).toBe(false);
  });

  it('reports a workload killed by signal n as 128 + n', async () => {
    const runtime = fixture.newRuntime();
    expect((await runScript(runtime, 'usr1', 'kill -USR1 $$')).status.exitCode).toBe(138);
    const segv = await runScript(runtime, 'segv', 'kill -SEGV $$');
    expect(segv.status.exitCode).toBe(139);
    expect(segv.status.reason).toBe('Error');
  });

  it('fails to start a missing command with StartError and RunContainerError', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('missing'));
    await runtime.pullImage('busybox');
    const id = await runtime.createContainer(sandboxId, containerConfig('main', ['no-such-cmd']));
    const error = await rejection(runtime.startContainer(id));
    expect(error.reason).toBe('RunContainerError');
    expect(error.message).toContain('exec: "no-such-cmd": executable file not found in $PATH');
    const status = await runtime.containerStatus(id);
    expect(status).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
  });

  it('runs exec inside the container with its environment and exit code', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('exec-pod'));
    const config = containerConfig('main', ['sleep', '60'], { env: [{ name: 'A', value: '1' }] });
    const id = await startContainer(runtime, sandboxId, config);
    const result = await runtime.exec(
      id,
      ['sh', '-c', 'hostname; echo A=$A; ps -o pid | wc -l; exit 4'],
      5000,
    );
    expect(result.exitCode).toBe(4);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual(['exec-pod', 'A=1']);
    const timedOut = await rejection(runtime.exec(id, ['sleep', '10'], 300));
    expect(timedOut.reason).toBe('DeadlineExceeded');
    await runtime.stopContainer(id, 2000);
    expect((await runtime.containerStatus(id)).exitCode).toBe(143);
    expect((await rejection(runtime.exec(id, ['true'], 1000))).reason).toBe('ContainerNotRunning');
  });

  it('rejects an image missing from the local store with ErrImagePull', async () => {
    const runtime = fixture.newRuntime();
    const error = await rejection(runtime.pullImage('example.com/nothing:1.0'));
    expect(error.reason).toBe('ErrImagePull');
    expect(error.message).toMatch(/^Failed to pull image "example.com\/nothing:1.0": /);
    expect((await rejection(runtime.pullImage('../etc:x'))).reason).toBe('ErrImagePull');
  });

  it('builds busybox under any tag and lists the references pods used', async () => {
    const runtime = fixture.newRuntime();
    const id = await runtime.pullImage('docker.io/library/busybox:1.36');
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const refs = (await runtime.listImages()).map((image) => image.ref);
    expect(refs).toEqual(
      expect.arrayContaining(['busybox:1.36', 'docker.io/library/busybox:1.36']),
    );
  });

  it('runs a container from an imported image that has no shell', async () => {
    const tree = join(fixture.dataDir, 'tree');
    mkdirSync(join(tree, 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(tree, 'bin/busybox'));
    const tarPath = join(fixture.dataDir, 'tool.tar');
    await runChecked('tar', ['-cf', tarPath, '-C', tree, '.']);
    await importImage({ dataDir: fixture.dataDir, name: 'tool:1', tarPath });
    const runtime = fixture.newRuntime();
    await runtime.pullImage('tool:1');
    expect((await runtime.listImages()).map((image) => image.ref)).toContain('tool:1');
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('tool-pod'));
    const config = containerConfig('main', ['busybox', 'echo', 'imported'], {
      image: 'tool:1',
      env: [{ name: 'PATH', value: '/bin' }],
    });
    const id = await startContainer(runtime, sandboxId, config);
    expect((await waitExited(runtime, id)).exitCode).toBe(0);
    expect(await runtime.logs(id, { tailLines: 0, timestamps: false })).toEqual(['imported']);
  });

  it('refuses bad names and unknown ids', async () => {
    const runtime = fixture.newRuntime();
    const bad = { ...sandboxConfig('ok'), name: '../escape' };
    expect((await rejection(runtime.runPodSandbox(bad))).reason).toBe('CreatePodSandboxError');
    const badHost = { ...sandboxConfig('ok'), hostname: 'a/b' };
    expect((await rejection(runtime.runPodSandbox(badHost))).reason).toBe('CreatePodSandboxError');
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('names'));
    await runtime.pullImage('busybox');
    const badName = containerConfig('Bad_Name', ['true']);
    expect((await rejection(runtime.createContainer(sandboxId, badName))).reason).toBe(
      'CreateContainerError',
    );
    expect((await rejection(runtime.containerStatus('f'.repeat(64)))).reason).toBe('NotFound');
    expect((await rejection(runtime.stopPodSandbox('nope'))).reason).toBe('NotFound');
    await runtime.removeContainer('nope');
    await runtime.removePodSandbox('nope');
  });
});
