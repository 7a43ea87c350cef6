// `miniku real`: a whole cluster in one process — the API server over HTTP on 127.0.0.1, the
// scheduler, the controller manager and N kubelets, each on its own container runtime — the
// simulator's classes with the wall clock, HTTP and a real runtime. The kubeconfig goes into the
// data dir; Ctrl-C stops the pods (SIGTERM, SIGKILL after min(grace, 5 s)) and removes them.

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { assert } from '../control/util/assert.js';
import { KubeletServer } from '../runtime/kubelet-server.js';
import { WallClock } from '../runtime/wall-clock.js';
import { parsePort, serveApiServer, writeKubeconfig } from './apiserver-command.js';
import { MinikuError } from './errors.js';
import {
  startControllers,
  startKubelet,
  startScheduler,
  type ComponentContext,
  type RunningComponent,
} from './real-components.js';
import { drainRuntime, graceFromPods } from './real-drain.js';
import { readObject } from './real-kubelet-connector.js';
import { DecisionLogRecorder, startPodLifecycleLog, timestampedWriter } from './real-log.js';
import {
  parseRuntimeKind,
  prepareRuntime,
  runtimeBanner,
  type NodeRuntime,
  type RuntimeKind,
} from './real-runtime.js';
import { untilSignal } from './real-signals.js';

export const realNodeCountMax = 50;

export interface RealCommandOptions {
  nodes: string;
  dataDir: string;
  port: string;
  runtime: string;
  seed?: string;
}

export interface RealCluster {
  url: string;
  port: number;
  kubeconfigPath: string;
  nodeNames: string[];
  runtimes: NodeRuntime[];
  /** Stops everything gracefully (pods first); idempotent. */
  close(): Promise<void>;
  /** Kills every container at once (a forced exit). */
  killAll(): void;
}

export function parseNodeCount(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > realNodeCountMax) {
    const message = `Invalid value for --nodes: "${text}": expected 1-${realNodeCountMax}`;
    throw new MinikuError('E_BAD_FLAG', message);
  }
  return count;
}

/** Starts the cluster; `write` receives the banner and the log lines. */
export async function startRealCluster(
  options: RealCommandOptions,
  write: (text: string) => void,
): Promise<RealCluster> {
  const nodeCount = parseNodeCount(options.nodes);
  const port = parsePort(options.port);
  const kind = parseRuntimeKind(options.runtime);
  const newRuntime = await prepareRuntime(kind);
  const seed = options.seed ?? randomBytes(8).toString('hex');
  const dataDir = resolve(options.dataDir);
  const clock = new WallClock();
  const log = timestampedWriter(write);
  const { api, server, connector } = await serveApiServer(port, seed, clock);
  const context: ComponentContext = { serverUrl: server.url, clock, seed, log };
  const nodeNames = Array.from({ length: nodeCount }, (_, index) => `node-${index}`);
  const runtimes = nodeNames.map((nodeName, index) =>
    newRuntime({ dataDir, nodeName, clock, index, log }),
  );
  const components: RunningComponent[] = [startPodLifecycleLog(context)];
  components.push(startScheduler(context, new DecisionLogRecorder(log)));
  components.push(startControllers(context));
  const kubelets = nodeNames.map((nodeName, index) => {
    const node = runtimes[index];
    assert(node !== undefined, `no runtime for ${nodeName}`);
    connector.addLocal(nodeName, new KubeletServer({ runtime: node.runtime, nodeName, clock }));
    return startKubelet(context, { nodeName, node });
  });
  const kubeconfigPath = writeKubeconfig(dataDir, server.url);
  write(banner(server.url, nodeNames, kind, kubeconfigPath));
  const graceOf = graceFromPods((namespace, name) =>
    readObject(api, `/api/v1/namespaces/${namespace}/pods/${name}`),
  );
  let closing: Promise<void> | undefined;
  const close = async () => {
    await Promise.all(kubelets.map((kubelet) => kubelet.stop()));
    const drained = await Promise.all(runtimes.map((n) => drainRuntime(n.runtime, graceOf)));
    const stopped = drained.reduce((sum, d) => sum + d.stopped, 0);
    log(`stopped ${stopped} containers, removed their pods' runtime objects`);
    await Promise.all(runtimes.map((n) => n.close()));
    await Promise.all(components.map((component) => component.stop()));
    connector.close();
    api.stop();
    await server.close();
  };
  return {
    url: server.url,
    port: server.port,
    kubeconfigPath,
    nodeNames,
    runtimes,
    close: () => (closing ??= close()),
    killAll: () => runtimes.forEach((n) => n.killAllNow()),
  };
}

function banner(url: string, nodes: string[], kind: RuntimeKind, kubeconfigPath: string): string {
  return [
    `miniku real: API server on ${url}, ${nodes.length} nodes (${nodes.join(', ')})`,
    `runtime: ${runtimeBanner(kind)}`,
    `kubeconfig: ${kubeconfigPath}`,
    `try: kubectl --kubeconfig ${kubeconfigPath} get nodes`,
    'Ctrl-C stops the pods and the cluster (twice forces)',
    '',
  ].join('\n');
}

/** Runs until SIGINT/SIGTERM; exits 0 after a graceful stop. */
export async function runRealCommand(options: RealCommandOptions): Promise<void> {
  const write = (text: string) => void process.stdout.write(text);
  const cluster = await startRealCluster(options, write);
  await untilSignal({
    stop: () => cluster.close(),
    kill: () => cluster.killAll(),
    log: timestampedWriter(write),
  });
  // Anything still holding the event loop past this point is not worth waiting for.
  setTimeout(() => process.exit(0), 1_000).unref();
}
