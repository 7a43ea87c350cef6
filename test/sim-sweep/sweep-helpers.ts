// Helpers of the sweep tests: run a command and capture its stdout and exit code.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimSweepCommand } from '../../src/cli/sim-sweep-command.js';
import type { SimSweepOptions } from '../../src/cli/sim-sweep-command.js';

/** 3 replicas on 2 nodes for 8 s; the pull time is drawn per seed, so some seeds fail. */
export const quickScenario = 'test/sim-sweep/fixtures/quick-start.yaml';

export interface Outcome {
  stdout: string;
  exitCode: number;
  message: string;
}

/** Runs a command, capturing stdout and the exit code its MinikuError would give. */
export async function capture(
  run: (write: (text: string) => void) => Promise<void>,
): Promise<Outcome> {
  const lines: string[] = [];
  try {
    await run((text) => lines.push(text));
    return { stdout: lines.join(''), exitCode: 0, message: '' };
  } catch (error) {
    if (!(error instanceof MinikuError)) throw error;
    return { stdout: lines.join(''), exitCode: error.exitCode, message: error.message };
  }
}

export function sweep(options: SimSweepOptions): Promise<Outcome> {
  return capture((write) => runSimSweepCommand(quickScenario, { ...options, write }));
}

/** A fresh directory under the OS temp dir; the caller removes it. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'miniku-sweep-'));
}
