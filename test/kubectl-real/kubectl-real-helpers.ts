// Shared setup for the kubectl compatibility tests against a whole `miniku real` cluster started
// in this process: the clients under test (kubectl on PATH, Debian's 1.20), a cluster session
// with its own data dir, kubeconfig and kubectl caches, and bounded long-running kubectl runs.

import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRealCluster, type RealCluster } from '../../src/cli/real-command.js';
import { findKubectl, findKubectl120 } from '../kubectl/kubectl-helpers.js';
import { readyNodes, waitFor } from '../real/real-helpers.js';

export { waitFor } from '../real/real-helpers.js';

const run = promisify(execFile);

export interface KubectlClient {
  /** For test names: `kubectl 1.32`, or why the client is skipped. */
  label: string;
  /** undefined: not available here (the suite skips and says so in its name). */
  path: string | undefined;
  /** The client's minor version (32, 20); 0 when absent or unreadable. */
  minor: number;
  /** A short tag for object names: `v132`. */
  tag: string;
}

function minorOf(path: string): number {
  try {
    const text = execFileSync(path, ['version', '--client', '-o', 'json'], { timeout: 10_000 });
    const minor = (JSON.parse(text.toString()) as { clientVersion?: { minor?: string } })
      .clientVersion?.minor;
    return Number.parseInt(minor ?? '0', 10) || 0;
  } catch {
    return 0;
  }
}

function clientOf(path: string | undefined, absent: string): KubectlClient {
  if (path === undefined) return { label: absent, path, minor: 0, tag: 'none' };
  const minor = minorOf(path);
  return { label: `kubectl 1.${minor}`, path, minor, tag: `v1${minor}` };
}

/** The clients under test: the kubectl on PATH (1.32 here) and Debian's 1.20 when unpacked. */
export function kubectlClients(): KubectlClient[] {
  const current = clientOf(findKubectl(), 'kubectl (none found: skipped)');
  const old = clientOf(
    findKubectl120(),
    'kubectl 1.20 (absent, see scripts/ensure-kubectl.sh: skipped)',
  );
  return current.path !== undefined && current.path === old.path ? [current] : [current, old];
}

/** kubectl 1.30 and newer speak WebSocket for exec; older ones only SPDY. */
export function speaksWebSocketExec(client: KubectlClient): boolean {
  return client.minor >= 30;
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** 0 on success. */
  code: number;
}

export interface LongRun {
  /** Resolves with the lines seen once `count` stdout lines arrived (or the process ended). */
  lines(count: number): Promise<string[]>;
  /** Stops it (SIGTERM) if still running; resolves with every line and the exit code. */
  stop(): Promise<{ lines: string[]; code: number | null }>;
}

export interface ClusterSession {
  dir: string;
  cluster: RealCluster;
  url: string;
  kubeconfig: string;
  /** Runs kubectl; rejects (with stdout, stderr, code) when it exits non-zero. */
  kubectl(client: KubectlClient, ...args: string[]): Promise<KubectlResult>;
  /** Runs kubectl and resolves whatever its exit code. */
  kubectlAny(client: KubectlClient, args: string[], input?: string): Promise<KubectlResult>;
  /** Starts a long-running kubectl (`-w`, `logs -f`); killed after timeoutMs at the latest. */
  kubectlLong(client: KubectlClient, args: string[], timeoutMs: number): LongRun;
  /** Writes a file in the session directory; returns its path. */
  file(name: string, text: string): string;
  close(): Promise<void>;
}

/**
 * Starts `miniku real` (2 nodes) in this process on a free loopback port and waits until both
 * nodes are Ready. Everything lives in a fresh temporary directory, removed by close().
 */
