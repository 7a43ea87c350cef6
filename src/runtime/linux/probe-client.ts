// TCP and HTTP probes from inside a pod's network namespace: util-linux `nsenter --net=<netns>`
// runs a small Node client (the source below, passed with `node -e`), which prints one JSON
// result. Nothing is ever sent from the host's own network namespace. Error texts read like Go's
// dialer and http.Client, as the port asks.

import type {
  HttpProbeRequest,
  HttpProbeResponse,
  ProbeAddress,
  TcpProbeResult,
} from '../../control/ports/container-runtime.js';
import { runProcess } from './run-process.js';

/** Time the client may take beyond the probe's own timeout (Node's start-up), ms. */
const clientSlackMs = 5_000;

const clientSource = String.raw`
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const req = JSON.parse(process.argv[1]);
const bodyBytesMax = 10240;
const redirectsMax = 10;
let done = false;
function out(result) {
  if (done) return;
  done = true;
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0));
}
function hostPort(host, port) {
  return host.includes(':') ? '[' + host + ']:' + port : host + ':' + port;
}
function dialError(host, port, error) {
  const dial = 'dial tcp ' + hostPort(host, port) + ': ';
  const known = {
    ECONNREFUSED: 'connect: connection refused',
    EHOSTUNREACH: 'connect: no route to host',
    ENETUNREACH: 'connect: network is unreachable',
    ETIMEDOUT: 'i/o timeout',
    ECONNRESET: 'read: connection reset by peer',
  };
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return 'dial tcp: lookup ' + host + ': no such host';
  }
  return dial + (known[error.code] || error.message);
}
setTimeout(() => {
  out(req.kind === 'tcp'
    ? { ok: false, error: 'dial tcp ' + hostPort(req.host, req.port) + ': i/o timeout' }
    : { error: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' });
}, req.timeoutMs);
const target = req.host === '' ? '127.0.0.1' : req.host;
if (req.kind === 'tcp') {
  const socket = net.connect({ host: target, port: req.port });
  socket.on('connect', () => { socket.destroy(); out({ ok: true }); });
  socket.on('error', (error) => out({ ok: false, error: dialError(req.host, req.port, error) }));
} else {
  get(req.scheme === 'HTTPS' ? 'https:' : 'http:', target, req.port, req.path, 0);
}
function get(protocol, host, port, path, redirects) {
  const headers = {};
  for (const { name, value } of req.headers) {
    headers[name] = name in headers ? [].concat(headers[name], value) : value;
  }
  const options = { protocol, host, port, path, method: 'GET', headers, agent: false,
    rejectUnauthorized: false };
  const request = (protocol === 'https:' ? https : http).request(options, (response) => {
    const location = response.headers.location;
    const status = response.statusCode;
    if (status >= 300 && status < 400 && location !== undefined) {
      const next = new URL(location, protocol + '//' + hostPort(host, port) + path);
      if (next.hostname.replace(/^\[|\]$/g, '') === host) {
        response.resume();
        if (redirects + 1 >= redirectsMax) return out({ error: 'stopped after 10 redirects' });
        const nextPort = Number(next.port || (next.protocol === 'https:' ? 443 : 80));
        return get(next.protocol, host, nextPort, next.pathname + next.search, redirects + 1);
      }
    }
    const chunks = [];
    let size = 0;
    response.on('data', (chunk) => {
      if (size < bodyBytesMax) chunks.push(chunk.subarray(0, bodyBytesMax - size));
      size += chunk.length;
      if (size >= bodyBytesMax) response.destroy();
    });
    const finish = () => out({ statusCode: status, body: Buffer.concat(chunks).toString('utf8') });
    response.on('end', finish);
    response.on('close', finish);
  });
  request.on('error', (error) => out({ error: dialError(req.host, port, error) }));
  request.end();
}
`;

export interface ProbeTools {
  /** util-linux nsenter. */
  nsenterPath: string;
  netnsPath: string;
}

export async function probeTcpIn(
  tools: ProbeTools,
  address: ProbeAddress,
  timeoutMs: number,
): Promise<TcpProbeResult> {
  const request = { kind: 'tcp', host: address.host, port: address.port, timeoutMs };
  const result = await runClient(tools, request, timeoutMs);
  if ('ok' in result) return result as TcpProbeResult;
  return { ok: false, error: String((result as { error?: unknown }).error ?? 'probe failed') };
}

export async function probeHttpIn(
  tools: ProbeTools,
  request: HttpProbeRequest,
  timeoutMs: number,
): Promise<HttpProbeResponse> {
  const result = await runClient(tools, { kind: 'http', ...request, timeoutMs }, timeoutMs);
  if (typeof result.statusCode === 'number' && typeof result.body === 'string') {
    return { statusCode: result.statusCode, body: result.body };
  }
  return { error: String(result.error ?? 'probe failed') };
}

async function runClient(
  tools: ProbeTools,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const args = [`--net=${tools.netnsPath}`, '--', process.execPath, '-e', clientSource];
  const result = await runProcess(tools.nsenterPath, [...args, JSON.stringify(request)], {
    timeoutMs: timeoutMs + clientSlackMs,
    outputBytesMax: 64 * 1024,
  });
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    const detail = result.stderr.trim().split('\n')[0] ?? '';
    return { error: `probe client failed: ${detail || `exit status ${result.exitCode}`}` };
  }
}
