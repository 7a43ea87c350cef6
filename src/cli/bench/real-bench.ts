// Benchmarks of real mode: cluster start, pod start latency and API latency under load, each
// against the built CLI's `miniku real` spawned with a fresh data dir and stopped with SIGINT.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  benchNodeCount,
  createPod,
  httpRequest,
  percentile,
  podsPath,
  pollUntil,
  runtimeKind,
  waitNodesReady,
  withCluster,
  type HttpReply,
  type SpawnedCluster,
} from './real-cluster-process.js';
import type { LoadOptions, LoadReport } from './real-load-generator.js';

const startRunCount = 10;
const startRunCountMin = 3;
const startBudgetMs = 150_000;
const podRunningTimeoutMs = 60_000;

function phaseIs(text: string, phase: string): boolean {
  return (JSON.parse(text) as { status?: { phase?: string } }).status?.phase === phase;
}

interface StartRun {
  readyS: number;
  firstPodS: number;
}

/** One spawn: seconds to all nodes Ready, then to a bare pod (created then) Running. */
function startRun(kind: string): Promise<StartRun> {
  return withCluster(kind, async (cluster) => {
    const readyAtMs = await waitNodesReady(cluster);
    await createPod(cluster, 'first');
    const runningAtMs = await pollUntil(
      cluster,
      `${podsPath}/first`,
      (r) => r.status === 200 && phaseIs(r.text, 'Running'),
    );
    const seconds = (atMs: number) => (atMs - cluster.spawnedAtMs) / 1000;
    return { readyS: seconds(readyAtMs), firstPodS: seconds(runningAtMs) };
  });
}

/** Ten spawns (at least three; fewer than ten only past the time budget, said on stderr). */
async function startRuns(): Promise<StartRun[]> {
  const kind = runtimeKind();
  const startedMs = performance.now();
  const runs: StartRun[] = [];
  while (runs.length < startRunCount) {
    if (runs.length >= startRunCountMin && performance.now() - startedMs > startBudgetMs) {
      process.stderr.write(`bench real: time budget spent after ${runs.length} runs\n`);
      break;
    }
    runs.push(await startRun(kind));
  }
  const line = (key: keyof StartRun) => runs.map((r) => r[key].toFixed(3)).join(' ');
  process.stderr.write(
    `bench real: ready s: ${line('readyS')}\nbench real: first pod s: ${line('firstPodS')}\n`,
  );
  return runs;
}

export async function clusterStartSecondsP50(): Promise<number> {
  const readyS = (await startRuns()).map((r) => r.readyS);
  return percentile(readyS, 0.5);
}

export async function clusterStartSecondsMax(): Promise<number> {
  return Math.max(...(await startRuns()).map((r) => r.readyS));
}

export async function firstPodRunningSeconds(): Promise<number> {
  const firstPodS = (await startRuns()).map((r) => r.firstPodS);
  return percentile(firstPodS, 0.5);
}

interface PodEventObject {
  metadata?: { name?: string };
  spec?: { containers?: unknown[] };
  status?: { containerStatuses?: { state?: { running?: unknown } }[] };
}

function allContainersRunning(pod: PodEventObject): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  const wanted = pod.spec?.containers?.length ?? 0;
  return wanted > 0 && statuses.length === wanted && statuses.every((s) => s.state?.running);
}

/** A pods watch's reader: when each pod was first seen with every container running. */
class PodWatch {
  /** Client clock (performance.now()) of the event that first showed the pod running. */
  readonly runningAtMs = new Map<string, number>();
  private buffered = '';
  private wake: () => void = () => undefined;
  private closeStream: () => void = () => undefined;

