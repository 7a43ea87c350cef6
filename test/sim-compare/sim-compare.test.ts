// `miniku sim compare` end to end: a weight change that moves pods lists exactly those pods,
// identical profiles list none, the output is byte-identical across runs, bad input exits 2.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimCompareCommand } from '../../src/cli/sim-compare-command.js';
import type { SimCompareOptions } from '../../src/cli/sim-compare-command.js';

const fixtures = 'test/sim-compare/fixtures';
const scenario = `${fixtures}/tainted-pool.yaml`;
const defaults = `${fixtures}/default-weights.yaml`;
const taintWeight1 = `${fixtures}/taint-weight-1.yaml`;
const outputFiles = ['compare.json', 'compare.md', 'compare.html'];
const temp: string[] = [];

afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

interface Compared {
  stdout: string;
  files: Map<string, string>;
  json: {
    placements: { movedCount: number; moved: Array<Record<string, string | null>> };
    nodes: Array<{ node: string; zone: string; podsA: number; podsB: number }>;
    expectations: Array<{ name: string; a: boolean; b: boolean }>;
  };
}

async function compare(options: Omit<SimCompareOptions, 'write' | 'out'>): Promise<Compared> {
  const out = await mkdtemp(join(tmpdir(), 'miniku-compare-'));
  temp.push(out);
  const lines: string[] = [];
  await runSimCompareCommand(scenario, { ...options, out, write: (t) => lines.push(t) });
  const files = new Map<string, string>();
  for (const name of outputFiles) files.set(name, await readFile(join(out, name), 'utf8'));
  return {
    stdout: lines.join('').replace(out, '<out>'),
    files,
    json: JSON.parse(files.get('compare.json') ?? '{}'),
  };
}

async function exitOf(options: Omit<SimCompareOptions, 'write'>): Promise<MinikuError> {
  const error = await runSimCompareCommand(scenario, { ...options, write: () => {} }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MinikuError);
  return error as MinikuError;
}

describe('miniku sim compare', () => {
  it('lists the pods that a lower TaintToleration weight moves onto the tainted pool', async () => {
    const result = await compare({ profile: [defaults, taintWeight1] });
    const moved = result.json.placements.moved;
    expect(moved.length).toBeGreaterThan(0);
    expect(result.json.placements.movedCount).toBe(moved.length);
    for (const pod of moved) {
      expect(pod['pod']).toMatch(/^ReplicaSet\/default\/web#\d+$/);
      expect(pod['nodeA']).toMatch(/^ondemand-\d$/);
      expect(pod['nodeB']).toMatch(/^spot-\d$/);
    }
    const spotB = result.json.nodes.filter((n) => n.zone === 'zone-b');
    expect(spotB.reduce((sum, n) => sum + n.podsB - n.podsA, 0)).toBe(moved.length);
    const flipped = result.json.expectations.find((e) => e.name === 'no pod on spot nodes');
    expect(flipped).toMatchObject({ a: true, b: false });
    const first = moved[0] as Record<string, string>;
    expect(result.stdout).toContain(
      `    ${first['pod']} (${first['nameA']}): ${first['nodeA']} → ${first['nodeB']}\n`,
    );
    expect(result.stdout).toContain('flipped: "no pod on spot nodes" held → FAILED');
    expect(result.files.get('compare.md')).toContain(`| ${first['pod']} | ${first['nameA']} |`);
  }, 30_000);

  it('lists no moved pods when both profiles are the same', async () => {
    const result = await compare({ profile: [defaults, defaults] });
    expect(result.json.placements).toMatchObject({ movedCount: 0, moved: [] });
    expect(result.stdout).toContain('placements: 0 of 8 pods were placed on a different node in B');
    expect(result.stdout).toContain('metrics: all equal');
    expect(result.files.get('compare.md')).toContain(
      'Every pod was placed on the same node in both runs.',
    );
  }, 30_000);

  it('with one profile compares the scenario’s own configuration (A) with it (B)', async () => {
    const result = await compare({ profile: [taintWeight1] });
    expect(result.stdout).toMatch(/^compare tainted-pool \(seed 3\): A = scenario, B = .*taint/);
    expect(result.json.placements.movedCount).toBeGreaterThan(0);
  }, 30_000);

  it('writes byte-identical files and summary twice, with four inline charts', async () => {
    const first = await compare({ profile: [defaults, taintWeight1], seed: '11' });
    const second = await compare({ profile: [defaults, taintWeight1], seed: '11' });
    for (const name of outputFiles) {
      expect(second.files.get(name), `${name} differs between two runs`).toBe(
        first.files.get(name),
      );
    }
    expect(second.stdout).toBe(first.stdout);
    const html = first.files.get('compare.html') ?? '';
    expect(html.match(/<svg/g)?.length).toBe(4);
    expect(html).not.toContain('<script');
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
  }, 30_000);

  it('refuses three profiles, a missing one and an invalid one with exit code 2', async () => {
    const three = await exitOf({ profile: [defaults, defaults, defaults] });
    expect(three.exitCode).toBe(2);
    expect(three.message).toBe('Give --profile once or twice (A and B), not 3 times');
    const missing = await exitOf({ profile: [defaults, `${fixtures}/nope.yaml`] });
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toBe(`Cannot read scheduler configuration "${fixtures}/nope.yaml"`);
    const dir = await mkdtemp(join(tmpdir(), 'miniku-compare-'));
    temp.push(dir);
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      'profiles:\n  - plugins:\n      score:\n        enabled: [{name: NoSuch}]\n',
    );
    const invalid = await exitOf({ profile: [bad] });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.message).toMatch(/^Invalid scheduler configuration ".*bad\.yaml": .*NoSuch/);
  });
});
