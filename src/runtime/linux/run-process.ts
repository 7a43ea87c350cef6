// Runs a host program to completion and collects its output, with a time and size bound.

import { spawn } from 'node:child_process';

export interface RunProcessOptions {
  /** Environment of the program. Default: a minimal one (PATH only). */
  env?: Record<string, string>;
  /** Written to stdin, then stdin is closed. Default: stdin is /dev/null. */
  input?: string;
  /** Kill the program's process group with SIGKILL after this long, ms; 0 for never. */
  timeoutMs?: number;
  /** Working directory. Default: this process's. */
  cwd?: string;
  /** Output kept per stream, bytes; the rest is dropped. Default 4 MiB. */
  outputBytesMax?: number;
}

export interface ProcessResult {
  /** Exit status, 128 + n when killed by signal n. */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export const hostPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const timeoutMsDefault = 30_000;
const outputBytesMaxDefault = 4 * 1024 * 1024;
const hostDelayMsMax = 2_147_483_647;

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/** 128 + the signal's number, as a shell reports a death by signal. */
export function signalExitCode(signal: string): number {
  return 128 + (signalNumbers[signal] ?? 0);
}

/**
 * Runs `file` with `args` in its own process group (so a timeout kills its children too) and
 * resolves with its status and output; rejects only when it cannot be started at all.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const outputBytesMax = options.outputBytesMax ?? outputBytesMaxDefault;
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      env: options.env ?? { PATH: hostPath },
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout = collect(child.stdout, outputBytesMax);
    const stderr = collect(child.stderr, outputBytesMax);
    let timedOut = false;
    const timeoutMs = Math.min(options.timeoutMs ?? timeoutMsDefault, hostDelayMsMax);
    const timer =
      timeoutMs === 0
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child.pid);
          }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? signalExitCode(signal ?? '');
      resolve({ exitCode, stdout: stdout.text(), stderr: stderr.text(), timedOut });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs a program that must succeed; rejects with its stderr otherwise. */
export async function runChecked(
  file: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<string> {
  const result = await runProcess(file, args, options);
  if (result.exitCode !== 0 || result.timedOut) {
    const detail = result.stderr.trim() || result.stdout.trim() || `exit status ${result.exitCode}`;
    const what = result.timedOut ? 'timed out' : 'failed';
    throw new Error(`${[file, ...args.slice(0, 3)].join(' ')} ${what}: ${detail}`);
  }
  return result.stdout;
}

/** SIGKILL to a process group; a group already gone is fine. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function collect(stream: NodeJS.ReadableStream | null, bytesMax: number): { text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= bytesMax) return;
    const kept = chunk.subarray(0, bytesMax - size);
    chunks.push(kept);
    size += kept.length;
  });
  return { text: () => Buffer.concat(chunks).toString('utf8') };
}
