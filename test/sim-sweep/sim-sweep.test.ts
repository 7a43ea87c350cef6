// `miniku sim sweep` end to end: worker threads, the same output for any job count, failing
// seeds with reproduce commands that fail the same way, and refused flags.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimRunCommand } from '../../src/cli/sim-command.js';
import { capture, quickScenario, sweep, tempDir } from './sweep-helpers.js';
import type { Outcome } from './sweep-helpers.js';

interface Sweep {
  outcome: Outcome;
  json: string;
}

let dir = '';
const sweeps: Sweep[] = [];

beforeAll(async () => {
  dir = await tempDir();
  for (const jobs of ['2', '1']) {
    const out = join(dir, `jobs-${jobs}.json`);
    const outcome = await sweep({ seeds: '1..20', jobs, out });
    sweeps.push({ outcome, json: await readFile(out, 'utf8') });
  }
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('miniku sim sweep', () => {
  it('reports the same numbers twice, with two workers and with one', () => {
    const [two, one] = sweeps as [Sweep, Sweep];
    expect(one.json).toBe(two.json);
    expect(one.outcome).toEqual(two.outcome);
    const result = JSON.parse(two.json);
    expect(result.runs.map((run: { seed: number }) => run.seed)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const startup = result.summary.metrics.find(
      (m: { name: string }) => m.name === 'pods.startupLatencyMsP50',
    );
    expect(startup.count).toBe(20);
    expect(startup.max).toBeGreaterThan(startup.min);
    expect(two.outcome.stdout).toMatch(/^pods\.startupLatencyMsP50 +20 +\d/m);
  });

  it('lists failing seeds with a reproduce command that fails the same way', async () => {
    const { outcome } = sweeps[0] as Sweep;
    expect(outcome.exitCode).toBe(1);
    const head = /^sweep quick-start \(.*\), seeds 1\.\.20: 20 runs, (\d+) passed, (\d+) failed$/m;
    const [, passed = '', failed = ''] = head.exec(outcome.stdout) ?? [];
    expect(Number(failed)).toBeGreaterThan(0);
    expect(Number(passed)).toBeGreaterThan(0);
    expect(outcome.stdout).toMatch(new RegExp(`^three pods are ready by 4s +${passed}/20$`, 'm'));
    const failing = [
      ...outcome.stdout.matchAll(/seed (\d+) failed: "three pods are ready by 4s"/g),
    ];
    expect(failing.length).toBe(Number(failed));
    const seed = failing[0]?.[1] ?? '';
    const reproduce = `reproduce: npx miniku sim run ${quickScenario} --seed ${seed}\n`;
    expect(outcome.stdout).toContain(reproduce);
    const rerun = await capture((write) =>
      runSimRunCommand([quickScenario], {
        seed,
        out: join(dir, 'rerun'),
        trace: 'none',
        format: 'text',
        write,
      }),
    );
    expect(rerun.exitCode).toBe(1);
    expect(rerun.stdout).toContain('FAIL three pods are ready by 4s');
  }, 30_000);

  it.each([
    [{ seeds: '5..1' }, 'Invalid value for --seeds: "5..1": the range "5..1" is empty'],
    [{ seeds: 'x' }, 'Invalid value for --seeds: "x": "x" is not a seed or a range a..b'],
    [{ shard: '3/2' }, 'Invalid value for --shard: "3/2": shard 3 of 2 does not exist'],
    [{ shard: '0/2' }, 'Invalid value for --shard: "0/2": use i/n with whole numbers'],
    [{ jobs: '0' }, 'Invalid value for --jobs: "0": use a whole number from 1 to 64'],
    [{ format: 'xml' }, 'Invalid value for --format: "xml": use text or json'],
  ])('refuses %j with one line and exit code 2', async (flags, message) => {
    const outcome = await sweep(flags);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message.startsWith(message)).toBe(true);
    expect(outcome.message).not.toContain('\n');
    expect(outcome.stdout).toBe('');
  });
});
