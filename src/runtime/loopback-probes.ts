// TCP and HTTP probes from the host's own network namespace, limited to loopback addresses: the
// process runtime's containers share the host netns and listen on 127.0.0.1, so that is where
// their probes go. Any other host is refused here without a packet being sent (miniku never
// probes pod or non-loopback addresses from the host), with Go's "network is unreachable" text.

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type {
  HttpProbeRequest,
  HttpProbeResponse,
  ProbeAddress,
  TcpProbeResult,
} from '../control/ports/container-runtime.js';

/** The prober's body limit (upstream reads at most 10 KiB). */
export const probeBodyBytesMax = 10 * 1024;
/** Redirects followed to the same host, as Go's client allows. */
export const probeRedirectCountMax = 10;

const headersTimeout = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
const bodyTimeout = 'context deadline exceeded (Client.Timeout exceeded while reading body)';

/** 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Go's net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function dialError(address: ProbeAddress, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const cause =
    code === 'ECONNREFUSED'
      ? 'connect: connection refused'
      : code === 'ECONNRESET'
        ? 'read: connection reset by peer'
        : `connect: ${code === '' ? String(error) : code}`;
  return `dial tcp ${joinHostPort(address.host, address.port)}: ${cause}`;
}

function unreachable(address: ProbeAddress): string {
  return `dial tcp ${joinHostPort(address.host, address.port)}: connect: network is unreachable`;
}

/** Opens and closes one TCP connection to a loopback address. */
export function probeLoopbackTcp(
  address: ProbeAddress,
  timeoutMs: number,
): Promise<TcpProbeResult> {
  if (!isLoopbackHost(address.host)) {
    return Promise.resolve({ ok: false, error: unreachable(address) });
  }
  return new Promise((resolve) => {
    const host = address.host.replace(/^\[|\]$/g, '');
    const socket = net.connect({ host, port: address.port });
    const done = (result: TcpProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      const where = joinHostPort(address.host, address.port);
      done({ ok: false, error: `dial tcp ${where}: i/o timeout` });
    }, timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error) => done({ ok: false, error: dialError(address, error) }));
  });
}

/** One HTTP GET to a loopback address, following same-host redirects (see the port's contract). */
export async function probeLoopbackHttp(
  request: HttpProbeRequest,
  timeoutMs: number,
): Promise<HttpProbeResponse> {
  if (!isLoopbackHost(request.host)) return { error: unreachable(request) };
  const deadlineMs = Date.now() + timeoutMs;
  let path = request.path;
  for (let redirects = 0; ; redirects += 1) {
    const response = await getOnce({ ...request, path }, Math.max(1, deadlineMs - Date.now()));
    if ('error' in response || !isRedirect(response.statusCode)) return strip(response);
    const next = sameHostPath(request, response.location);
    if (next === undefined) return strip(response);
    if (redirects === probeRedirectCountMax) {
      return { error: `stopped after ${probeRedirectCountMax} redirects` };
    }
    path = next;
  }
}

type RawResponse = { statusCode: number; body: string; location: string } | { error: string };

function strip(response: RawResponse): HttpProbeResponse {
  return 'error' in response ? response : { statusCode: response.statusCode, body: response.body };
}

function isRedirect(statusCode: number): boolean {
  return [301, 302, 303, 307, 308].includes(statusCode);
}

/** The path of a redirect that stays on the probed host and port, else undefined. */
function sameHostPath(request: HttpProbeRequest, location: string): string | undefined {
  if (location === '') return undefined;
  const base = `${request.scheme.toLowerCase()}://${joinHostPort(request.host, request.port)}`;
  let target: URL;
  try {
    target = new URL(location, `${base}${request.path}`);
  } catch {
    return undefined;
  }
  if (`${target.protocol}//${target.host}` !== new URL(base).origin) return undefined;
  return `${target.pathname}${target.search}`;
}

function getOnce(request: HttpProbeRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    for (const { name, value } of request.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    const send = request.scheme === 'HTTPS' ? https.request : http.request;
    const host = request.host.replace(/^\[|\]$/g, '');
    let settled = false;
    const finish = (result: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = send({
      host,
      port: request.port,
      path: request.path,
      method: 'GET',
      headers,
      rejectUnauthorized: false,
      agent: false,
    });
    let gotHeaders = false;
    const timer = setTimeout(
      () => finish({ error: gotHeaders ? bodyTimeout : headersTimeout }),
      timeoutMs,
    );
    req.once('error', (error) => finish({ error: dialError(request, error) }));
    req.once('response', (res) => {
      gotHeaders = true;
      const chunks: Buffer[] = [];
      let length = 0;
      const statusCode = res.statusCode ?? 0;
      const location = res.headers.location ?? '';
      const complete = () => {
        const body = Buffer.concat(chunks).subarray(0, probeBodyBytesMax).toString();
        finish({ statusCode, body, location });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= probeBodyBytesMax) complete();
      });
      res.once('end', complete);
      res.once('error', complete);
    });
    req.end();
  });
}
