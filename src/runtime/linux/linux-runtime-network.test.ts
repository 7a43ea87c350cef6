// Pod networking in the Linux runtime: containers of a pod share its network namespace, pods do
// not share theirs, and probes run inside the pod's namespace. No traffic leaves 127.0.0.0/8 of
// namespaces these tests created.

import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LinuxRuntime } from './linux-runtime.js';
import {
  containerConfig,
  describeLinux,
  eventually,
  linuxFixture,
  sandboxConfig,
  startContainer,
  waitExited,
  type LinuxFixture,
} from './testing/linux-fixture.js';

const serve =
  'mkdir -p /www && echo pong > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www';
const fetchLoop =
  'for i in $(seq 1 50); do wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1';

const httpRequest = {
  scheme: 'HTTP' as const,
  host: '127.0.0.1',
  port: 8080,
  path: '/',
  headers: [{ name: 'User-Agent', value: 'kube-probe/1.32' }],
};

async function startServerPod(runtime: LinuxRuntime, pod: string): Promise<string> {
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(pod));
  await startContainer(runtime, sandboxId, containerConfig('server', ['sh', '-c', serve]));
  await eventually('the server to listen', async () => {
    const result = await runtime.probeTcp(sandboxId, { host: '127.0.0.1', port: 8080 }, 1000);
    return result.ok;
  });
  return sandboxId;
}

describeLinux('LinuxRuntime pod network', () => {
  let fixture: LinuxFixture;
  beforeEach(async () => {
    fixture = await linuxFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('lets the containers of one pod talk over 127.0.0.1', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await startServerPod(runtime, 'shared');
    const client = await startContainer(
      runtime,
      sandboxId,
      containerConfig('client', ['sh', '-c', fetchLoop]),
    );
    expect((await waitExited(runtime, client)).exitCode).toBe(0);
    expect(await runtime.logs(client, { tailLines: 0, timestamps: false })).toEqual(['pong']);
  });

  it('keeps each pod in its own network namespace with only loopback', async () => {
    const runtime = fixture.newRuntime();
    await startServerPod(runtime, 'server-pod');
    const otherId = await runtime.runPodSandbox(sandboxConfig('other-pod'));
    const script =
      'ip -o link | cut -d: -f2; wget -q -O - http://127.0.0.1:8080/ 2>/dev/null || echo refused';
    const id = await startContainer(
      runtime,
      otherId,
      containerConfig('main', ['sh', '-c', script]),
    );
    await waitExited(runtime, id);
    const lines = (await runtime.logs(id, { tailLines: 0, timestamps: false })).map((l) =>
      l.trim(),
    );
    expect(lines).toEqual(['lo', 'refused']);
    const refused = await runtime.probeTcp(otherId, { host: '127.0.0.1', port: 8080 }, 1000);
    expect(refused).toEqual({
      ok: false,
      error: 'dial tcp 127.0.0.1:8080: connect: connection refused',
    });
  });

  it('runs tcp and http probes inside the pod network namespace', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await startServerPod(runtime, 'probed');
    expect(await runtime.probeTcp(sandboxId, { host: '', port: 8080 }, 1000)).toEqual({ ok: true });
    expect(await runtime.probeHttp(sandboxId, httpRequest, 2000)).toEqual({
      statusCode: 200,
      body: 'pong\n',
    });
    const missing = await runtime.probeHttp(sandboxId, { ...httpRequest, path: '/nope' }, 2000);
    expect(missing).toMatchObject({ statusCode: 404 });
    const closed = await runtime.probeHttp(sandboxId, { ...httpRequest, port: 8081 }, 2000);
    expect(closed).toEqual({ error: 'dial tcp 127.0.0.1:8081: connect: connection refused' });
    const unreachable = await runtime.probeTcp(sandboxId, { host: '10.255.255.1', port: 80 }, 1000);
    expect(unreachable).toEqual({
      ok: false,
      error: 'dial tcp 10.255.255.1:80: connect: network is unreachable',
    });
  });

  it('gives each pod its own IP, reachable from inside that pod only', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('addressed'));
    const otherId = await runtime.runPodSandbox(sandboxConfig('elsewhere'));
    const script = 'mkdir -p /www && echo ip > /www/index.html && exec httpd -f -p 8081 -h /www';
    await startContainer(runtime, sandboxId, containerConfig('server', ['sh', '-c', script]));
    const sandboxes = await runtime.listPodSandboxes();
    const ip = sandboxes.find((s) => s.id === sandboxId)?.ip ?? '';
    const otherIp = sandboxes.find((s) => s.id === otherId)?.ip ?? '';
    expect(ip).toMatch(/^10\.244\.0\.\d+$/);
    expect(otherIp).toMatch(/^10\.244\.0\.\d+$/);
    expect(otherIp).not.toBe(ip);
    const address = { host: ip, port: 8081 };
    await eventually('the server to listen', async () => {
      return (await runtime.probeTcp(sandboxId, address, 1000)).ok;
    });
    expect(await runtime.probeHttp(sandboxId, { ...httpRequest, ...address }, 2000)).toEqual({
      statusCode: 200,
      body: 'ip\n',
    });
    expect(await runtime.probeTcp(otherId, address, 1000)).toEqual({
      ok: false,
      error: `dial tcp ${ip}:8081: connect: network is unreachable`,
    });
  });

  it('refuses probes of a stopped sandbox', async () => {
    const runtime = fixture.newRuntime();
    const sandboxId = await runtime.runPodSandbox(sandboxConfig('stopped'));
    await runtime.stopPodSandbox(sandboxId);
    await expect(runtime.probeTcp(sandboxId, { host: '', port: 80 }, 500)).rejects.toMatchObject({
      reason: 'SandboxNotReady',
    });
    expect((await runtime.listPodSandboxes())[0]).toMatchObject({ state: 'notready', ip: '' });
  });
});
