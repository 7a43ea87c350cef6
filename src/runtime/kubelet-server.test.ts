// The kubelet's server over a real (process) runtime: container logs with the pods/log options,
// following, container choice and errors, non-interactive exec, and the same over HTTP.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeLabels, type ContainerConfig } from '../control/ports/container-runtime.js';
import type {
  HandlerResult,
  ServerStreamWriter,
  TransportRequest,
} from '../control/ports/transport.js';
import { HttpTransport } from './http-transport.js';
import { KubeletServer, startKubeletHttpServer } from './kubelet-server.js';
import { findBusybox } from './process-busybox.js';
import { ProcessRuntime } from './process-runtime.js';
import { WallClock } from './wall-clock.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function get(path: string, query: Record<string, string> = {}, body = ''): TransportRequest {
  return { method: body === '' ? 'GET' : 'POST', path, query, headers: {}, body };
}

function unary(result: HandlerResult): { status: number; body: string } {
  if (result.kind !== 'unary') throw new Error('expected a unary answer');
  return { status: result.response.status, body: result.response.body };
}

describe.skipIf(findBusybox() === undefined)('KubeletServer', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function node() {
    const dataDir = mkdtempSync(join(tmpdir(), 'miniku-kubelet-server-'));
    const clock = new WallClock();
    const runtime = new ProcessRuntime({ dataDir, nodeName: 'node-0', clock });
    cleanups.push(() => {
      runtime.killAllNow();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const sandboxId = await runtime.runPodSandbox({
      name: 'web',
      namespace: 'default',
      uid: 'uid-1',
      attempt: 0,
      hostname: 'web',
      labels: {},
    });
    await runtime.pullImage('busybox');
    const start = async (name: string, script: string, attempt = 0) => {
      const config: ContainerConfig = {
        name,
        image: 'busybox',
        command: ['sh', '-c', script],
        args: [],
        env: [],
        workingDir: '',
        attempt,
        labels: {
          [runtimeLabels.podUid]: 'uid-1',
          [runtimeLabels.podName]: 'web',
          [runtimeLabels.podNamespace]: 'default',
          [runtimeLabels.containerName]: name,
          [runtimeLabels.attempt]: String(attempt),
        },
        limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
      };
      const id = await runtime.createContainer(sandboxId, config);
      await runtime.startContainer(id);
      return id;
    };
    const server = new KubeletServer({ runtime, nodeName: 'node-0', clock, followPollMs: 20 });
    return { runtime, server, start, clock };
  }

  async function waitForLog(server: KubeletServer, path: string, text: string): Promise<string> {
    for (let i = 0; i < 200; i += 1) {
      const { body } = unary(await server.handle(get(path)));
      if (body.includes(text)) return body;
      await sleep(10);
    }
    throw new Error(`no "${text}" in ${path}`);
  }

  it("serves a container's log with tailLines, timestamps and limitBytes", async () => {
    const { server, start } = await node();
    await start('app', 'echo one; echo two; echo three; exec sleep 3600');
    const path = '/containerLogs/default/web/app';
    expect(await waitForLog(server, path, 'three')).toBe('one\ntwo\nthree\n');
    expect(unary(await server.handle(get(path, { tailLines: '2' }))).body).toBe('two\nthree\n');
    const stamped = unary(await server.handle(get(path, { tailLines: '1', timestamps: 'true' })));
    expect(stamped.body).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z three\n$/);
    expect(unary(await server.handle(get(path, { limitBytes: '5' }))).body).toBe('one\nt');
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(unary(await server.handle(get(path, { sinceTime: future }))).body).toBe('');
  });

  it('picks the only container, asks for a name among several, and 404s unknown pods', async () => {
    const { server, start } = await node();
    await start('app', 'echo only; exec sleep 3600');
    expect(await waitForLog(server, '/containerLogs/default/web/', 'only')).toBe('only\n');
    await start('sidecar', 'exec sleep 3600');
    const ambiguous = unary(await server.handle(get('/containerLogs/default/web/')));
    expect(ambiguous.status).toBe(400);
    expect(JSON.parse(ambiguous.body).message).toBe(
      'a container name must be specified for pod web, choose one of: [app sidecar]',
    );
    const unknown = unary(await server.handle(get('/containerLogs/default/nope/app')));
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    const waiting = unary(await server.handle(get('/containerLogs/default/web/db')));
    expect(JSON.parse(waiting.body).message).toContain('is waiting to start');
  });

  it('serves the previous attempt with previous=true', async () => {
    const { server, start } = await node();
    await start('app', 'echo first life');
    await start('app', 'echo second life; exec sleep 3600', 1);
    const path = '/containerLogs/default/web/app';
    await waitForLog(server, path, 'second life');
    const previous = unary(await server.handle(get(path, { previous: 'true' })));
    expect(previous.body).toBe('first life\n');
  });

  it('follows a log until the container exits', async () => {
    const { server, start } = await node();
    await start('app', 'echo a; sleep 0.2; echo b; sleep 0.2; echo c');
    await waitForLog(server, '/containerLogs/default/web/app', 'a');
    const result = await server.handle(get('/containerLogs/default/web/app', { follow: 'true' }));
    expect(result.kind).toBe('stream');
    if (result.kind !== 'stream') return;
    let text = '';
    const ended = new Promise<void>((resolve) => {
      const writer: ServerStreamWriter = {
        write: (chunk) => void (text += chunk),
        end: () => resolve(),
      };
      result.open(writer);
    });
    await ended;
    expect(text).toBe('a\nb\nc\n');
  });

  it('runs a non-interactive exec from a JSON body or one command parameter', async () => {
    const { server, start } = await node();
    await start('app', 'exec sleep 3600');
    const body = JSON.stringify({ command: ['sh', '-c', 'echo out; echo err >&2; exit 2'] });
    const result = unary(await server.handle(get('/exec/default/web/app', {}, body)));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ exitCode: 2, stdout: 'out\n', stderr: 'err\n' });
    const single = unary(await server.handle(get('/exec/default/web/app', { command: 'pwd' })));
    expect(JSON.parse(single.body).exitCode).toBe(0);
    const none = unary(await server.handle(get('/exec/default/web/app')));
    expect(none.status).toBe(400);
  });

  it('answers over HTTP on 127.0.0.1', async () => {
    const { runtime, start, clock } = await node();
    await start('app', 'echo over http; exec sleep 3600');
    const http = await startKubeletHttpServer({ runtime, nodeName: 'node-0', clock, port: 0 });
    const transport = new HttpTransport({ baseUrl: http.url });
    cleanups.push(async () => {
      transport.close();
      await http.close();
    });
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await transport.request(get('/healthz'));
    expect(health).toMatchObject({ status: 200, body: 'ok' });
    for (let i = 0; i < 100; i += 1) {
      const response = await transport.request(get('/containerLogs/default/web/app'));
      if (response.body !== '') {
        expect(response.body).toBe('over http\n');
        return;
      }
      await sleep(10);
    }
    throw new Error('no log over HTTP');
  });
});
