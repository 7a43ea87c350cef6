// `miniku sim explain <report-dir> --pod NAME`: why a pod landed where it did. Reads the run's
// report.json and trace.jsonl; when the trace lacks the pod's full decision tables (trace level
// summary or none), runs the scenario again, deterministically, with full records.
//
// Exit codes: 0 explained; 2 bad input (no report, unknown pod, scenario file not the one the
// run read); 3 the re-run made other decisions than the stored trace, or failed; 4 limit hit.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MinikuError } from './errors.js';
import type { Explanation, ExplainSource } from './sim-explain-render.js';
import { renderExplanationJson, renderExplanationText } from './sim-explain-render.js';
import type { ScenarioSource } from './sim-explain-rerun.js';
import { findScenarioByHash, rerunTraceLines, scenarioFromFile } from './sim-explain-rerun.js';
import type { PodDecisions } from './sim-explain-trace.js';
import { attemptOf, DecisionScanner } from './sim-explain-trace.js';

export interface SimExplainOptions {
  /** Pod name, or `namespace/name` when `namespace` is absent. */
  pod?: string;
  /** Default `default`. */
  namespace?: string;
  /** `text` (default) or `json`. */
  format?: string;
  /** The scenario file the run read; needed to re-run when the trace lacks full records. */
  scenario?: string;
  /** Searched (by the report's scenario hash) when `scenario` is absent. Default `scenarios`. */
  scenarioSearchDir?: string;
  /** Where output goes (tests capture it). Default stdout. */
  write?: (text: string) => void;
}

/** The fields of report.json that explain needs. */
interface StoredReport {
  scenario: { name: string; hash: string };
  seed: number | string;
  virtualStartMs: number;
}

/** Pod keys named in the "no decision" error. */
const podKeysNamedMax = 5;

export async function runSimExplainCommand(
  reportDir: string,
  options: SimExplainOptions,
): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --format: "${format}": use text or json`,
    );
  }
  const podKey = podKeyOf(options);
  const report = await readReport(reportDir);
  const given =
    options.scenario === undefined
      ? undefined
      : await scenarioFromFile(options.scenario, report.scenario.hash);
  const traceFile = join(reportDir, 'trace.jsonl');
  const stored = await scanTraceFile(traceFile, podKey);
  let source: ExplainSource = { kind: 'trace', traceFile };
  let decisions = stored;
  if (stored.level === 'none' || (stored.level === 'summary' && stored.summaryLines.length > 0)) {
    const scenario = given ?? (await findScenario(reportDir, report, options));
    decisions = await rerunDecisions(scenario, report, podKey, stored);
    source = { kind: 'rerun', scenarioFile: scenario.file, traceLevel: stored.level };
  }
  if (decisions.full.length === 0) throw noDecisionError(podKey, report, decisions);
  const where = source.kind === 'trace' ? traceFile : `the re-run of ${report.scenario.name}`;
  const explanation: Explanation = {
    pod: podKey,
    scenario: report.scenario,
    seed: report.seed,
    virtualStartMs: report.virtualStartMs,
    source,
    attempts: decisions.full.map((fields) => attemptOf(fields, where)),
  };
  write(
    format === 'json' ? renderExplanationJson(explanation) : renderExplanationText(explanation),
  );
}

function podKeyOf(options: SimExplainOptions): string {
  const pod = options.pod ?? '';
  if (pod === '') throw new MinikuError('E_BAD_FLAG', 'Missing --pod NAME: the pod to explain');
  const parts = pod.split('/');
  if (parts.length === 2 && options.namespace === undefined && parts[0] !== '' && parts[1] !== '') {
    return pod;
  }
  if (parts.length !== 1) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --pod: "${pod}": use NAME with --namespace, or NAMESPACE/NAME`,
    );
  }
  return `${options.namespace ?? 'default'}/${pod}`;
}

async function readReport(dir: string): Promise<StoredReport> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new MinikuError('E_NO_REPORT', `Cannot explain "${dir}": no such directory`);
  const file = join(dir, 'report.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MinikuError(
      'E_NO_REPORT',
      `Cannot explain "${dir}": no report.json in it (write one with: miniku sim run --out ${dir})`,
    );
  }
  return storedReportOf(text, file);
}

function storedReportOf(text: string, file: string): StoredReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MinikuError('E_BAD_REPORT', `Cannot read "${file}": not valid JSON`);
  }
  const report = (typeof value === 'object' && value !== null ? value : {}) as {
    scenario?: { name?: unknown; hash?: unknown };
    seed?: unknown;
    virtualStartMs?: unknown;
  };
  const { name, hash } = report.scenario ?? {};
  const bad = (field: string) =>
    new MinikuError('E_BAD_REPORT', `Cannot read "${file}": ${field}: missing or malformed`);
  if (typeof name !== 'string') throw bad('scenario.name');
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) throw bad('scenario.hash');
  const seed = report.seed;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw bad('seed');
  if (typeof report.virtualStartMs !== 'number') throw bad('virtualStartMs');
  return { scenario: { name, hash }, seed, virtualStartMs: report.virtualStartMs };
}

/** The pod's decisions in trace.jsonl, streamed line by line (a missing file is no trace). */
async function scanTraceFile(file: string, podKey: string): Promise<PodDecisions> {
  const scanner = new DecisionScanner({ podKey, source: file });
  const exists = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) return scanner.result();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) scanner.line(line, ++lineNumber);
  return scanner.result();
}

async function findScenario(
  reportDir: string,
  report: StoredReport,
  options: SimExplainOptions,
): Promise<ScenarioSource> {
  const searchDir = options.scenarioSearchDir ?? 'scenarios';
  const found = await findScenarioByHash(searchDir, report.scenario.hash);
  if (found !== undefined) return found;
  throw new MinikuError(
    'E_NO_SCENARIO',
    `Cannot explain "${reportDir}": its trace has no full decision records and no file under ` +
      `"${searchDir}" is scenario ${report.scenario.name} as the run read it: pass ` +
      '--scenario FILE, or run again with --trace full',
  );
}

/** Re-runs with full records; the stored summary records must come out the same. */
async function rerunDecisions(
  scenario: ScenarioSource,
  report: StoredReport,
  podKey: string,
  stored: PodDecisions,
): Promise<PodDecisions> {
  const lines = await rerunTraceLines(scenario, { hash: report.scenario.hash, seed: report.seed });
  const scanner = new DecisionScanner({ podKey, source: `the re-run of ${scenario.file}` });
  lines.forEach((line, index) => scanner.line(line, index + 1));
  const rerun = scanner.result();
  if (stored.level === 'summary' && !sameLines(stored.summaryLines, rerun.summaryLines)) {
    throw new MinikuError(
      'E_DIVERGED',
      `The re-run of "${scenario.file}" decided differently for pod ${podKey} than the stored ` +
        'trace: its manifests or the miniku version changed since the run',
      3,
    );
  }
  return rerun;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, k) => line === b[k]);
}

function noDecisionError(podKey: string, report: StoredReport, d: PodDecisions): MinikuError {
  const named = d.podKeys.slice(0, podKeysNamedMax).join(', ');
  const more = d.podKeys.length > podKeysNamedMax ? ', …' : '';
  const hint = d.podKeys.length === 0 ? 'no pod has one' : `pods that have: ${named}${more}`;
  return new MinikuError(
    'E_NO_DECISION',
    `Pod "${podKey}" has no scheduling decision in the run of scenario ` +
      `"${report.scenario.name}" (${hint})`,
  );
}
