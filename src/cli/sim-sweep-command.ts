// `miniku sim sweep` runs one scenario for many seeds on worker threads and summarises the
// spread of its metrics and its failing seeds; `miniku sim sweep-merge` joins the JSON results
// of shards (`--shard i/n` on several machines) into the result of the whole sweep.
//
// Output does not depend on --jobs or on which worker finished first: runs are sorted by seed.
// Exit codes: 0 every seed passed; 1 some seed failed an expectation; 2 bad input; 3 a run
// failed inside the simulator (4: it hit a limit), listed with the failing seeds.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import {
  mergeSweeps,
  parseSeedList,
  parseShard,
  renderSweepJson,
  renderSweepText,
  shardSeeds,
  summariseSweep,
  sweepResultFromJson,
} from '../sim/sweep/index.js';
import type { Parsed, Shard, SweepResult } from '../sim/sweep/index.js';
import { MinikuError } from './errors.js';
import { loadScenarios } from './sim-command.js';
import { scenarioHashOf } from './sim-sweep-run.js';
import { runSweepPool, sweepJobCountMax } from './sim-sweep-pool.js';

/** Worker threads when --jobs is not given: one per CPU, at most this many. */
export const defaultJobCountMax = 4;

export interface SimSweepOptions {
  /** `1..100` (default), `7`, `1..10,42`. */
  seeds?: string;
  /** Worker threads; default min(CPUs, 4). */
  jobs?: string;
  /** `i/n`: only every n-th seed, starting with the i-th. */
  shard?: string;
  /** `text` (default) or `json`. */
  format?: string;
  /** Also write the JSON result (for sweep-merge) to this file. */
  out?: string;
  /** Where output goes (tests capture it). Default stdout. */
  write?: (text: string) => void;
}

function flag<T>(name: string, text: string, parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  throw new MinikuError('E_BAD_FLAG', `Invalid value for --${name}: "${text}": ${parsed.message}`);
}

function jobsOf(text: string | undefined): number {
  if (text === undefined) return Math.max(1, Math.min(availableParallelism(), defaultJobCountMax));
  const jobs = /^[1-9]\d{0,2}$/.test(text) ? Number(text) : 0;
  if (jobs < 1 || jobs > sweepJobCountMax) {
    const message = `use a whole number from 1 to ${sweepJobCountMax}`;
    throw new MinikuError('E_BAD_FLAG', `Invalid value for --jobs: "${text}": ${message}`);
  }
  return jobs;
}

function formatOf(text: string | undefined): 'text' | 'json' {
  const format = text ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --format: "${format}": use text or json`,
    );
  }
  return format;
}

export async function runSimSweepCommand(file: string, options: SimSweepOptions): Promise<void> {
  const seedsText = options.seeds ?? '1..100';
  const seedList = flag('seeds', seedsText, parseSeedList(seedsText));
  const shard: Shard | undefined =
    options.shard === undefined
      ? undefined
      : flag('shard', options.shard, parseShard(options.shard));
  const jobs = jobsOf(options.jobs);
  const format = formatOf(options.format);
  const [loaded] = await loadScenarios([file]);
  if (loaded === undefined) throw new MinikuError('E_NO_SCENARIO', 'No scenario file given');
  const scenarioHash = scenarioHashOf(loaded);
  const seeds = shard === undefined ? seedList.seeds : shardSeeds(seedList.seeds, shard);
  const runs = await runSweepPool({ file, scenarioHash, seeds, jobs });
  const result = summariseSweep({
    scenario: { name: loaded.scenario.metadata.name, file, hash: scenarioHash },
    seeds: seedList.text,
    shard: shard === undefined ? null : { count: shard.count, indexes: [shard.index] },
    expectations: loaded.scenario.spec.expectations.map((e) => e.name),
    runs,
  });
  await report(result, { format, out: options.out, write: options.write });
}

export interface SimSweepMergeOptions {
  format?: string;
  out?: string;
  write?: (text: string) => void;
}

async function readResult(file: string): Promise<SweepResult> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'not JSON' : 'cannot read the file';
    throw new MinikuError('E_BAD_INPUT', `Cannot merge "${file}": ${why}`);
  }
  const parsed = sweepResultFromJson(value);
  if (!parsed.ok) throw new MinikuError('E_BAD_INPUT', `Cannot merge "${file}": ${parsed.message}`);
  return parsed.value;
}

export async function runSimSweepMergeCommand(
  files: readonly string[],
  options: SimSweepMergeOptions,
): Promise<void> {
  const format = formatOf(options.format);
  if (files.length === 0) throw new MinikuError('E_BAD_INPUT', 'No sweep result file given');
  const results: SweepResult[] = [];
  for (const file of files) results.push(await readResult(file));
  const merged = mergeSweeps(results);
  if (!merged.ok) throw new MinikuError('E_BAD_INPUT', `Cannot merge: ${merged.message}`);
  await report(merged.value, { format, out: options.out, write: options.write });
}

/** Writes the result, then turns failing seeds into the exit code. */
async function report(
  result: SweepResult,
  options: { format: 'text' | 'json'; out: string | undefined; write?: (text: string) => void },
): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  if (options.out !== undefined) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, renderSweepJson(result));
  }
  write(options.format === 'json' ? renderSweepJson(result) : renderSweepText(result));
  const summary = result.summary;
  const exitCode = Math.max(0, ...result.runs.map((run) => run.error?.exitCode ?? 0));
  if (exitCode > 0) {
    throw new MinikuError(
      exitCode === 4 ? 'E_LIMIT' : 'E_INTERNAL',
      `${summary.erroredCount} of ${summary.runCount} run(s) did not finish`,
      exitCode,
    );
  }
  if (summary.failedCount > 0) {
    throw new MinikuError(
      'E_EXPECTATIONS',
      `${summary.failedCount} of ${summary.runCount} seed(s) failed`,
      1,
    );
  }
}
