// `sim check --shard i/n` and `sim merge`: shards partition the scenario list, their JSON results
// merge into one verdict, and the JSON and JUnit outputs are well-formed.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimCheckCommand, runSimMergeCommand } from '../../src/cli/sim-check-command.js';
import { libraryScenarioFiles } from '../../src/cli/sim-check-files.js';
import { shardItems } from '../../src/sim/check/shard.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function exitCodeOf(run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (error instanceof MinikuError) return error.exitCode;
    throw error;
  }
}

/** A small library: three quick scenarios, a manifests folder and a scale folder to skip. */
async function library(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'miniku-check-shards-'));
  temp.push(root);
  await mkdir(join(root, 'lib', 'more'), { recursive: true });
  await mkdir(join(root, 'lib', 'scale'));
  await mkdir(join(root, 'lib', 'manifests'));
  await copyFile('scenarios/kubelet-restart.yaml', join(root, 'lib', 'kubelet-restart.yaml'));
  await copyFile('scenarios/preemption.yaml', join(root, 'lib', 'preemption.yaml'));
  await copyFile(
    'scenarios/crashloop-and-oom.yaml',
    join(root, 'lib', 'more', 'crashloop-and-oom.yaml'),
  );
  await copyFile('scenarios/zone-spread.yaml', join(root, 'lib', 'scale', 'big.yaml'));
  await writeFile(join(root, 'lib', 'manifests', 'x.yaml'), 'kind: Pod\n');
  return root;
}

describe('sim check shards and merge', () => {
  it('lists the library outside scale/ and manifests/, and shards partition it exactly', async () => {
    const files = await libraryScenarioFiles('scenarios');
    expect(files.some((f) => /[/\\](scale|manifests)[/\\]/.test(f))).toBe(false);
    expect(files).toContain(join('scenarios', 'examples', 'node-crash.yaml'));
    for (const count of [1, 2, 3, 5, files.length + 2]) {
      const shards = Array.from({ length: count }, (_, i) =>
        shardItems(files, { index: i + 1, count }),
      );
      expect(shards.flat()).toEqual(files);
    }
  });

  it('checks each shard, then merges the JSON results into one verdict and JUnit file', async () => {
    const root = await library();
    const lib = join(root, 'lib');
    const baselines = join(root, 'baselines');
    const quiet = { write: () => undefined };
    await runSimCheckCommand([lib], { baseline: baselines, update: true, ...quiet });
    const results: string[] = [];
    const seen: string[] = [];
    for (const index of [1, 2]) {
      const chunks: string[] = [];
      await runSimCheckCommand([lib], {
        baseline: baselines,
        shard: `${index}/2`,
        format: 'json',
        write: (t) => chunks.push(t),
      });
      const json = JSON.parse(chunks.join('')) as {
        shard: unknown;
        scenarios: { scenario: string; status: string }[];
      };
      expect(json.shard).toEqual({ index, count: 2 });
      expect(json.scenarios.every((s) => s.status === 'pass')).toBe(true);
      seen.push(...json.scenarios.map((s) => s.scenario));
      const file = join(root, `shard-${index}.json`);
      await writeFile(file, chunks.join(''));
      results.push(file);
    }
    expect(seen.sort()).toEqual(['crashloop-and-oom', 'kubelet-restart', 'preemption']);

    const junit = join(root, 'junit.xml');
    const merged: string[] = [];
    await runSimMergeCommand(results, { junit, write: (t) => merged.push(t) });
    expect(merged.join('')).toContain('sim check: 3 scenarios: 3 passed');
    const xml = await readFile(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('tests="3" failures="0" errors="0"');

    // A shard missing, or a result that is not one, is bad input.
    expect(await exitCodeOf(() => runSimMergeCommand([results[0] as string], quiet))).toBe(2);
    expect(await exitCodeOf(() => runSimMergeCommand([junit], quiet))).toBe(2);
  }, 60_000);

  it('merges a regressed shard into a failing verdict with its diff in JUnit', async () => {
    const root = await library();
    const lib = join(root, 'lib');
    const baselines = join(root, 'baselines');
    const quiet = { write: () => undefined };
    await runSimCheckCommand([join(lib, 'preemption.yaml')], {
      baseline: baselines,
      update: true,
      ...quiet,
    });
    const path = join(baselines, 'preemption.baseline');
    const text = await readFile(path, 'utf8');
    // Pretend the committed baseline had an expectation failing and one pod elsewhere.
    const edited = text
      .replace(/^expect held /m, 'expect failed ')
      .replace(/^(placement \S+) (\S+)/m, '$1 elsewhere');
    expect(edited).not.toBe(text);
    await writeFile(path, edited);
    const chunks: string[] = [];
    const junit = join(root, 'single.xml');
    const code = await exitCodeOf(() =>
      runSimCheckCommand([join(lib, 'preemption.yaml')], {
        baseline: baselines,
        format: 'json',
        junit,
        write: (t) => chunks.push(t),
      }),
    );
    expect(code).toBe(1);
    const json = JSON.parse(chunks.join('')) as {
      passed: boolean;
      scenarios: { diff: { moved: unknown[]; expectations: unknown[] } }[];
    };
    expect(json.passed).toBe(false);
    expect(json.scenarios[0]?.diff.moved).toHaveLength(1);
    expect(json.scenarios[0]?.diff.expectations).toHaveLength(1);
    const result = join(root, 'result.json');
    await writeFile(result, chunks.join(''));
    expect(await exitCodeOf(() => runSimMergeCommand([result], quiet))).toBe(1);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain(
      '<failure type="regression" message="1 pod moved, 1 expectation flipped">',
    );
    expect(xml).toContain('failed -&gt; held');
  }, 60_000);
});
