// `miniku sim compare`: runs one scenario on one seed under two scheduler configurations
// (KubeSchedulerConfiguration files replacing the scenario's spec.scheduler) and writes
// compare.json, compare.md and compare.html side by side, plus a summary on stdout.
//
// Exit codes: 0 both runs finished (whatever their expectations say: this is a report, not a
// verdict); 2 bad input; 3 internal error; 4 a limit was hit.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSchedulerConfigYaml, resolveSchedulerConfig } from '../control/scheduler/config.js';
import type { SchedulerConfigInput } from '../control/scheduler/config.js';
import { inTreeRegistry } from '../control/scheduler/framework/registry.js';
import {
  compareRuns,
  renderCompareHtml,
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareSummary,
} from '../sim/compare/index.js';
import type { ReportData } from '../sim/report/index.js';
import { runScenario } from '../sim/run/run-scenario.js';
import { hostDrain } from './demo-command.js';
import { MinikuError } from './errors.js';
import { loadScenarios, seedOf } from './sim-command.js';
import type { LoadedScenario } from './sim-command.js';
import { scenarioHashOf } from './sim-sweep-run.js';

export interface SimCompareOptions {
  /** One or two KubeSchedulerConfiguration files; with one, A is the scenario's own. */
  profile: readonly string[];
  /** Overrides the scenario's seed (both runs use it). */
  seed?: string;
  /** Default `out/compare-<scenario name>`. */
  out?: string;
  write?: (text: string) => void;
}

/** The label of the scenario's own scheduler configuration when only one file is given. */
export const scenarioProfileLabel = 'scenario';

interface Profile {
  label: string;
  /** Undefined: the scenario's own spec.scheduler. */
  config: SchedulerConfigInput | undefined;
}

/** Reads a KubeSchedulerConfiguration file and checks it as kube-scheduler would. */
export async function readProfile(file: string): Promise<SchedulerConfigInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MinikuError('E_BAD_CONFIG', `Cannot read scheduler configuration "${file}"`);
  }
  const invalid = (errors: readonly string[]) =>
    new MinikuError(
      'E_BAD_CONFIG',
      `Invalid scheduler configuration "${file}": ${errors.join('; ')}`,
    );
  const read = readSchedulerConfigYaml(text);
  if (!read.ok) throw invalid(read.errors);
  const registry = inTreeRegistry();
  const resolved = resolveSchedulerConfig(read.input, {
    isKnownPlugin: (name) => registry.has(name),
  });
  if (!resolved.ok) throw invalid(resolved.errors);
  return read.input;
}

async function profilesOf(files: readonly string[]): Promise<[Profile, Profile]> {
  if (files.length < 1 || files.length > 2) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Give --profile once or twice (A and B), not ${files.length} times`,
    );
  }
  const profiles: Profile[] = [];
  for (const file of files) profiles.push({ label: file, config: await readProfile(file) });
  if (profiles.length === 1) profiles.unshift({ label: scenarioProfileLabel, config: undefined });
  return profiles as [Profile, Profile];
}

async function runWith(
  loaded: LoadedScenario,
  profile: Profile,
  seed: number | string | undefined,
): Promise<ReportData> {
  const spec = { ...loaded.scenario.spec };
  if (profile.config !== undefined) spec.scheduler = profile.config;
  try {
    const result = await runScenario({
      scenario: { ...loaded.scenario, spec },
      scenarioHash: scenarioHashOf(loaded),
      traceLevel: 'none',
      drain: hostDrain,
      ...(seed === undefined ? {} : { seed }),
    });
    return result.report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const limit = /most|limit|exceeded|bounded/i.test(message);
    throw new MinikuError(
      limit ? 'E_LIMIT' : 'E_INTERNAL',
      `${loaded.file} with ${profile.label}: the run failed: ${message}`,
      limit ? 4 : 3,
    );
  }
}

export async function runSimCompareCommand(
  file: string,
  options: SimCompareOptions,
): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const seed = seedOf(options.seed);
  const [a, b] = await profilesOf(options.profile);
  const [loaded] = await loadScenarios([file]);
  if (loaded === undefined) throw new MinikuError('E_NO_SCENARIO', 'No scenario file given');
  const reportA = await runWith(loaded, a, seed);
  const reportB = await runWith(loaded, b, seed);
  const data = compareRuns(reportA, reportB, {
    scenario: loaded.scenario,
    profiles: { a: a.label, b: b.label },
  });
  const dir = options.out ?? join('out', `compare-${loaded.scenario.metadata.name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'compare.json'), renderCompareJson(data));
  await writeFile(join(dir, 'compare.md'), renderCompareMarkdown(data));
  await writeFile(join(dir, 'compare.html'), await renderCompareHtml(data));
  write(renderCompareSummary(data, join(dir, 'compare.html')));
}

/** Wires `sim compare` into the `sim` command of main.ts. */
