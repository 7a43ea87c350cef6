// `miniku sim check` and `miniku sim merge`: run scenarios, compare them with their committed
// baselines (reports/baselines/), print the diff, write JUnit XML or JSON; merge shards' JSON.
//
// Exit codes: 0 every scenario equal to its baseline within tolerance (or --update wrote them);
// 1 a regression, a missing baseline or a run that failed; 2 bad input. Only --update writes
// baselines.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  baselineOf,
  checkPassed,
  compareBaselines,
  diffIsEmpty,
  isFailure,
  mergeCheckReports,
  parseCheckJson,
  parseShard,
  renderBaseline,
  renderCheckJson,
  renderCheckText,
  renderJunit,
  renderScenarioText,
  renderSummaryText,
  shardItems,
  sortChecks,
} from '../sim/check/index.js';
import type { CheckReport, ScenarioCheck, Shard, ToleranceConfig } from '../sim/check/index.js';
import { runScenario } from '../sim/run/run-scenario.js';
import { hostDrain } from './demo-command.js';
import { MinikuError } from './errors.js';
import {
  baselineFileOf,
  defaultBaselineDir,
  readBaselineFile,
  readTolerances,
  resolveScenarioFiles,
  staleBaselines,
  writeBaselineFile,
} from './sim-check-files.js';
import type { StoredBaseline } from './sim-check-files.js';
import { loadScenarios } from './sim-command.js';
import type { LoadedScenario } from './sim-command.js';

export interface SimCheckOptions {
  /** Baseline directory. Default reports/baselines. */
  baseline?: string;
  update?: boolean;
  /** Also write JUnit XML here. */
  junit?: string;
  /** text (default) or json. */
  format?: string;
  /** `i/n`. */
  shard?: string;
  /** Where output goes (tests capture it). Default stdout. */
  write?: (text: string) => void;
}

export interface SimMergeOptions {
  junit?: string;
  format?: string;
  write?: (text: string) => void;
}

function formatOf(format: string | undefined): 'text' | 'json' {
  const value = format ?? 'text';
  if (value === 'text' || value === 'json') return value;
  throw new MinikuError('E_BAD_FLAG', `Invalid value for --format: "${value}": use text or json`);
}

function shardOf(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const parsed = parseShard(text);
  if (!parsed.ok) throw new MinikuError('E_BAD_FLAG', parsed.message);
  return parsed.shard;
}

function checkUniqueNames(loaded: readonly LoadedScenario[]): void {
  const files = new Map<string, string>();
  for (const s of loaded) {
    const name = s.scenario.metadata.name;
    const other = files.get(name);
    if (other !== undefined) {
      throw new MinikuError(
        'E_BAD_SCENARIO',
        `${s.file}: scenario name "${name}" is also used by ${other}; baselines are named after it`,
        2,
      );
    }
    files.set(name, s.file);
  }
}

interface CheckContext {
  update: boolean;
  tolerances: ToleranceConfig;
  baselineFlag: string;
}

interface Planned {
  loaded: LoadedScenario;
  baselineFile: string;
  stored: StoredBaseline | undefined;
}

/** Reads every baseline first, so a malformed one stops the check before anything runs. */
async function plan(loaded: readonly LoadedScenario[], dir: string): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const s of loaded) {
    const baselineFile = baselineFileOf(dir, s.scenario.metadata.name);
    out.push({ loaded: s, baselineFile, stored: await readBaselineFile(baselineFile) });
  }
  return out;
}

