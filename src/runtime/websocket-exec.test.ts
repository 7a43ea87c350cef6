// pods/exec over WebSocket through the real HTTP server: a `ws` client speaks v5/v4 channel
// protocol to startHttpServer, whose handler here is a small recording stand-in for the API server.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type {
  HandlerResult,
  RequestHandler,
  TransportRequest,
} from '../control/ports/transport.js';
import { startHttpServer, type HttpServer } from './http-server.js';
import { WebSocketExecGateway } from './websocket-exec.js';
import { spdyUnsupportedMessage, stdinUnsupportedMessage } from './websocket-exec-protocol.js';

const execPath = '/api/v1/namespaces/default/pods/web-1/exec';
const execQuery = 'command=sh&command=-c&command=echo%20hi&container=main&stdout=true&stderr=true';

interface Session {
  protocol: string;
  frames: Array<[number, string]>;
  closeCode: number;
}

interface Refusal {
  status: number;
  body: any;
}

function json(status: number, value: unknown): HandlerResult {
  const body = JSON.stringify(value);
  return { kind: 'unary', response: { status, headers: {}, body } };
}

/** Answers every request with `reply`, remembering what it was asked. */
function recording(reply: (request: TransportRequest) => Promise<HandlerResult>) {
  const requests: TransportRequest[] = [];
  const handler: RequestHandler = {
    handle: (request) => {
      requests.push(request);
      return reply(request);
    },
  };
  return { handler, requests };
}

