// Shared setup for tests that drive `miniku apiserver` with the installed kubectl.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

export interface KubectlSession {
  dir: string;
  kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Starts `miniku apiserver` on a free loopback port with a fresh kubeconfig and cache. */
export async function startKubectlSession(
  kubectlPath: string,
  seed: string,
): Promise<KubectlSession> {
  const dir = mkdtempSync(join(tmpdir(), 'miniku-kubectl-'));
  const quiet = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let server: { close(): Promise<void> };
  try {
    server = await startApiServerCommand({ port: '0', dataDir: dir, seed });
  } finally {
    process.stdout.write = quiet;
  }
  const kubeconfig = join(dir, 'kubeconfig');
  return {
    dir,
    kubectl: (...args) =>
      run(kubectlPath, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], {
        env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig },
        timeout: 30_000,
      }),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
