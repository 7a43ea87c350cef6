// Real-mode bench plumbing: spawn the built CLI's `miniku real` on a fresh data dir, talk to it
// over HTTP on 127.0.0.1, and stop it (SIGINT, then harder) and remove the data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mountPointsUnder } from '../../runtime/linux/host-procs.js';

const cliMain = fileURLToPath(new URL('../main.js', import.meta.url));
export const benchNodeCount = 2;
export const podsPath = '/api/v1/namespaces/default/pods';
const bannerTimeoutMs = 30_000;
const pollTimeoutMs = 60_000;
const pollIntervalMs = 15;
const requestTimeoutMs = 10_000;
const stopTimeoutMs = 20_000;

/** The value at `fraction` (0-1] of the values, nearest rank. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('bench: no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** `linux` as root (namespaces need it), else `process`; said on stderr only. */
export function runtimeKind(): 'linux' | 'process' {
  const kind = process.getuid?.() === 0 ? 'linux' : 'process';
  process.stderr.write(`bench real: runtime ${kind}\n`);
  return kind;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface HttpReply {
  status: number;
  text: string;
}

export interface HttpRequestSpec {
  method: string;
  path: string;
  body?: string;
  /** Read the reply's body but keep none of it (`text` is ''): spares decoding big lists. */
  discardBody?: boolean;
}

/** One request to the cluster on 127.0.0.1; rejects on a network error or after the timeout. */
export function httpRequest(
  agent: http.Agent,
  url: string,
  request: HttpRequestSpec,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers = request.body === undefined ? {} : { 'content-type': 'application/json' };
    const req = http.request(
      `${url}${request.path}`,
      { method: request.method, agent, headers, timeout: requestTimeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on(
          'data',
          (chunk: Buffer) => void (request.discardBody !== true && chunks.push(chunk)),
        );
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${request.method} ${request.path}: timeout`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

export interface SpawnedCluster {
  child: ChildProcess;
  url: string;
  dataDir: string;
  spawnedAtMs: number;
  agent: http.Agent;
  /** Registered on this process's 'exit': a crashing bench still asks the cluster to stop. */
  onBenchExit: () => void;
}

/** Spawns `miniku real` and resolves with its URL once the banner is printed. */
export async function spawnCluster(kind: string): Promise<SpawnedCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'miniku-bench-'));
  const args = [cliMain, 'real', '--data-dir', dataDir, '--port', '0', '--runtime', kind];
  const spawnedAtMs = performance.now();
  const child = spawn(process.execPath, [...args, '--nodes', String(benchNodeCount)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const onBenchExit = () => void child.kill('SIGINT');
  process.on('exit', onBenchExit);
  try {
    const url = await bannerUrl(child);
    return { child, url, dataDir, spawnedAtMs, agent, onBenchExit };
  } catch (error) {
    await stopCluster({ child, url: '', dataDir, spawnedAtMs, agent, onBenchExit });
    throw error;
  }
}

/** Reads stdout until the banner's URL; keeps draining it (the log) so the child never blocks. */
function bannerUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let found = false;
    const timer = setTimeout(() => fail('no banner'), bannerTimeoutMs);
    function fail(why: string): void {
      clearTimeout(timer);
      if (!found) reject(new Error(`bench: miniku real: ${why}: ${stderr.slice(-2_000)}`));
      found = true;
    }
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-4_000)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (found) return;
      stdout += String(chunk);
      const match = /API server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1] === undefined) return;
      found = true;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.on('exit', (code) => fail(`exited ${String(code)} before its banner`));
  });
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGINT (graceful), a second SIGINT (forced), then SIGKILL; then removes the data dir. */
export async function stopCluster(cluster: SpawnedCluster): Promise<void> {
  cluster.agent.destroy();
  process.off('exit', cluster.onBenchExit);
  const { child } = cluster;
  for (const signal of ['SIGINT', 'SIGINT', 'SIGKILL'] as const) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    child.kill(signal);
    if (await exited(child, signal === 'SIGKILL' ? 5_000 : stopTimeoutMs)) break;
  }
  const mounts = await mountPointsUnder(cluster.dataDir);
  if (mounts.length > 0) {
    throw new Error(`bench: mounts left under ${cluster.dataDir}, not removed: ${mounts.join()}`);
  }
  rmSync(cluster.dataDir, { recursive: true, force: true });
}

/** Starts a cluster, runs `body` against it and always stops it. */
export async function withCluster<T>(
  kind: string,
  body: (c: SpawnedCluster) => Promise<T>,
): Promise<T> {
  const cluster = await spawnCluster(kind);
  try {
    return await body(cluster);
  } finally {
    await stopCluster(cluster);
  }
}

interface NodeList {
  items?: { status?: { conditions?: { type: string; status: string }[] } }[];
}

function allNodesReady(text: string): boolean {
  const items = (JSON.parse(text) as NodeList).items ?? [];
  const ready = items.filter((node) =>
    (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return items.length === benchNodeCount && ready.length === benchNodeCount;
}

/** Polls until `check` holds; resolves with performance.now() of the reply that showed it. */
export async function pollUntil(
  cluster: SpawnedCluster,
  path: string,
  check: (reply: HttpReply) => boolean,
): Promise<number> {
  const deadlineMs = performance.now() + pollTimeoutMs;
  while (performance.now() < deadlineMs) {
    const reply = await httpRequest(cluster.agent, cluster.url, { method: 'GET', path });
    if (check(reply)) return performance.now();
    await sleep(pollIntervalMs);
  }
  throw new Error(`bench: GET ${path} did not show the expected state in ${pollTimeoutMs} ms`);
}

export function waitNodesReady(cluster: SpawnedCluster): Promise<number> {
  return pollUntil(cluster, '/api/v1/nodes', (r) => r.status === 200 && allNodesReady(r.text));
}

export function busyboxPod(name: string, nodeName?: string): string {
  const spec: Record<string, unknown> = {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
  };
  if (nodeName !== undefined) spec.nodeName = nodeName;
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
}

export async function createPod(
  cluster: SpawnedCluster,
  name: string,
  nodeName?: string,
): Promise<void> {
  const body = busyboxPod(name, nodeName);
  const reply = await httpRequest(cluster.agent, cluster.url, {
    method: 'POST',
    path: podsPath,
    body,
  });
  if (reply.status !== 201) throw new Error(`bench: create pod ${name}: ${reply.status}`);
}
