// Choosing real mode's runtime: flag values, the process runtime, and the one-line error that
// sends users to `--runtime process` when the linux runtime cannot run.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WallClock } from '../runtime/wall-clock.js';
import { MinikuError } from './errors.js';
import { parseRuntimeKind, prepareRuntime } from './real-runtime.js';

describe('real mode runtimes', () => {
  it('accepts linux and process, and refuses anything else', () => {
    expect(parseRuntimeKind('linux')).toBe('linux');
    expect(parseRuntimeKind('process')).toBe('process');
    expect(() => parseRuntimeKind('docker')).toThrow(
      'Invalid value for --runtime: "docker": expected "linux" or "process"',
    );
  });

  it('builds process runtimes labelled as development only, one pod /24 per node', async () => {
    const newRuntime = await prepareRuntime('process');
    const dataDir = mkdtempSync(join(tmpdir(), 'miniku-real-runtime-'));
    try {
      const log = () => undefined;
      const clock = new WallClock();
      const node = newRuntime({ dataDir, nodeName: 'node-3', clock, index: 3, log });
      expect(node.osImage).toContain('no isolation, development only');
      expect(node.version).toBe('process://0.1.0');
      expect(node.podIpPrefix).toBe('127.1.3');
      const sandboxId = await node.runtime.runPodSandbox({
        name: 'p',
        namespace: 'default',
        uid: 'u',
        attempt: 0,
        hostname: 'p',
        labels: {},
      });
      const [sandbox] = await node.runtime.listPodSandboxes();
      expect(sandbox).toMatchObject({ id: sandboxId, ip: '127.1.3.2' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('either loads the linux runtime or fails with exit code 2 and a hint', async () => {
    const outcome = await prepareRuntime('linux').then(
      () => undefined,
      (error: unknown) => error,
    );
    if (outcome === undefined) return; // usable here: real-linux.test.ts covers it
    expect(outcome).toBeInstanceOf(MinikuError);
    const error = outcome as MinikuError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^The linux runtime cannot run here: .+; try --runtime process/);
    expect(error.message).not.toContain('\n');
  });
});
