// Shared setup for tests that drive `miniku apiserver` with real kubectl binaries.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startApiServerCommand } from '../../src/cli/apiserver-command.js';

const run = promisify(execFile);

/** kubectl from PATH, or the one scripts/ensure-kubectl.sh unpacked; undefined if none. */
export function findKubectl(): string | undefined {
  const local = resolve('.tools/kubectl/usr/bin/kubectl');
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'kubectl');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Debian's kubectl 1.20 as scripts/ensure-kubectl.sh unpacks it; undefined if absent. */
export function findKubectl120(): string | undefined {
  const path = resolve('.tools/kubectl-1.20/usr/bin/kubectl');
  return existsSync(path) ? path : undefined;
}

export interface KubectlVersion {
  /** For test names; says "skipped" when the binary is absent (see scripts/ensure-kubectl.sh). */
  label: string;
  /** undefined: not available here; the suite skips and says why in its name. */
  path: string | undefined;
}

/** The clients the compatibility suites run against: the one on PATH and Debian's 1.20. */
export function kubectlVersions(): KubectlVersion[] {
  const current = findKubectl();
  const old = findKubectl120();
  return [
    { label: current === undefined ? 'kubectl (none found: skipped)' : 'kubectl', path: current },
    { label: old === undefined ? 'kubectl 1.20 (absent: skipped)' : 'kubectl 1.20', path: old },
  ];
}

export interface KubectlResult {
  stdout: string;
  stderr: string;
}

export interface KubectlSession {
  dir: string;
  /** The server URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  kubectl(...args: string[]): Promise<KubectlResult>;
  /** kubectl that must fail: resolves to its output instead of rejecting. */
  kubectlFails(...args: string[]): Promise<KubectlResult>;
  /**
   * Starts a long-running kubectl (e.g. `get -w`), collects its stdout lines, and kills it once
   * `lineCount` lines arrived or `timeoutMs` passed; resolves with the lines seen.
   */
  kubectlLines(args: string[], lineCount: number, timeoutMs: number): KubectlLines;
  /** Writes a file in the session directory; returns its path. */
  file(name: string, text: string): string;
  /** A raw request to the server (what a kubelet or the scheduler would send). */
  api(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export interface KubectlLines {
  /** Resolves when the first `count` lines arrived (or the process ended first). */
  linesAtLeast(count: number): Promise<string[]>;
  /** All lines and the exit code (null when killed), once the process ended. */
  done: Promise<{ lines: string[]; code: number | null }>;
}

export interface KubectlSessionOptions {
  seed: string;
  /** Passed to `miniku apiserver --token-file`. */
  tokenFile?: string;
  /** Sent by api() as a bearer token. */
  apiToken?: string;
}

/** Starts `miniku apiserver` on a free loopback port with a fresh kubeconfig and cache. */
export async function startKubectlSession(
  kubectlPath: string,
  seedOrOptions: string | KubectlSessionOptions,
): Promise<KubectlSession> {
  const options = typeof seedOrOptions === 'string' ? { seed: seedOrOptions } : seedOrOptions;
  const dir = mkdtempSync(join(tmpdir(), 'miniku-kubectl-'));
  const quiet = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let server: { close(): Promise<void> };
  try {
    server = await startApiServerCommand({
      port: '0',
      dataDir: dir,
      seed: options.seed,
      ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    process.stdout.write = quiet;
  }
  const kubeconfig = join(dir, 'kubeconfig');
  const url = /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] ?? '';
  const argv = (args: string[]) => [
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(dir, 'cache'),
    ...args,
  ];
  const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
  const children = new Set<ReturnType<typeof spawn>>();
  const kubectl = (...args: string[]) =>
    run(kubectlPath, argv(args), { env, timeout: 30_000 }) as Promise<KubectlResult>;
  return {
    dir,
    url,
    kubectl,
    kubectlFails: (...args) =>
      kubectl(...args).then(
        (result) => {
          throw new Error(`kubectl ${args.join(' ')} succeeded: ${result.stdout}`);
        },
        (error: KubectlResult) => ({ stdout: error.stdout, stderr: error.stderr }),
      ),
    kubectlLines: (args, lineCount, timeoutMs) =>
      collectLines({ path: kubectlPath, args: argv(args), env, children, lineCount, timeoutMs }),
    file: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    api: async (method, path, body, contentType = 'application/json') => {
      const headers: Record<string, string> = { 'content-type': contentType };
      if (options.apiToken !== undefined) headers.authorization = `Bearer ${options.apiToken}`;
      const init: RequestInit = { method, headers };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await fetch(`${url}${path}`, init);
      return { status: response.status, json: await response.json() };
    },
    close: async () => {
      for (const child of children) child.kill('SIGKILL');
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface CollectOptions {
  path: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  children: Set<ReturnType<typeof spawn>>;
  lineCount: number;
  timeoutMs: number;
}

function collectLines(options: CollectOptions): KubectlLines {
  const child = spawn(options.path, options.args, { env: options.env, stdio: 'pipe' });
  options.children.add(child);
  const lines: string[] = [];
  const waiters: { count: number; resolve: (lines: string[]) => void }[] = [];
  let partial = '';
  let ended = false;
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (ended || lines.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...lines]);
      }
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length >= options.lineCount) child.kill('SIGTERM');
    settle();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const done = new Promise<{ lines: string[]; code: number | null }>((resolveDone) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      options.children.delete(child);
      if (partial !== '') lines.push(partial);
      ended = true;
      settle();
      resolveDone({ lines: [...lines], code });
    });
  });
  return {
    done,
    linesAtLeast: (count) =>
      new Promise((resolveLines) => {
        waiters.push({ count, resolve: resolveLines });
        settle();
      }),
  };
}

/** The column titles of a table kubectl printed (split at runs of two or more spaces). */
export function headerOf(output: string): string[] {
  const first = output.split('\n')[0] ?? '';
  return first.trim().split(/\s{2,}/);
}

/** Data rows of a printed table as cells, keyed by the header's titles. */
export function rowsOf(output: string): Record<string, string>[] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0] ?? '';
  const titles = headerOf(header);
  const starts: number[] = [];
  for (const title of titles) starts.push(header.indexOf(title, (starts.at(-1) ?? -1) + 1));
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    titles.forEach((title, i) => {
      const end = i + 1 < starts.length ? starts[i + 1] : undefined;
      row[title] = line.slice(starts[i], end).trim();
    });
    return row;
  });
}