async function checkOne(item: Planned, ctx: CheckContext): Promise<ScenarioCheck> {
  const { loaded, baselineFile, stored } = item;
  const startedMs = performance.now();
  const base = {
    scenario: loaded.scenario.metadata.name,
    file: loaded.file,
    baselineFile,
    updateCommand: `miniku sim check ${loaded.file}${ctx.baselineFlag} --update`,
  };
  const done = (fields: Omit<ScenarioCheck, keyof typeof base | 'wallMs'>): ScenarioCheck => ({
    ...base,
    ...fields,
    wallMs: Math.round(performance.now() - startedMs),
  });
  let result;
  try {
    result = await runScenario({
      scenario: loaded.scenario,
      scenarioHash: createHash('sha256').update(loaded.text).digest('hex'),
      traceLevel: 'none',
      drain: hostDrain,
    });
  } catch (error) {
    const message = `the run failed: ${error instanceof Error ? error.message : String(error)}`;
    return done({ status: 'error', diff: null, placementCount: 0, message });
  }
  const fresh = baselineOf(result.report);
  const text = renderBaseline(fresh);
  const placementCount = result.report.placements.length;
  if (stored === undefined) {
    if (!ctx.update) {
      const message = `no baseline at ${baselineFile}`;
      return done({ status: 'missing', diff: null, placementCount, message });
    }
    await writeBaselineFile(baselineFile, text);
    return done({ status: 'created', diff: null, placementCount, message: '' });
  }
  const diff = compareBaselines(stored.baseline, fresh, { tolerances: ctx.tolerances });
  if (ctx.update) {
    if (stored.text === text)
      return done({ status: 'pass', diff: null, placementCount, message: '' });
    await writeBaselineFile(baselineFile, text);
    return done({ status: 'updated', diff, placementCount, message: '' });
  }
  if (diffIsEmpty(diff)) return done({ status: 'pass', diff: null, placementCount, message: '' });
  return done({ status: 'regression', diff, placementCount, message: '' });
}

/** `miniku sim check [scenario...]`. Throws MinikuError (exit 1) when the check fails. */
export async function runSimCheckCommand(args: string[], options: SimCheckOptions): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const format = formatOf(options.format);
  const shard = shardOf(options.shard);
  const dir = options.baseline ?? defaultBaselineDir;
  const startedMs = performance.now();
  const files = shardItems(await resolveScenarioFiles(args), shard ?? { index: 1, count: 1 });
  const loaded = files.length === 0 ? [] : await loadScenarios(files);
  checkUniqueNames(loaded);
  const tolerances = await readTolerances(dir);
  const planned = await plan(loaded, dir);
  const baselineFlag = normalize(dir) === defaultBaselineDir ? '' : ` --baseline ${dir}`;
  const ctx: CheckContext = { update: options.update === true, tolerances, baselineFlag };
  const checks: ScenarioCheck[] = [];
  for (const item of planned) {
    const check = await checkOne(item, ctx);
    checks.push(check);
    if (format === 'text') write(renderScenarioText(check));
  }
  const report: CheckReport = { shard, scenarios: sortChecks(checks) };
  if (format === 'json') write(renderCheckJson(report));
  else {
    await noteStale(args, shard, dir, loaded, write);
    const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
    write(`${renderSummaryText(report).trimEnd()} in ${seconds} s\n`);
  }
  if (options.junit !== undefined) await writeFile(options.junit, renderJunit(report));
  failUnlessPassed(report);
}

async function noteStale(
  args: readonly string[],
  shard: Shard | null,
  dir: string,
  loaded: readonly LoadedScenario[],
  write: (text: string) => void,
): Promise<void> {
  if (args.length > 0 || shard !== null) return;
  const names = new Set(loaded.map((s) => s.scenario.metadata.name));
  for (const file of await staleBaselines(dir, names)) {
    write(`note: ${file} belongs to no scenario in the library; delete it if it was renamed\n`);
  }
}

function failUnlessPassed(report: CheckReport): void {
  if (checkPassed(report)) return;
  const failed = report.scenarios.filter((s) => isFailure(s.status)).length;
  const total = report.scenarios.length;
  throw new MinikuError(
    'E_REGRESSION',
    `sim check failed for ${failed} of ${total} scenario(s): see above, or accept with --update`,
    1,
  );
}

/** `miniku sim merge <result.json...>`: one verdict from the shards' JSON results. */
export async function runSimMergeCommand(files: string[], options: SimMergeOptions): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const format = formatOf(options.format);
  if (files.length === 0) throw new MinikuError('E_NO_RESULT', 'No result file given');
  const reports: CheckReport[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      problems.push(`${file}: cannot read the file`);
      continue;
    }
    const parsed = parseCheckJson(text);
    if (parsed.ok) reports.push(parsed.report);
    else problems.push(`${file}: ${parsed.error}`);
  }
  if (problems.length > 0) throw new MinikuError('E_BAD_RESULT', problems.join('\n'), 2);
  const merged = mergeCheckReports(reports);
  if (!merged.ok) throw new MinikuError('E_BAD_RESULT', merged.errors.join('\n'), 2);
  write(format === 'json' ? renderCheckJson(merged.report) : renderCheckText(merged.report));
  if (options.junit !== undefined) await writeFile(options.junit, renderJunit(merged.report));
  failUnlessPassed(merged.report);
}
