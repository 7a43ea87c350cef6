// `miniku kubelet --server URL --node-name NAME`: one node in its own process — a kubelet on its
// own runtime (data under <data-dir>/nodes/<name>) and its small server on 127.0.0.1, which the
// API server reaches for pods/log and pods/exec at the port the Node reports.

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { validateDns1123Label } from '../control/api/values/names.js';
import { resourcesOf } from '../control/client/resource-client.js';
import { startKubeletHttpServer } from '../runtime/kubelet-server.js';
import { WallClock } from '../runtime/wall-clock.js';
import { parsePort } from './apiserver-command.js';
import { MinikuError } from './errors.js';
import { componentClient, startKubelet } from './real-components.js';
import { drainRuntime, graceFromPods } from './real-drain.js';
import { serverAccess } from './real-kubeconfig.js';
import { timestampedWriter } from './real-log.js';
import { parseRuntimeKind, prepareRuntime, runtimeBanner } from './real-runtime.js';
import { untilSignal } from './real-signals.js';

export interface KubeletCommandOptions {
  server: string;
  nodeName: string;
  runtime: string;
  dataDir: string;
  /** Port of the kubelet's server on 127.0.0.1; '0' picks a free one. */
  kubeletPort: string;
  token?: string;
  tokenFile?: string;
  seed?: string;
}

export interface RunningNode {
  kubeletUrl: string;
  close(): Promise<void>;
  killAll(): void;
}

function checkNodeName(name: string): void {
  const errors = validateDns1123Label(name);
  if (errors.length === 0) return;
  const message = `Invalid value for --node-name: "${name}": ${errors.join('; ')}`;
  throw new MinikuError('E_BAD_FLAG', message);
}

/**
 * Which pod address range (127.1.<index>.0/24 for the process runtime) a kubelet of its own
 * process takes: a hash of its name, so kubelets of one host rarely share one.
 */
export function podRangeIndex(nodeName: string): number {
  let hash = 2166136261;
  for (const char of nodeName) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
  return (hash >>> 0) % 256;
}

export async function startKubeletCommand(
  options: KubeletCommandOptions,
  write: (text: string) => void,
): Promise<RunningNode> {
  checkNodeName(options.nodeName);
  const access = serverAccess(options);
  const kind = parseRuntimeKind(options.runtime);
  const kubeletPort = parsePort(options.kubeletPort);
  const newRuntime = await prepareRuntime(kind);
  const log = timestampedWriter(write);
  const clock = new WallClock();
  const seed = options.seed ?? randomBytes(8).toString('hex');
  const context = { ...access, clock, seed, log };
  const { nodeName } = options;
  const dataDir = resolve(options.dataDir);
  const index = podRangeIndex(nodeName);
  const node = newRuntime({ dataDir, nodeName, clock, index, log });
  const server = await startKubeletHttpServer({
    runtime: node.runtime,
    nodeName,
    clock,
    port: kubeletPort,
  });
  const kubelet = startKubelet(context, { nodeName, node, kubeletPort: server.port });
  log(`miniku kubelet: node ${nodeName} of ${access.serverUrl}, kubelet server ${server.url}`);
  log(`runtime: ${runtimeBanner(kind)}`);
  const reader = componentClient(context, `kubelet/${nodeName}-shutdown`, 'client-go');
  const graceOf = graceFromPods((namespace, name) =>
    resourcesOf(reader.client).pods(namespace).get(name),
  );
  return {
    kubeletUrl: server.url,
    close: async () => {
      await kubelet.stop();
      const { stopped } = await drainRuntime(node.runtime, graceOf);
      log(`stopped ${stopped} containers, removed their pods' runtime objects`);
      await node.close();
      reader.transport.close();
      await server.close();
    },
    killAll: () => node.killAllNow(),
  };
}

export async function runKubeletCommand(options: KubeletCommandOptions): Promise<void> {
  const write = (text: string) => void process.stdout.write(text);
  const node = await startKubeletCommand(options, write);
  await untilSignal({
    stop: () => node.close(),
    kill: () => node.killAll(),
    log: timestampedWriter(write),
  });
  setTimeout(() => process.exit(0), 1_000).unref();
}
