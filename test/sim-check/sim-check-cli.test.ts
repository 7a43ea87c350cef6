// `miniku sim check` end to end: a scheduler weight change is caught with the pods that moved, a
// no-op edit passes, baselines are stable and host-free, and only --update writes them.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimCheckCommand } from '../../src/cli/sim-check-command.js';
import type { SimCheckOptions } from '../../src/cli/sim-check-command.js';
import { minikuVersion } from '../../src/control/version.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

interface Outcome {
  output: string;
  /** The MinikuError's exit code, 0 when the command returned. */
  exitCode: number;
}

async function check(args: string[], options: Omit<SimCheckOptions, 'write'>): Promise<Outcome> {
  const chunks: string[] = [];
  try {
    await runSimCheckCommand(args, { ...options, write: (t) => chunks.push(t) });
    return { output: chunks.join(''), exitCode: 0 };
  } catch (error) {
    if (!(error instanceof MinikuError)) throw error;
    return { output: `${chunks.join('')}${error.message}\n`, exitCode: error.exitCode };
  }
}

/** taints-and-affinity with a bin-packing profile: MostAllocated at the given weight. */
async function packingCopy(dir: string, weight: number, edit = (t: string) => t): Promise<string> {
  const text = await readFile('scenarios/taints-and-affinity.yaml', 'utf8');
  const profile = [
    '  scheduler:',
    '    profiles:',
    '      - schedulerName: default-scheduler',
    '        plugins:',
    `          score: { enabled: [{ name: NodeResourcesFit, weight: ${weight} }] }`,
    '        pluginConfig:',
    '          - { name: NodeResourcesFit, args: { scoringStrategy: { type: MostAllocated } } }',
    '',
  ].join('\n');
  const file = join(dir, 'taints-and-affinity.yaml');
  await writeFile(file, edit(text.replace('  nodePools:\n', `${profile}  nodePools:\n`)));
  return file;
}

describe('miniku sim check', () => {
  it('catches a scheduler weight change as a regression listing the moved pods', async () => {
    const dir = await tempDir('miniku-check-weight-');
    const baselines = join(dir, 'baselines');
    const file = await packingCopy(dir, 1);
    const created = await check([file], { baseline: baselines, update: true });
    expect(created).toMatchObject({ exitCode: 0 });
    expect(created.output).toContain('NEW taints-and-affinity: wrote');

    // An edit that changes no behaviour: a comment and the description.
    await packingCopy(
      dir,
      1,
      (t) =>
        `# reviewed\n${t.replace(/description: .*/, 'description: Reworded, same behaviour.')}`,
    );
    const same = await check([file], { baseline: baselines });
    expect(same.exitCode).toBe(0);
    expect(same.output).toMatch(/^PASS taints-and-affinity: 10 pods placed as in /);

    await packingCopy(dir, 100);
    const changed = await check([file], { baseline: baselines });
    expect(changed.exitCode).toBe(1);
    expect(changed.output).toMatch(/FAIL taints-and-affinity: differs from .*: \d+ pods moved/);
    const moved = changed.output.match(
      /^ {4}ReplicaSet\/default\/\S+#\d+: \S+ -> \S+ {2}\(.*\)$/gm,
    );
    expect(moved?.length).toBeGreaterThanOrEqual(2);
    expect(changed.output).toContain(`accept the change: miniku sim check ${file} --baseline`);
    // The check wrote nothing: the baseline still holds the weight-1 placements.
    expect((await check([file], { baseline: baselines })).exitCode).toBe(1);
  }, 60_000);

  it('writes byte-identical baselines on two fresh runs, free of paths, times and versions', async () => {
    const first = await tempDir('miniku-check-a-');
    const second = await tempDir('miniku-check-b-');
    const scenario = 'scenarios/zone-spread.yaml';
    expect((await check([scenario], { baseline: first, update: true })).exitCode).toBe(0);
    expect((await check([scenario], { baseline: second, update: true })).exitCode).toBe(0);
    const a = await readFile(join(first, 'zone-spread.baseline'), 'utf8');
    expect(await readFile(join(second, 'zone-spread.baseline'), 'utf8')).toBe(a);
    for (const hostDetail of [
      first,
      tmpdir(),
      process.cwd(),
      hostname(),
      'scenarios/',
      minikuVersion,
    ]) {
      expect(a).not.toContain(hostDetail);
    }
    expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(a).not.toMatch(/sha256|hash/i);
    expect(a.split('\n').filter((l) => l.startsWith('placement '))).toHaveLength(6);
  }, 60_000);

  it('treats a missing baseline as a regression with a hint, and does not write one', async () => {
    const dir = await tempDir('miniku-check-missing-');
    const outcome = await check(['scenarios/kubelet-restart.yaml'], { baseline: dir });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.output).toContain(
      `FAIL kubelet-restart: no baseline at ${join(dir, 'kubelet-restart.baseline')}`,
    );
    expect(outcome.output).toContain(
      `create it: miniku sim check scenarios/kubelet-restart.yaml --baseline ${dir} --update`,
    );
    expect(await readdir(dir)).toEqual([]);
  }, 60_000);

  it('refuses bad input with exit code 2 before running anything', async () => {
    const dir = await tempDir('miniku-check-bad-');
    await writeFile(join(dir, 'kubelet-restart.baseline'), 'baseline 1\nmetric x\n');
    const damaged = await check(['scenarios/kubelet-restart.yaml'], { baseline: dir });
    expect(damaged).toMatchObject({
      exitCode: 2,
      output: expect.stringContaining('kubelet-restart.baseline:2:'),
    });
    await writeFile(join(dir, 'tolerances.yaml'), 'metrics: { x: { absolute: -1 } }\n');
    expect((await check(['scenarios/kubelet-restart.yaml'], { baseline: dir })).exitCode).toBe(2);
    expect((await check(['no-such-scenario'], { baseline: dir })).exitCode).toBe(2);
    expect((await check([], { baseline: dir, format: 'xml' })).exitCode).toBe(2);
    expect((await check([], { baseline: dir, shard: '3/2' })).exitCode).toBe(2);
  });
});
