// `miniku sim run` and `miniku sim validate`: read scenario files, run them in the simulator,
// write the four report files and print a verdict per scenario.
//
// Exit codes: 0 every expectation held; 1 some failed; 2 bad input; 3 internal error; 4 a
// limit was hit. All file and terminal I/O of the simulator happens here.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TraceLevelSetting } from '../control/ports/recorder.js';
import { minikuVersion } from '../control/version.js';
import { renderReportHtml, renderReportJson, renderReportMarkdown } from '../sim/report/index.js';
import type { ReportData } from '../sim/report/index.js';
import { runScenario } from '../sim/run/run-scenario.js';
import { formatScenarioError, parseScenario } from '../sim/scenario/index.js';
import type { Scenario } from '../sim/scenario/index.js';
import { hostDrain } from './demo-command.js';
import { MinikuError } from './errors.js';
import type { ProgressStream } from './progress-bar.js';
import { progressBarFor } from './progress-bar.js';

export interface SimRunOptions {
  seed?: string;
  out?: string;
  trace: string;
  format: string;
  quiet?: boolean;
  /** Where output goes (tests capture it). Default stdout. */
  write?: (text: string) => void;
  /** Where the progress bar goes, drawn only on a terminal. Default stderr. */
  progressStream?: ProgressStream;
  /** Environment that can turn the bar off (NO_COLOR, CI). Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedScenario {
  file: string;
  text: string;
  scenario: Scenario;
}

const traceLevels: readonly string[] = ['none', 'summary', 'full'];

/** Reads and parses scenario files; every problem is one `file:line: field: message` line. */
export async function loadScenarios(files: readonly string[]): Promise<LoadedScenario[]> {
  if (files.length === 0) throw new MinikuError('E_NO_SCENARIO', 'No scenario file given');
  const out: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      problems.push(`${file}: cannot read the file`);
      continue;
    }
    const parsed = parseScenario(text, { fileName: file, loadFile: readManifestFile });
    if (!parsed.ok) {
      problems.push(...parsed.errors.map((e) => formatScenarioError(e)));
      continue;
    }
    out.push({ file, text, scenario: parsed.scenario });
  }
  if (problems.length > 0) throw new MinikuError('E_BAD_SCENARIO', problems.join('\n'), 2);
  return out;
}

function readManifestFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function runSimValidateCommand(
  files: string[],
  options: { write?: (text: string) => void } = {},
): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const loaded = await loadScenarios(files);
  for (const s of loaded) write(`${s.file}: valid (scenario ${s.scenario.metadata.name})\n`);
}

export function seedOf(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  if (text === '' || text.length > 100) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --seed: "${text}": use 1-100 characters`,
    );
  }
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}

export async function runSimRunCommand(files: string[], options: SimRunOptions): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  if (!traceLevels.includes(options.trace)) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --trace: "${options.trace}": use none, summary or full`,
    );
  }
  if (options.format !== 'text' && options.format !== 'json') {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --format: "${options.format}": use text or json`,
    );
  }
  const seed = seedOf(options.seed);
  const loaded = await loadScenarios(files);
  let failed = 0;
  const bar = progressBarFor(options.progressStream ?? process.stderr, {
    env: options.env ?? process.env,
    quiet: options.quiet === true,
  });
  for (const s of loaded) {
    const dir = options.out ?? join('out', s.scenario.metadata.name);
    const label = s.scenario.metadata.name;
    const onProgress =
      bar === undefined
        ? undefined
        : (elapsedMs: number, durationMs: number) => bar.update({ label, elapsedMs, durationMs });
    const trace = options.trace as TraceLevelSetting;
    const result = await runOne(s, { seed, trace, dir, onProgress }).finally(() => bar?.clear());
    if (!result.passed) failed += 1;
    if (options.format === 'json') {
      write(
        `${JSON.stringify({ scenario: s.scenario.metadata.name, passed: result.passed, out: dir, expectations: result.report.expectations })}\n`,
      );
    } else if (options.quiet !== true || !result.passed) {
      write(verdictText(s, result.report, dir, options));
    }
  }
  if (failed > 0) {
    throw new MinikuError('E_EXPECTATIONS', `${failed} of ${loaded.length} scenario(s) failed`, 1);
  }
}

async function runOne(
  s: LoadedScenario,
  options: {
    seed: number | string | undefined;
    trace: TraceLevelSetting;
    dir: string;
    onProgress?: ((elapsedMs: number, durationMs: number) => void) | undefined;
  },
) {
  const scenarioHash = createHash('sha256').update(s.text).digest('hex');
  let result;
  try {
    result = await runScenario({
      scenario: s.scenario,
      scenarioHash,
      traceLevel: options.trace,
      drain: hostDrain,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const limit = /most|limit|exceeded|bounded/i.test(message);
    throw new MinikuError(
      limit ? 'E_LIMIT' : 'E_INTERNAL',
      `${s.file}: the run failed: ${message}`,
      limit ? 4 : 3,
    );
  }
  await mkdir(options.dir, { recursive: true });
  const trace = result.traceLines.length === 0 ? '' : `${result.traceLines.join('\n')}\n`;
  await writeFile(join(options.dir, 'report.json'), renderReportJson(result.report));
  await writeFile(join(options.dir, 'trace.jsonl'), trace);
  await writeFile(join(options.dir, 'report.md'), renderReportMarkdown(result.report));
  await writeFile(join(options.dir, 'report.html'), await renderReportHtml(result.report));
  return result;
}

function verdictText(
  s: LoadedScenario,
  report: ReportData,
  dir: string,
  options: SimRunOptions,
): string {
  const lines: string[] = [];
  const passed = report.expectations.every((e) => e.held);
  const name = s.scenario.metadata.name;
  lines.push(
    `${passed ? 'PASS' : 'FAIL'}  ${name} (seed ${String(report.seed)}, ${basename(s.file)})`,
  );
  for (const e of report.expectations) {
    const at = e.instantMs === null ? '' : ` at ${formatSeconds(e.instantMs)}`;
    lines.push(`  ${e.held ? 'ok  ' : 'FAIL'} ${e.name}${at}: ${e.message}`);
  }
  for (const f of report.faults) {
    const recovered =
      f.recoveredAtMs === null
        ? 'not recovered'
        : `recovered after ${formatSeconds(f.recoveredAtMs - f.injectedAtMs)}`;
    lines.push(`  fault ${f.label} at ${formatSeconds(f.injectedAtMs)}: ${recovered}`);
  }
  lines.push(
    `  report: ${join(dir, 'report.html')} (stream sha256 ${report.streamSha256.slice(0, 12)}…)`,
  );
  if (!passed) {
    const seedFlag = options.seed === undefined ? '' : ` --seed ${options.seed}`;
    lines.push(
      `  reproduce: npx miniku@${minikuVersion} sim run ${s.file}${seedFlag} --trace ${options.trace}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3)}s`;
}
