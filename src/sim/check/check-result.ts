// The outcome of `sim check` over some scenarios, its JSON form, and merging shards' results.
import { canonicalJsonText } from '../report/render-json.js';
import { compareText } from '../report/format.js';
import type { BaselineDiff } from './compare-baseline.js';
import type { Shard } from './shard.js';

/**
 * pass: equal within tolerance. regression: differs from the baseline. missing: no baseline yet.
 * error: the run itself failed. created / updated: `--update` wrote a new or changed baseline
 * (the diff says what changed). Only regression, missing and error fail a check.
 */
export type CheckStatus = 'pass' | 'regression' | 'missing' | 'error' | 'created' | 'updated';

export const checkStatuses: readonly CheckStatus[] = [
  'pass',
  'regression',
  'missing',
  'error',
  'created',
  'updated',
];

export interface ScenarioCheck {
  /** metadata.name of the scenario. */
  scenario: string;
  /** The scenario file as named on the command line or found in the library. */
  file: string;
  /** The baseline file compared with (or written). */
  baselineFile: string;
  status: CheckStatus;
  /** For regression and updated: what differs. */
  diff: BaselineDiff | null;
  /** Pods placed in this run. */
  placementCount: number;
  /** For error: what failed; for missing: why; else ''. */
  message: string;
  /** The command that accepts this run as the new baseline. */
  updateCommand: string;
  /** Wall time of the run in ms (not deterministic; never in a baseline). */
  wallMs: number;
}

export interface CheckReport {
  /** Which shard this is; null for the whole set. */
  shard: Shard | null;
  /** Sorted by scenario name. */
  scenarios: readonly ScenarioCheck[];
}

export const checkJsonKind = 'miniku-sim-check';
export const checkJsonVersion = 1;

export function isFailure(status: CheckStatus): boolean {
  return status === 'regression' || status === 'missing' || status === 'error';
}

export function checkPassed(report: CheckReport): boolean {
  return report.scenarios.every((s) => !isFailure(s.status));
}

export function countByStatus(report: CheckReport): Record<CheckStatus, number> {
  const counts = Object.fromEntries(checkStatuses.map((s) => [s, 0])) as Record<
    CheckStatus,
    number
  >;
  for (const s of report.scenarios) counts[s.status] += 1;
  return counts;
}

export function sortChecks(checks: readonly ScenarioCheck[]): ScenarioCheck[] {
  return [...checks].sort(
    (a, b) => compareText(a.scenario, b.scenario) || compareText(a.file, b.file),
  );
}

/** The JSON result (`--format json`, and what `sim merge` reads). */
export function renderCheckJson(report: CheckReport): string {
  return canonicalJsonText({
    kind: checkJsonKind,
    version: checkJsonVersion,
    passed: checkPassed(report),
    counts: countByStatus(report),
    shard: report.shard,
    scenarios: report.scenarios,
  });
}

export type ParseCheckJsonResult = { ok: true; report: CheckReport } | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const diffLists = ['moved', 'appeared', 'disappeared', 'countChanges', 'expectations', 'metrics'];

function scenarioProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'a scenario entry is not an object';
  for (const key of ['scenario', 'file', 'baselineFile', 'message', 'updateCommand']) {
    if (typeof value[key] !== 'string') return `scenario entry: "${key}" must be a string`;
  }
  if (!checkStatuses.includes(value['status'] as CheckStatus)) {
    return `scenario "${String(value['scenario'])}": unknown status`;
  }
  if (typeof value['wallMs'] !== 'number' || typeof value['placementCount'] !== 'number') {
    return `scenario "${String(value['scenario'])}": wallMs and placementCount must be numbers`;
  }
  const diff = value['diff'];
  if (diff === null) return undefined;
  if (!isRecord(diff) || !diffLists.every((k) => Array.isArray(diff[k]))) {
    return `scenario "${String(value['scenario'])}": malformed diff`;
  }
  return undefined;
}

function shardOf(value: unknown): Shard | null | undefined {
  if (value === null) return null;
  if (!isRecord(value)) return undefined;
  const { index, count } = value;
  if (typeof index !== 'number' || typeof count !== 'number') return undefined;
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index)) return undefined;
  return index >= 1 && index <= count ? { index, count } : undefined;
}

/** Reads a JSON result written by `sim check --format json`. */
export function parseCheckJson(text: string): ParseCheckJsonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isRecord(value) || value['kind'] !== checkJsonKind) {
    return { ok: false, error: `not a ${checkJsonKind} result` };
  }
  if (value['version'] !== checkJsonVersion) {
    return { ok: false, error: `unknown result version ${JSON.stringify(value['version'])}` };
  }
  const shard = shardOf(value['shard']);
  if (shard === undefined) return { ok: false, error: 'malformed "shard"' };
  const scenarios = value['scenarios'];
  if (!Array.isArray(scenarios)) return { ok: false, error: '"scenarios" must be a list' };
  for (const entry of scenarios) {
    const problem = scenarioProblem(entry);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  return { ok: true, report: { shard, scenarios: scenarios as ScenarioCheck[] } };
}

export type MergeResult = { ok: true; report: CheckReport } | { ok: false; errors: string[] };

function shardProblems(reports: readonly CheckReport[]): string[] {
  const shards = reports.map((r) => r.shard).filter((s): s is Shard => s !== null);
  if (shards.length === 0) return [];
  if (shards.length !== reports.length) return ['cannot merge sharded and unsharded results'];
  const count = shards[0]?.count ?? 0;
  if (shards.some((s) => s.count !== count))
    return ['the results come from different shard counts'];
  const problems: string[] = [];
  for (let index = 1; index <= count; index++) {
    const seen = shards.filter((s) => s.index === index).length;
    if (seen === 0) problems.push(`shard ${index}/${count} is missing`);
    if (seen > 1) problems.push(`shard ${index}/${count} is given ${seen} times`);
  }
  return problems;
}

/**
 * One report from several shards' reports: every shard i/n present exactly once (or none
 * sharded), no scenario twice. The merged report has no shard.
 */
export function mergeCheckReports(reports: readonly CheckReport[]): MergeResult {
  const problems = shardProblems(reports);
  const all = reports.flatMap((r) => r.scenarios);
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.scenario)) problems.push(`scenario "${s.scenario}" appears in two results`);
    seen.add(s.scenario);
  }
  if (problems.length > 0) return { ok: false, errors: problems };
  return { ok: true, report: { shard: null, scenarios: sortChecks(all) } };
}
