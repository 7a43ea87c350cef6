// The records a LinuxRuntime keeps per sandbox and container (in memory and as state.json), and
// how a container's argv, environment and reported status are derived from them.

import type {
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  PodSandbox,
  PodSandboxConfig,
  SandboxState,
} from '../../control/ports/container-runtime.js';
import { hasLabels, RuntimeError } from '../../control/ports/container-runtime.js';
import type { CgroupRecord } from './container-cgroup.js';
import type { ProcessIdentity } from './host-procs.js';
import type { StoredImage } from './image-files.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAtMs: number;
  /** The hostname its containers get (validated, at most 63 bytes). */
  hostname: string;
  netnsPath: string;
  /** Pod IP, on the namespace's loopback (reachable from inside the pod only, for now). */
  ip: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  createdAtMs: number;
  /** The image's id. */
  imageRef: string;
  /** The image's rootfs: the overlay's lower directory. */
  lowerDir: string;
  argv: string[];
  /** `NAME=value`, the workload's whole environment. */
  env: string[];
  /** The container's PATH (the command is looked up in it). */
  path: string;
  workingDir: string;
  hostname: string;
  state: 'created' | 'running' | 'exited';
  startedAtMs: number;
  finishedAtMs: number;
  exitCode: number;
  reason: string;
  message: string;
  cgroup: CgroupRecord | undefined;
  init: ProcessIdentity | undefined;
  shim: ProcessIdentity | undefined;
  /** When this runtime escalated a stop to SIGKILL; 0 if it never did. */
  killedAtMs: number;
}

export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function sandboxView(record: SandboxRecord): PodSandbox {
  return {
    id: record.id,
    config: record.config,
    state: record.state,
    createdAtMs: record.createdAtMs,
    ip: record.state === 'ready' ? record.ip : '',
  };
}

export function containerView(record: ContainerRecord): ContainerStatus {
  return {
    id: record.id,
    sandboxId: record.sandboxId,
    config: record.config,
    state: record.state,
    createdAtMs: record.createdAtMs,
    startedAtMs: record.startedAtMs,
    finishedAtMs: record.finishedAtMs,
    exitCode: record.exitCode,
    reason: record.reason,
    message: record.message,
    imageRef: record.imageRef,
  };
}

/** Like an OCI runtime: command replaces the entrypoint, args replace the image's cmd. */
export function containerArgv(config: ContainerConfig, image: StoredImage): string[] {
  const argv =
    config.command.length > 0
      ? [...config.command, ...config.args]
      : [...image.entrypoint, ...(config.args.length > 0 ? config.args : image.cmd)];
  if (argv.length === 0 || argv[0] === '') {
    throw new RuntimeError(
      'CreateContainerError',
      `failed to generate container "${config.name}" spec: no command specified`,
    );
  }
  return argv;
}

/** PATH, HOSTNAME and HOME defaults, then the pod's entries (later names override earlier). */
export function containerEnv(config: ContainerConfig, hostname: string): Map<string, string> {
  const env = new Map<string, string>([
    ['PATH', defaultPath],
    ['HOSTNAME', hostname],
    ['HOME', '/root'],
  ]);
  for (const { name, value } of config.env) {
    if (name === '' || name.includes('=') || name.includes('\0') || value.includes('\0')) {
      const message = `invalid environment variable name "${name}" in container "${config.name}"`;
      throw new RuntimeError('CreateContainerError', message);
    }
    env.delete(name);
    env.set(name, value);
  }
  return env;
}

/** Exit status to reason, as containerd reports them. */
export function exitReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** A created container's record: argv, environment and paths resolved once, here. */
export function newContainerRecord(options: {
  id: string;
  sandbox: SandboxRecord;
  config: ContainerConfig;
  image: StoredImage;
  createdAtMs: number;
}): ContainerRecord {
  const { id, sandbox, config, image, createdAtMs } = options;
  const env = containerEnv(config, sandbox.hostname);
  return {
    id,
    sandboxId: sandbox.id,
    config: structuredClone(config),
    createdAtMs,
    imageRef: image.id,
    lowerDir: image.rootfs,
    argv: containerArgv(config, image),
    env: [...env].map(([name, value]) => `${name}=${value}`),
    path: env.get('PATH') ?? '',
    workingDir: config.workingDir === '' ? '/' : config.workingDir,
    hostname: sandbox.hostname,
    state: 'created',
    startedAtMs: 0,
    finishedAtMs: 0,
    exitCode: 0,
    reason: '',
    message: '',
    cgroup: undefined,
    init: undefined,
    shim: undefined,
    killedAtMs: 0,
  };
}

export function containerMatches(record: ContainerRecord, filter: ContainerFilter): boolean {
  if (filter.sandboxId !== undefined && record.sandboxId !== filter.sandboxId) return false;
  if (filter.state !== undefined && record.state !== filter.state) return false;
  return hasLabels(record.config.labels, filter.labels);
}
