// Real mode's container runtimes, chosen by `--runtime`: `linux` (namespaces, root; the
// default) or `process` (plain child processes: no isolation, development only).
//
// LinuxRuntime is imported on demand, so `--runtime process` never loads it and a checkout
// without it still runs; when it is missing or its check() finds the host unfit, the command
// fails with one line that suggests `--runtime process`.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { release } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../control/ports/clock.js';
import type { ContainerRuntime } from '../control/ports/container-runtime.js';
import { minikuVersion } from '../control/version.js';
import {
  ProcessRuntime,
  processRuntimeLabel,
  processRuntimeVersion,
} from '../runtime/process-runtime.js';
import { MinikuError } from './errors.js';

export type RuntimeKind = 'linux' | 'process';

/** A node's runtime with what the kubelet reports about it and the hooks shutdown uses. */
export interface NodeRuntime {
  kind: RuntimeKind;
  runtime: ContainerRuntime;
  /** status.nodeInfo.containerRuntimeVersion. */
  version: string;
  /** status.nodeInfo.osImage. */
  osImage: string;
  kernelVersion: string;
  /** First three octets of the node's pod IPs, when the runtime picks them from a known /24. */
  podIpPrefix: string | undefined;
  /** Kills every container at once (a forced exit); synchronous. */
  killAllNow(): void;
  /** Releases what the runtime holds beyond its containers (after they were removed). */
  close(): Promise<void>;
}

export interface NodeRuntimeOptions {
  /** The data dir (both runtimes keep a node's state in `<dataDir>/nodes/<nodeName>`). */
  dataDir: string;
  nodeName: string;
  clock: Clock;
  /** Where the node sits among this process's nodes: picks its pod IPs. */
  index: number;
  log: (line: string) => void;
}

/** What `LinuxRuntime` (src/runtime/linux/linux-runtime.ts) offers; the hooks are optional. */
interface LinuxRuntimeModule {
  LinuxRuntime: {
    new (options: {
      dataDir: string;
      nodeName: string;
      clock: Clock;
      log?: (line: string) => void;
      podIpPrefix?: string;
    }): ContainerRuntime & OptionalHooks;
    check(): Promise<string | undefined>;
  };
}

interface OptionalHooks {
  killAllNow?(): unknown;
  close?(): Promise<void>;
}

const linuxRuntimeModule = '../runtime/linux/linux-runtime.js';

export function parseRuntimeKind(text: string): RuntimeKind {
  if (text === 'linux' || text === 'process') return text;
  const message = `Invalid value for --runtime: "${text}": expected "linux" or "process"`;
  throw new MinikuError('E_BAD_FLAG', message);
}

/** One line that says what the runtime is (the banner). */
export function runtimeBanner(kind: RuntimeKind): string {
  return kind === 'process'
    ? `${processRuntimeLabel}: containers are plain processes on this host`
    : 'linux runtime: each container in its own PID, mount, UTS and IPC namespaces';
}

/**
 * Loads the runtime kind and checks the host can run it; throws MinikuError (exit 2) when not.
 * Returns the factory of one node's runtime.
 */
export async function prepareRuntime(
  kind: RuntimeKind,
): Promise<(options: NodeRuntimeOptions) => NodeRuntime> {
  if (kind === 'process') return newProcessRuntime;
  ensureBusybox();
  const module = await loadLinuxRuntime();
  const reason = await module.LinuxRuntime.check();
  if (reason !== undefined) throw unusable(reason);
  return (options) => newLinuxRuntime(module, options);
}

/**
 * The built-in busybox image and the container init need a static /bin/busybox: as root, the
 * project's script installs Debian's busybox-static when it is missing (check() reports it
 * otherwise).
 */
function ensureBusybox(): void {
  if (existsSync('/bin/busybox') || process.getuid?.() !== 0) return;
  const script = fileURLToPath(new URL('../../scripts/ensure-busybox.sh', import.meta.url));
  if (!existsSync(script)) return;
  process.stderr.write('miniku: /bin/busybox is missing: installing busybox-static\n');
  spawnSync('bash', [script], { stdio: 'inherit', timeout: 300_000 });
}

function unusable(reason: string): MinikuError {
  const message =
    `The linux runtime cannot run here: ${reason}; ` +
    'try --runtime process (no isolation, development only)';
  return new MinikuError('E_RUNTIME_UNAVAILABLE', message, 2);
}

async function loadLinuxRuntime(): Promise<LinuxRuntimeModule> {
  try {
    const specifier: string = linuxRuntimeModule;
    return (await import(specifier)) as LinuxRuntimeModule;
  } catch (error) {
    const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw unusable(`LinuxRuntime is not available (${cause})`);
  }
}

function newProcessRuntime(options: NodeRuntimeOptions): NodeRuntime {
  const podIpPrefix = `127.1.${options.index % 256}`;
  const dataDir = join(options.dataDir, 'nodes', options.nodeName);
  mkdirSync(dataDir, { recursive: true });
  const runtime = new ProcessRuntime({ ...options, dataDir, podIpPrefix });
  runtime.removeLeftovers();
  return {
    kind: 'process',
    runtime,
    version: processRuntimeVersion,
    osImage: `miniku ${processRuntimeLabel}`,
    kernelVersion: release(),
    podIpPrefix,
    killAllNow: () => void runtime.killAllNow(),
    close: async () => undefined,
  };
}

function newLinuxRuntime(module: LinuxRuntimeModule, options: NodeRuntimeOptions): NodeRuntime {
  const { dataDir, nodeName, clock, log } = options;
  // Each node its own /24, so two nodes never hand out the same pod IP.
  const podIpPrefix = `10.244.${options.index % 256}`;
  const runtime = new module.LinuxRuntime({ dataDir, nodeName, clock, log, podIpPrefix });
  return {
    kind: 'linux',
    runtime,
    version: `miniku://${minikuVersion}`,
    osImage: 'miniku linux runtime',
    kernelVersion: release(),
    podIpPrefix,
    killAllNow: () => void runtime.killAllNow?.(),
    close: async () => runtime.close?.(),
  };
}
