// `miniku sim sweep --shard i/n` and `miniku sim sweep-merge`: the shards' JSON results merge
// into exactly the unsharded result; overlapping or foreign inputs are refused.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimSweepMergeCommand } from '../../src/cli/sim-sweep-command.js';
import { capture, sweep, tempDir } from './sweep-helpers.js';
import type { Outcome } from './sweep-helpers.js';

let dir = '';
let whole: Outcome;
let shardOne: Outcome;
const files: string[] = [];

beforeAll(async () => {
  dir = await tempDir();
  whole = await sweep({ seeds: '1..10', jobs: '2', format: 'json' });
  files.push(join(dir, 'shard-2.json'), join(dir, 'shard-1.json'));
  await sweep({ seeds: '1..10', shard: '2/2', jobs: '1', out: files[0] });
  shardOne = await sweep({ seeds: '1..10', shard: '1/2', jobs: '1', out: files[1] });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('miniku sim sweep-merge', () => {
  it('runs every n-th seed of a shard', async () => {
    expect(shardOne.stdout).toMatch(/^sweep quick-start \(.*\), seeds 1\.\.10, shard 1\/2: 5 runs/);
    const result = JSON.parse(await readFile(files[1] as string, 'utf8'));
    expect(result.runs.map((run: { seed: number }) => run.seed)).toEqual([1, 3, 5, 7, 9]);
    expect(result.shard).toEqual({ count: 2, indexes: [1] });
  });

  it('merges the JSON of every shard into the unsharded result, byte for byte', async () => {
    const merged = await capture((write) =>
      runSimSweepMergeCommand(files, { format: 'json', write }),
    );
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.exitCode).toBe(whole.exitCode);
    expect(JSON.parse(merged.stdout).shard).toBeNull();
  });

  it('refuses a shard given twice', async () => {
    const file = files[1] as string;
    const twice = await capture((write) => runSimSweepMergeCommand([file, file], { write }));
    expect(twice.exitCode).toBe(2);
    expect(twice.message).toBe('Cannot merge: a shard appears in more than one result');
  });

  it('refuses a file that is not a sweep result', async () => {
    const other = join(dir, 'other.json');
    await writeFile(other, '{"hello": 1}');
    const foreign = await capture((write) => runSimSweepMergeCommand([other], { write }));
    expect(foreign.exitCode).toBe(2);
    expect(foreign.message).toBe(`Cannot merge "${other}": not a sweep result of format version 1`);
  });
});
