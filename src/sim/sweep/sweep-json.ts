// A sweep result as canonical JSON text, and back: the file `sweep-merge` reads is checked
// field by field, so a foreign or hand-edited file is refused with what is wrong.
import { canonicalJsonText } from '../report/render-json.js';
import type { Parsed } from './seed-list.js';
import { summariseSweep } from './summarise-sweep.js';
import { sweepFormatVersion } from './sweep-model.js';
import type { ShardSet, SweepResult, SweepRun, SweepRunError } from './sweep-model.js';

/** The result as indented JSON with sorted keys, ending in a newline. Same result, same bytes. */
export function renderSweepJson(result: SweepResult): string {
  return canonicalJsonText(result);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function errorOf(value: unknown): SweepRunError | null | undefined {
  if (value === null) return null;
  if (!isObject(value)) return undefined;
  const { code, exitCode, message } = value;
  if (typeof code !== 'string' || !isCount(exitCode) || typeof message !== 'string') {
    return undefined;
  }
  return { code, exitCode, message };
}

function runOf(value: unknown): SweepRun | undefined {
  if (!isObject(value)) return undefined;
  const { seed, passed, held, metrics } = value;
  const error = errorOf(value['error']);
  if (!isCount(seed) || typeof passed !== 'boolean' || error === undefined) return undefined;
  if (!Array.isArray(held) || !held.every((h) => typeof h === 'boolean')) return undefined;
  if (!isObject(metrics)) return undefined;
  const entries = Object.entries(metrics);
  if (!entries.every(([, v]) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return { seed, passed, held, metrics: metrics as Record<string, number>, error };
}

function shardOf(value: unknown): ShardSet | null | undefined {
  if (value === null) return null;
  if (!isObject(value)) return undefined;
  const { count, indexes } = value;
  if (!isCount(count) || !Array.isArray(indexes) || !indexes.every(isCount)) return undefined;
  return { count, indexes };
}

function scenarioOf(value: unknown): SweepResult['scenario'] | undefined {
  if (!isObject(value)) return undefined;
  const { name, file, hash } = value;
  if (typeof name !== 'string' || typeof file !== 'string' || typeof hash !== 'string') {
    return undefined;
  }
  return { name, file, hash };
}

/**
 * A parsed JSON value as a sweep result. Only the runs are trusted; the summary is recomputed
 * from them, so a stale or edited summary cannot survive a merge.
 */
export function sweepResultFromJson(value: unknown): Parsed<SweepResult> {
  if (!isObject(value) || value['sweepFormatVersion'] !== sweepFormatVersion) {
    return { ok: false, message: `not a sweep result of format version ${sweepFormatVersion}` };
  }
  const scenario = scenarioOf(value['scenario']);
  const shard = shardOf(value['shard']);
  const { seeds, expectations } = value;
  if (scenario === undefined) return { ok: false, message: 'scenario: expected name, file, hash' };
  if (shard === undefined) return { ok: false, message: 'shard: expected null or count, indexes' };
  if (typeof seeds !== 'string') return { ok: false, message: 'seeds: expected a string' };
  if (!Array.isArray(expectations) || !expectations.every((e) => typeof e === 'string')) {
    return { ok: false, message: 'expectations: expected a list of names' };
  }
  const rawRuns = Array.isArray(value['runs']) ? value['runs'] : undefined;
  const runs = (rawRuns ?? []).map(runOf);
  if (rawRuns === undefined || runs.some((run) => run === undefined)) {
    return { ok: false, message: 'runs: expected a list of runs (seed, passed, held, metrics)' };
  }
  const result = summariseSweep({ scenario, seeds, shard, expectations, runs: runs as SweepRun[] });
  return { ok: true, value: result };
}
