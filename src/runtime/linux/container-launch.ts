// Starts a container's shim (see container-scripts.ts) in its own session and waits for the
// container's init to report `ok <host pid>` on the start pipe, or for the pipe to close with
// the reason it could not start.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { initScript, shimScript } from './container-scripts.js';

export interface LaunchSpec {
  busyboxPath: string;
  /** Holds cgroup-procs, upper/, work/, merged/; the logs and `exit` are written here. */
  containerDir: string;
  /** The pod's network namespace (a bind-mounted nsfs file). */
  netnsPath: string;
  /** The runtime's base layer (mount points, /dev), above the image. */
  baseDir: string;
  /** The image's read-only rootfs. */
  lowerDir: string;
  hostname: string;
  workingDir: string;
  /** The container's PATH, in which the command is looked up. */
  path: string;
  /** `NAME=value` entries: the workload's whole environment. */
  env: string[];
  /** The command and its arguments; argv[0] is looked up in `path` unless it has a `/`. */
  argv: string[];
}

export type LaunchResult =
  | { ok: true; initPid: number; shim: ChildProcess }
  | { ok: false; message: string; shim: ChildProcess };

const startMessageBytesMax = 4096;

/** Spawns the shim; resolves once the container runs or has failed to start. */
export async function launchContainer(spec: LaunchSpec, timeoutMs: number): Promise<LaunchResult> {
  const args = [
    'sh',
    '-c',
    shimScript,
    'shim',
    spec.busyboxPath,
    spec.containerDir,
    spec.netnsPath,
    await uptimeOffset(),
    initScript,
    spec.baseDir,
    spec.lowerDir,
    spec.containerDir,
    spec.hostname,
    spec.workingDir,
    spec.path,
    String(spec.env.length),
    ...spec.env,
    ...spec.argv,
  ];
  const shim = spawn(spec.busyboxPath, args, {
    cwd: spec.containerDir,
    detached: true,
    env: {},
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  return readStartPipe(shim, timeoutMs);
}

function readStartPipe(shim: ChildProcess, timeoutMs: number): Promise<LaunchResult> {
  const pipe = shim.stdio[3] as Readable;
  let text = '';
  let done = false;
  return new Promise((resolve) => {
    const finish = (result: LaunchResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pipe.removeAllListeners('data');
      pipe.destroy();
      shim.unref();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, message: `the container did not start within ${timeoutMs}ms`, shim });
    }, timeoutMs);
    pipe.on('data', (chunk: Buffer) => {
      if (text.length < startMessageBytesMax) text += chunk.toString('utf8');
      const match = /(?:^|\n)ok (\d+)\n/.exec(text);
      if (match !== null) finish({ ok: true, initPid: Number(match[1]), shim });
    });
    pipe.on('error', () => undefined);
    pipe.on('close', () => finish({ ok: false, message: startFailure(text), shim }));
    shim.on('error', (error) => finish({ ok: false, message: error.message, shim }));
  });
}

/** Wall-clock seconds minus /proc/uptime seconds: what the shim adds to uptime to stamp logs. */
async function uptimeOffset(): Promise<string> {
  const uptime = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  return (Date.now() / 1000 - uptime).toFixed(3);
}

function startFailure(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length === 0 ? 'the container exited before it started' : lines.join(': ');
}
