// `sim explain`: finds the scenario file a report was made from (by its SHA-256, as `sim run`
// hashes it) and runs it again with full decision records, writing nothing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScenario } from '../sim/run/run-scenario.js';
import { formatScenarioError, parseScenario } from '../sim/scenario/index.js';
import { hostDrain } from './demo-command.js';
import { MinikuError } from './errors.js';

export interface ScenarioSource {
  file: string;
  text: string;
}

/** What the re-run must reproduce: the report's scenario hash and seed. */
export interface RerunTarget {
  hash: string;
  seed: number | string;
}

/** Bounds of the search for a scenario file by hash. */
const searchDepthMax = 4;
const searchFileCountMax = 2_000;

/** Lower-case hex SHA-256 of the text's UTF-8 bytes (what `sim run` stores). */
export function sha256OfText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads `--scenario FILE` and checks it is the file the run read. */
export async function scenarioFromFile(file: string, hash: string): Promise<ScenarioSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MinikuError('E_BAD_FLAG', `Cannot read scenario "${file}": no such file`);
  }
  const actual = sha256OfText(text);
  if (actual !== hash) {
    throw new MinikuError(
      'E_SCENARIO_MISMATCH',
      `Scenario "${file}" is not the one the report was made from: ` +
        `sha256 ${actual.slice(0, 12)}…, the report says ${hash.slice(0, 12)}…`,
    );
  }
  return { file, text };
}

/**
 * The first YAML file under `dir` (sorted paths, depth ≤ 4, ≤ 2,000 files read) whose hash is
 * `hash`, or undefined. Hidden folders and node_modules are skipped.
 */
export async function findScenarioByHash(
  dir: string,
  hash: string,
): Promise<ScenarioSource | undefined> {
  const budget = { filesLeft: searchFileCountMax };
  return searchDir(dir, hash, 0, budget);
}

async function searchDir(
  dir: string,
  hash: string,
  depth: number,
  budget: { filesLeft: number },
): Promise<ScenarioSource | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  const sorted = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    const path = join(dir, entry.name);
    if (entry.isFile() && /\.ya?ml$/.test(entry.name) && budget.filesLeft > 0) {
      budget.filesLeft -= 1;
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text !== undefined && sha256OfText(text) === hash) return { file: path, text };
    }
  }
  if (depth >= searchDepthMax) return undefined;
  for (const entry of sorted) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') {
      continue;
    }
    const found = await searchDir(join(dir, entry.name), hash, depth + 1, budget);
    if (found !== undefined) return found;
  }
  return undefined;
}

function readManifestFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Runs the scenario again at trace level `full` with the report's seed; the trace lines. */
export async function rerunTraceLines(
  source: ScenarioSource,
  target: RerunTarget,
): Promise<string[]> {
  const parsed = parseScenario(source.text, {
    fileName: source.file,
    loadFile: readManifestFile,
  });
  if (!parsed.ok) {
    const problems = parsed.errors.map((e) => formatScenarioError(e)).join('; ');
    throw new MinikuError('E_BAD_SCENARIO', `Cannot re-run "${source.file}": ${problems}`);
  }
  try {
    const result = await runScenario({
      scenario: parsed.scenario,
      scenarioHash: target.hash,
      seed: target.seed,
      traceLevel: 'full',
      drain: hostDrain,
    });
    return result.traceLines;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const limit = /most|limit|exceeded|bounded/i.test(message);
    throw new MinikuError(
      limit ? 'E_LIMIT' : 'E_INTERNAL',
      `${source.file}: the re-run failed: ${message}`,
      limit ? 4 : 3,
    );
  }
}