/** Opens an exec WebSocket; resolves once the server closed it, or with its refusal. */
function openExec(
  baseUrl: string,
  pathAndQuery: string,
  options: {
    protocols?: string[];
    headers?: Record<string, string>;
    onOpen?: (ws: WebSocket) => void;
  } = {},
): Promise<Session | Refusal> {
  const url = `${baseUrl.replace(/^http/, 'ws')}${pathAndQuery}`;
  const ws = new WebSocket(url, options.protocols ?? ['v5.channel.k8s.io'], {
    headers: options.headers ?? {},
  });
  const frames: Array<[number, string]> = [];
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    ws.on('open', () => options.onOpen?.(ws));
    ws.on('message', (data: Buffer) => {
      frames.push([data[0] as number, data.subarray(1).toString('utf8')]);
    });
    ws.on('close', (closeCode) => resolve({ protocol: ws.protocol, frames, closeCode }));
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** An upgrade request for another protocol (kubectl before 1.30 asks for SPDY/3.1). */
function upgradeRequest(baseUrl: string, pathAndQuery: string, protocol: string): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${pathAndQuery}`, {
      method: 'POST',
      headers: { connection: 'Upgrade', upgrade: protocol },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    req.on('upgrade', () => reject(new Error('the server upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('exec over WebSocket', () => {
  let server: HttpServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs the command through the handler, streams stdout and stderr, then Success and a normal close', async () => {
    const { handler, requests } = recording(async () =>
      json(200, { exitCode: 0, stdout: 'hi\n', stderr: 'careful\n' }),
    );
    server = await startHttpServer({ handler });
    const session = await openExec(server.url, `${execPath}?${execQuery}`);
    expect(session).toEqual({
      protocol: 'v5.channel.k8s.io',
      frames: [
        [1, 'hi\n'],
        [2, 'careful\n'],
        [3, '{"metadata":{},"status":"Success"}'],
      ],
      closeCode: 1000,
    });
    expect(requests).toEqual([
      {
        method: 'POST',
        path: execPath,
        query: { container: 'main', stdout: 'true', stderr: 'true' },
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ command: ['sh', '-c', 'echo hi'] }),
      },
    ]);
  });

  it('speaks v4.channel.k8s.io too and reports a non-zero exit code with its ExitCode cause', async () => {
    const { handler } = recording(async () => json(200, { exitCode: 3, stdout: '', stderr: '' }));
    server = await startHttpServer({ handler });
    const session = (await openExec(server.url, `${execPath}?${execQuery}`, {
      protocols: ['v4.channel.k8s.io', 'channel.k8s.io'],
    })) as Session;
    expect(session.protocol).toBe('v4.channel.k8s.io');
    expect(session.frames).toHaveLength(1);
    const [channel, text] = session.frames[0] as [number, string];
    expect(channel).toBe(3);
    expect(JSON.parse(text)).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it("sends the handler's error Status, or an InternalError when it throws, on channel 3", async () => {
    const errors: unknown[] = [];
    const { handler } = recording(async (request) => {
      if (request.query.container === 'boom') throw new Error('kubelet exploded');
      return json(400, { kind: 'Status', status: 'Failure', message: 'not running', code: 400 });
    });
    server = await startHttpServer({ handler, onHandlerError: (error) => errors.push(error) });
    const failed = (await openExec(server.url, `${execPath}?${execQuery}`)) as Session;
    expect(failed.frames.map(([channel]) => channel)).toEqual([3]);
    expect(JSON.parse(failed.frames[0]?.[1] ?? '')).toMatchObject({ message: 'not running' });
    const query = execQuery.replace('container=main', 'container=boom');
    const thrown = (await openExec(server.url, `${execPath}?${query}`)) as Session;
    expect(JSON.parse(thrown.frames[0]?.[1] ?? '')).toMatchObject({
      reason: 'InternalError',
      message: 'Internal error occurred: kubelet exploded',
    });
    expect(thrown.closeCode).toBe(1000);
    expect(errors).toHaveLength(1);
  });

  it('ignores what the client sends (v5 stream closes, resizes) and still answers', async () => {
    const { handler } = recording(
      () =>
        new Promise((resolve) =>
          setTimeout(() => resolve(json(200, { exitCode: 0, stdout: 'x', stderr: '' })), 50),
        ),
    );
    server = await startHttpServer({ handler });
    const session = (await openExec(server.url, `${execPath}?${execQuery}`, {
      onOpen: (ws) => {
        ws.send(Buffer.from([255, 0]));
        ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]));
      },
    })) as Session;
    expect(session.frames.map(([channel]) => channel)).toEqual([1, 3]);
  });

  it('refuses stdin, a missing command, unknown subprotocols and other paths before upgrading', async () => {
    const { handler, requests } = recording(async () => json(200, {}));
    server = await startHttpServer({ handler });
    const stdin = await openExec(server.url, `${execPath}?${execQuery}&stdin=true`);
    expect(stdin).toEqual({
      status: 400,
      body: expect.objectContaining({ reason: 'BadRequest', message: stdinUnsupportedMessage }),
    });
    const noCommand = (await openExec(server.url, `${execPath}?stdout=true`)) as Refusal;
    expect(noCommand.body.message).toBe('you must specify at least 1 command');
    const base64 = (await openExec(server.url, `${execPath}?${execQuery}`, {
      protocols: ['base64.channel.k8s.io'],
    })) as Refusal;
    expect(base64.status).toBe(400);
    expect(base64.body.message).toBe(
      'requested protocol(s) are not supported: [base64.channel.k8s.io]; supports [v5.channel.k8s.io v4.channel.k8s.io]',
    );
    const watch = (await openExec(server.url, '/api/v1/pods?watch=true')) as Refusal;
    expect(watch.body.message).toBe('upgrading to "websocket" is served for pods/exec only');
    expect(requests).toEqual([]);
  });

  it('refuses SPDY with a message naming WebSocket, and stdin over SPDY with the stdin message', async () => {
    const { handler, requests } = recording(async () => json(200, {}));
    server = await startHttpServer({ handler });
    const spdy = await upgradeRequest(server.url, `${execPath}?${execQuery}`, 'SPDY/3.1');
    expect(spdy).toEqual({
      status: 400,
      body: expect.objectContaining({ kind: 'Status', message: spdyUnsupportedMessage }),
    });
    const stdin = await upgradeRequest(
      server.url,
      `${execPath}?${execQuery}&stdin=true`,
      'SPDY/3.1',
    );
    expect(stdin.body.message).toBe(stdinUnsupportedMessage);
    expect(requests).toEqual([]);
  });

  it('answers 401 to an upgrade without valid credentials', async () => {
    const { handler, requests } = recording(async () =>
      json(200, { exitCode: 0, stdout: 'ok', stderr: '' }),
    );
    const authenticate = (authorization: string | undefined) => authorization === 'Bearer good';
    server = await startHttpServer({ handler, authenticate });
    const refused = (await openExec(server.url, `${execPath}?${execQuery}`)) as Refusal;
    expect(refused).toEqual({
      status: 401,
      body: expect.objectContaining({ reason: 'Unauthorized', code: 401 }),
    });
    const allowed = (await openExec(server.url, `${execPath}?${execQuery}`, {
      headers: { authorization: 'Bearer good' },
    })) as Session;
    expect(allowed.frames[0]).toEqual([1, 'ok']);
    expect(requests).toHaveLength(1);
  });

  it('cuts open sessions when the server closes', async () => {
    const { handler } = recording(() => new Promise<HandlerResult>(() => undefined));
    server = await startHttpServer({ handler, closeTimeoutMs: 5_000 });
    let opened: () => void = () => undefined;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const session = openExec(server.url, `${execPath}?${execQuery}`, { onOpen: () => opened() });
    await open;
    const startedAtMs = Date.now();
    await server.close();
    server = undefined;
    expect(Date.now() - startedAtMs).toBeLessThan(1_000);
    expect(await session).toMatchObject({ frames: [], closeCode: 1006 });
  });
});

describe('WebSocketExecGateway', () => {
  it('answers 429 beyond sessionCountMax open sessions', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<HandlerResult>(
      (resolve) => (release = () => resolve(json(200, { exitCode: 0, stdout: '', stderr: '' }))),
    );
    const gateway = new WebSocketExecGateway({
      handler: { handle: () => held },
      sessionCountMax: 1,
    });
    const plain = http.createServer((_req, res) => res.end());
    plain.on('upgrade', (req, socket: Duplex, head: Buffer) => gateway.upgrade(req, socket, head));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    try {
      let opened: () => void = () => undefined;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const first = openExec(baseUrl, `${execPath}?${execQuery}`, { onOpen: () => opened() });
      await open;
      const second = (await openExec(baseUrl, `${execPath}?${execQuery}`)) as Refusal;
      expect(second.status).toBe(429);
      expect(second.body.reason).toBe('TooManyRequests');
      release();
      expect(((await first) as Session).frames.map(([channel]) => channel)).toEqual([3]);
    } finally {
      gateway.close();
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