  /** Takes a chunk of newline-delimited watch events. */
  feed(chunk: string): void {
    const lines = (this.buffered + chunk).split('\n');
    this.buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const pod = (JSON.parse(line) as { object: PodEventObject }).object;
      const name = pod.metadata?.name;
      if (name === undefined || this.runningAtMs.has(name) || !allContainersRunning(pod)) continue;
      this.runningAtMs.set(name, performance.now());
      this.wake();
    }
  }

  /** Resolves once every name is running; rejects after the timeout, saying how many were. */
  waitFor(names: readonly string[], timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = names.filter((n) => this.runningAtMs.has(n)).length;
        reject(new Error(`bench: ${seen}/${names.length} pods running after ${timeoutMs} ms`));
      }, timeoutMs);
      this.wake = () => {
        if (!names.every((n) => this.runningAtMs.has(n))) return;
        clearTimeout(timer);
        resolve();
      };
      this.wake();
    });
  }

  onClose(closeStream: () => void): void {
    this.closeStream = closeStream;
  }

  close(): void {
    this.closeStream();
  }
}

/** Opens a watch on the namespace's pods (before the first POST, so no event is missed). */
function openPodWatch(cluster: SpawnedCluster): Promise<PodWatch> {
  const watch = new PodWatch();
  return new Promise((resolve, reject) => {
    const req = http.get(`${cluster.url}${podsPath}?watch=true&timeoutSeconds=600`, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`bench: watch: ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => watch.feed(chunk));
      res.on('error', () => undefined); // the stream ends when close() destroys it
      resolve(watch);
    });
    watch.onClose(() => req.destroy());
    req.on('error', reject);
  });
}

/**
 * POSTs pod `names[i]` at `i * intervalMs` after now, never waiting for a reply; resolves with
 * the client clock read just before each POST once every reply was a 201.
 */
async function createOpenLoop(
  cluster: SpawnedCluster,
  names: readonly string[],
  intervalMs: number,
): Promise<Map<string, number>> {
  const sentAtMs = new Map<string, number>();
  const replies = names.map(
    (name, index) =>
      new Promise<void>((resolve, reject) => {
        const send = () => {
          sentAtMs.set(name, performance.now());
          createPod(cluster, name).then(resolve, reject);
        };
        if (intervalMs === 0) send();
        else setTimeout(send, index * intervalMs);
      }),
  );
  await Promise.all(replies);
  return sentAtMs;
}

/** Deletes every pod of the namespace (1 s grace) and waits until the kubelets removed them. */
async function deleteAllPods(cluster: SpawnedCluster): Promise<void> {
  const path = `${podsPath}?gracePeriodSeconds=1`;
  const reply = await httpRequest(cluster.agent, cluster.url, { method: 'DELETE', path });
  if (reply.status !== 200) throw new Error(`bench: delete pods: ${reply.status}`);
  const empty = (r: HttpReply) =>
    r.status === 200 && ((JSON.parse(r.text) as { items?: unknown[] }).items ?? []).length === 0;
  await pollUntil(cluster, podsPath, empty);
}

/** One pod per node first, so image set-up is excluded (as in the pod start SLO). */
async function warmUpNodes(cluster: SpawnedCluster, watch: PodWatch): Promise<void> {
  const names = Array.from({ length: benchNodeCount }, (_, index) => `warm-up-${index}`);
  await Promise.all(names.map((name, index) => createPod(cluster, name, `node-${index}`)));
  await watch.waitFor(names, podRunningTimeoutMs);
  await deleteAllPods(cluster);
}

const podStartCount = 100;
const openLoopIntervalMs = 50;

/** Latencies (ms) of `podStartCount` pods created `intervalMs` apart (0: all at once). */
async function podStartLatencies(
  cluster: SpawnedCluster,
  watch: PodWatch,
  options: { prefix: string; intervalMs: number },
): Promise<number[]> {
  const names = Array.from({ length: podStartCount }, (_, i) => `${options.prefix}-${i}`);
  const sentAtMs = await createOpenLoop(cluster, names, options.intervalMs);
  await watch.waitFor(names, podRunningTimeoutMs);
  return names.map((name) => (watch.runningAtMs.get(name) ?? 0) - (sentAtMs.get(name) ?? 0));
}

interface PodStartResult {
  openLoop: number[];
  burst: number[];
}

/** One cluster: 100 pods at 20 pods/s, then (after deleting them) a burst of 100. */
function podStartExperiment(): Promise<PodStartResult> {
  return withCluster(runtimeKind(), async (cluster) => {
    await waitNodesReady(cluster);
    const watch = await openPodWatch(cluster);
    try {
      await warmUpNodes(cluster, watch);
      const openLoop = await podStartLatencies(cluster, watch, {
        prefix: 'open',
        intervalMs: openLoopIntervalMs,
      });
      await deleteAllPods(cluster);
      const burst = await podStartLatencies(cluster, watch, { prefix: 'burst', intervalMs: 0 });
      const line = (values: number[]) =>
        `p50 ${percentile(values, 0.5).toFixed(1)} p99 ${percentile(values, 0.99).toFixed(1)}`;
      process.stderr.write(`bench real: open loop ${line(openLoop)}; burst ${line(burst)} ms\n`);
      return { openLoop, burst };
    } finally {
      watch.close();
    }
  });
}

export async function podStartMsP50(): Promise<number> {
  return percentile((await podStartExperiment()).openLoop, 0.5);
}

export async function podStartMsP99(): Promise<number> {
  return percentile((await podStartExperiment()).openLoop, 0.99);
}

export async function podStartBurstMsP50(): Promise<number> {
  return percentile((await podStartExperiment()).burst, 0.5);
}

export async function podStartBurstMsP99(): Promise<number> {
  return percentile((await podStartExperiment()).burst, 0.99);
}

const loadGenerator = fileURLToPath(new URL('./real-load-generator.js', import.meta.url));
const loadObjectCount = 100;
const loadTimeoutMs = 120_000;

/** Pods, since the registry serves no ConfigMaps: 100 running bare pods are the load's objects. */
async function createLoadObjects(cluster: SpawnedCluster): Promise<string[]> {
  const names = Array.from({ length: loadObjectCount }, (_, i) => `load-${i}`);
  await createOpenLoop(cluster, names, 0);
  const allRunning = (r: HttpReply) => {
    const items = (JSON.parse(r.text) as { items?: PodEventObject[] }).items ?? [];
    return items.length === names.length && items.every(allContainersRunning);
  };
  await pollUntil(cluster, podsPath, (r) => r.status === 200 && allRunning(r));
  return names;
}

/** Runs the load generator as its own process and parses its report. */
function runLoadGenerator(options: LoadOptions): Promise<LoadReport> {
  const child = spawn(process.execPath, [loadGenerator, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-4_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), loadTimeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(JSON.parse(stdout) as LoadReport);
      reject(new Error(`bench: load generator ${signal ?? `exited ${code}`}: ${stderr}`));
    });
  });
}

function reportLoad(report: LoadReport): void {
  const kinds = (['get', 'list', 'update'] as const).map((kind) => {
    const s = report[kind];
    return `${kind} n=${s.count} p50 ${s.p50Ms} p99 ${s.p99Ms} max ${s.maxMs} ms`;
  });
  const counts =
    `conflicts ${report.conflictCount}, errors ${report.errorCount}, ` +
    `timeouts ${report.timeoutCount}, unsent ${report.unsentCount}, ` +
    `send lag max ${report.sendLagMsMax.toFixed(1)} ms, ` +
    `p50 per 5 s: ${report.windowP50Ms.map((ms) => ms.toFixed(1)).join(' ')} ms`;
  process.stderr.write(`bench real: ${kinds.join('; ')}\nbench real: ${counts}\n`);
}

/** 1,000 req/s for 30 s after a 5 s warm-up against a cluster with its controllers running. */
function apiLatencyExperiment(): Promise<LoadReport> {
  return withCluster(runtimeKind(), async (cluster) => {
    await waitNodesReady(cluster);
    const names = await createLoadObjects(cluster);
    const report = await runLoadGenerator({
      url: cluster.url,
      collectionPath: podsPath,
      names,
      ratePerS: 1_000,
      warmUpS: 5,
      durationS: 30,
      socketCountMax: 64,
      drainTimeoutMs: 15_000,
    });
    reportLoad(report);
    return report;
  });
}

export async function apiLatencyMsP99Get(): Promise<number> {
  return (await apiLatencyExperiment()).get.p99Ms;
}

export async function apiLatencyMsP99List(): Promise<number> {
  return (await apiLatencyExperiment()).list.p99Ms;
}

export async function apiLatencyMsP99Update(): Promise<number> {
  return (await apiLatencyExperiment()).update.p99Ms;
}