export async function startClusterSession(
  runtime: 'process' | 'linux',
  seed: string,
): Promise<ClusterSession> {
  const dir = mkdtempSync(join(tmpdir(), `miniku-kubectl-real-${runtime}-`));
  let cluster: RealCluster;
  try {
    cluster = await startRealCluster(
      { nodes: '2', dataDir: join(dir, 'data'), port: '0', runtime, seed },
      () => undefined,
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const children = new Set<ChildProcess>();
  const session = newSession(dir, cluster, children);
  await waitFor('2 Ready nodes', async () =>
    (await readyNodes(cluster.url)).length === 2 ? true : undefined,
  ).catch(async (error: unknown) => {
    await session.close();
    throw error;
  });
  return session;
}

function newSession(
  dir: string,
  cluster: RealCluster,
  children: Set<ChildProcess>,
): ClusterSession {
  const kubeconfig = cluster.kubeconfigPath;
  const argv = (client: KubectlClient, args: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(dir, `cache-${client.tag}`),
    ...args,
  ];
  const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
  const pathOf = (client: KubectlClient) => {
    if (client.path === undefined) throw new Error(`${client.label}: not available`);
    return client.path;
  };
  const kubectlAny = (client: KubectlClient, args: string[], input?: string) =>
    runKubectl(pathOf(client), argv(client, args), env, input);
  return {
    dir,
    cluster,
    url: cluster.url,
    kubeconfig,
    kubectlAny,
    kubectl: async (client, ...args) => {
      const result = await kubectlAny(client, args);
      if (result.code !== 0) {
        const error = new Error(
          `kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`,
        );
        throw Object.assign(error, result);
      }
      return result;
    },
    kubectlLong: (client, args, timeoutMs) =>
      startLongRun(pathOf(client), argv(client, args), env, children, timeoutMs),
    file: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    close: async () => {
      for (const child of children) child.kill('SIGKILL');
      cluster.killAll();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function runKubectl(
  path: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<KubectlResult> {
  const child = run(path, args, { env, timeout: 45_000, maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) child.child.stdin?.end(input);
  else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    const code = typeof failed.code === 'number' ? failed.code : -1;
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code };
  }
}

function startLongRun(
  path: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  children: Set<ChildProcess>,
  timeoutMs: number,
): LongRun {
  const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  const waiters: Array<{ count: number; resolve: (lines: string[]) => void }> = [];
  let partial = '';
  let ended = false;
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (!ended && lines.length < waiter.count) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve([...lines]);
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    settle();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{ lines: string[]; code: number | null }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (partial !== '') lines.push(partial);
      ended = true;
      settle();
      resolve({ lines: [...lines], code });
    });
  });
  return {
    lines: (count) =>
      new Promise((resolve) => {
        waiters.push({ count, resolve });
        settle();
      }),
    stop: () => {
      if (!ended) child.kill('SIGTERM');
      return done;
    },
  };
}

export interface DeploymentManifest {
  name: string;
  replicas: number;
  image?: string;
  script: string;
}

/** A Deployment of busybox pods running `sh -c script`, as YAML. */
export function deploymentYaml(manifest: DeploymentManifest): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${manifest.name}
spec:
  replicas: ${manifest.replicas}
  selector:
    matchLabels: {app: ${manifest.name}}
  template:
    metadata:
      labels: {app: ${manifest.name}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: main
        image: ${manifest.image ?? 'busybox:1.36'}
        command: ["sh", "-c", ${JSON.stringify(manifest.script)}]
`;
}

/** A bare busybox pod running `sh -c script`, as YAML. */
export function podYaml(name: string, script: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
`;
}

export interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: Array<{ image: string }> };
  status: {
    phase?: string;
    containerStatuses?: Array<{ restartCount: number; state?: { running?: object } }>;
  };
}

/** The pods of a label selector, as kubectl prints them with `-o json`. */
export async function podsOf(
  session: ClusterSession,
  client: KubectlClient,
  selector: string,
): Promise<PodView[]> {
  const { stdout } = await session.kubectl(client, 'get', 'pods', '-l', selector, '-o', 'json');
  return (JSON.parse(stdout) as { items: PodView[] }).items;
}

/** Waits until exactly `count` pods match and all are Running (and none is being deleted). */
export function waitForRunning(
  session: ClusterSession,
  client: KubectlClient,
  selector: string,
  count: number,
  check: (pods: PodView[]) => boolean = () => true,
): Promise<PodView[]> {
  return waitFor(
    `${count} running pods (${selector})`,
    async () => {
      const pods = await podsOf(session, client, selector);
      const running = pods.filter(
        (pod) => pod.status.phase === 'Running' && pod.metadata.deletionTimestamp === undefined,
      );
      return pods.length === count && running.length === count && check(pods) ? pods : undefined;
    },
    { timeoutMs: 30_000, stepMs: 200 },
  );
}

/** Elapsed wall time of `work`, ms, beside its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const startedAtMs = Date.now();
  const value = await work();
  return { value, ms: Date.now() - startedAtMs };
}
