// Shared pieces of the real-mode tests: polling, API calls over loopback HTTP, kubectl, process
// checks, and a freshly compiled CLI for the tests that need separate processes.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findKubectl } from '../kubectl/kubectl-helpers.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const kubectlPath = findKubectl();
const run = promisify(execFile);

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `probe` every stepMs until it returns a value other than undefined; bounded. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; stepMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(options.stepMs ?? 50);
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
}

export interface ApiReply {
  status: number;
  text: string;
}

/** One request to the API server (a loopback URL). */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<ApiReply> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: 'application/json', 'content-type': contentType };
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  return { status: response.status, text: await response.text() };
}

interface PodLike {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string };
}

export async function listPods(baseUrl: string, selector: string): Promise<PodLike[]> {
  const query = `?labelSelector=${encodeURIComponent(selector)}`;
  const reply = await api(baseUrl, 'GET', `/api/v1/namespaces/default/pods${query}`);
  return (JSON.parse(reply.text) as { items: PodLike[] }).items;
}

/** Resolves with the pods once exactly `count` match and all run. */
export function waitForRunningPods(
  baseUrl: string,
  selector: string,
  count: number,
  timeoutMs = 20_000,
): Promise<PodLike[]> {
  return waitFor(
    `${count} running pods (${selector})`,
    async () => {
      const pods = await listPods(baseUrl, selector);
      const running = pods.filter((pod) => pod.status.phase === 'Running');
      return pods.length === count && running.length === count ? pods : undefined;
    },
    { timeoutMs },
  );
}

/** Names of the nodes whose Ready condition is True. */
export async function readyNodes(baseUrl: string): Promise<string[]> {
  const reply = await api(baseUrl, 'GET', '/api/v1/nodes');
  if (reply.status !== 200) return [];
  const nodes = (JSON.parse(reply.text) as { items: Array<Record<string, unknown>> }).items;
  return nodes
    .filter((node) => {
      const status = node.status as { conditions?: Array<{ type: string; status: string }> };
      return status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    })
    .map((node) => (node.metadata as { name: string }).name)
    .sort();
}

export function deployment(name: string, replicas: number, script: string): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }],
        },
      },
    },
  };
}

/** kubectl with its own cache dir and HOME, never ~/.kube. */
export function kubectl(kubeconfig: string, home: string, ...args: string[]) {
  if (kubectlPath === undefined) throw new Error('kubectl is not installed');
  const flags = ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'kubectl-cache')];
  return run(kubectlPath, [...flags, ...args], {
    env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig },
    timeout: 30_000,
  });
}

/** Alive and not a zombie (this machine's init may leave orphans unreaped). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** Container pids from the runtime's `… (pid N)` start lines. */
export function containerPids(output: string): number[] {
  return [...output.matchAll(/started container .* \(pid (\d+)\)$/gm)].map((m) => Number(m[1]));
}

/** A child process whose output is collected; `lines` waits for a pattern. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or 128 + signal). */
  exited: Promise<number>;
}

export function startCli(cliMain: string, args: string[], cwd: string): CliProcess {
  const child = spawn(process.execPath, [cliMain, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((done) =>
    child.once('exit', (code, signal) => done(code ?? (signal === null ? -1 : 128))),
  );
  return {
    child,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 20_000) =>
      waitFor(`output ${String(pattern)}`, async () => output.match(pattern) ?? undefined, {
        timeoutMs,
      }),
    exited,
  };
}

/**
 * Compiles src/ into a temporary directory (emit only, as test/sim-run does), so the tests run
 * the CLI as users do, never a stale dist/. Returns main.js and the cleanup.
 */
export async function buildCli(): Promise<{ cliMain: string; remove(): Promise<void> }> {
  const workDir = await mkdtemp(join(tmpdir(), 'miniku-real-build-'));
  const buildDir = join(workDir, 'build');
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  await run(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir, '--noCheck', '--sourceMap', 'false'],
    { cwd: repoRoot, timeout: 120_000 },
  );
  await writeFile(join(buildDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
  return {
    cliMain: join(buildDir, 'cli/main.js'),
    remove: () => rm(workDir, { recursive: true, force: true }),
  };
}
