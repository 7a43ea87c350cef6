// The file side of `sim check`: which scenario files to check, and where their baselines live.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseBaseline, parseTolerances } from '../sim/check/index.js';
import type { Baseline, ToleranceConfig } from '../sim/check/index.js';
import { emptyToleranceConfig } from '../sim/check/index.js';
import { MinikuError } from './errors.js';

/** The scenario library and the baseline directory `sim check` uses by default. */
export const defaultScenarioRoot = 'scenarios';
export const defaultBaselineDir = join('reports', 'baselines');
export const tolerancesFileName = 'tolerances.yaml';

/** Folders of the library that hold no checked scenario: big runs, and manifests. */
const skippedFolders: ReadonlySet<string> = new Set(['scale', 'manifests']);

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Every `*.yaml` scenario under `root`, outside scale/ and manifests/ folders, sorted. */
export async function libraryScenarioFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) out.push(...(await libraryScenarioFiles(path)));
    } else if (/\.ya?ml$/.test(entry.name) && !entry.name.startsWith('.')) out.push(path);
  }
  return out.sort(compareText);
}

async function kindOf(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * Scenario files from the command line: a file as is, a folder as a library, a bare name
 * (`zone-spread`) as `<name>.yaml` anywhere in the default library. None: the whole library.
 * Sorted by path, without repeats, so every shard of a CI matrix sees the same list.
 */
export async function resolveScenarioFiles(args: readonly string[]): Promise<string[]> {
  if (args.length === 0) return defaultLibrary();
  const out: string[] = [];
  let library: string[] | undefined;
  for (const arg of args) {
    const kind = await kindOf(arg);
    if (kind === 'file') out.push(arg);
    else if (kind === 'dir') out.push(...(await libraryScenarioFiles(arg)));
    else {
      library ??= await defaultLibrary();
      out.push(byName(library, arg));
    }
  }
  return [...new Set(out)].sort(compareText);
}

async function defaultLibrary(): Promise<string[]> {
  if ((await kindOf(defaultScenarioRoot)) !== 'dir') {
    throw new MinikuError(
      'E_NO_SCENARIO',
      `No ${defaultScenarioRoot}/ folder here: run in the project root, or name scenario files`,
      2,
    );
  }
  return libraryScenarioFiles(defaultScenarioRoot);
}

function byName(library: readonly string[], name: string): string {
  const found = library.filter((f) => /[^/\\]+$/.exec(f)?.[0] === `${name}.yaml`);
  if (found.length === 1) return found[0] as string;
  const why =
    found.length === 0
      ? `no such file, and no ${name}.yaml under ${defaultScenarioRoot}/`
      : `several library files are called ${name}.yaml: ${found.join(', ')}`;
  throw new MinikuError('E_NO_SCENARIO', `Cannot find scenario "${name}": ${why}`, 2);
}

/** `<dir>/<scenario name>.baseline`; the name must be safe as a file name. */
export function baselineFileOf(dir: string, scenario: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(scenario)) {
    throw new MinikuError(
      'E_BAD_SCENARIO',
      `Scenario name "${scenario}" cannot name a baseline file: use letters, digits, ".", "_", "-"`,
      2,
    );
  }
  return join(dir, `${scenario}.baseline`);
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new MinikuError('E_BAD_BASELINE', `${path}: cannot read the file`, 2);
  }
}

export interface StoredBaseline {
  text: string;
  baseline: Baseline;
}

/** The stored baseline, undefined when there is none; a malformed one is bad input (exit 2). */
export async function readBaselineFile(path: string): Promise<StoredBaseline | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  const parsed = parseBaseline(text);
  if (!parsed.ok) {
    const where = parsed.line === 0 ? path : `${path}:${parsed.line}`;
    throw new MinikuError('E_BAD_BASELINE', `${where}: ${parsed.message}`, 2);
  }
  return { text, baseline: parsed.baseline };
}

export async function writeBaselineFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** `<dir>/tolerances.yaml`, or no rules when the file does not exist. */
export async function readTolerances(dir: string): Promise<ToleranceConfig> {
  const path = join(dir, tolerancesFileName);
  const text = await readIfExists(path);
  if (text === undefined) return emptyToleranceConfig;
  const parsed = parseTolerances(text, path);
  if (!parsed.ok) throw new MinikuError('E_BAD_TOLERANCES', parsed.errors.join('\n'), 2);
  return parsed.config;
}

/** Baseline files in `dir` whose scenario is not among `names` (after a rename, say). */
export async function staleBaselines(dir: string, names: ReadonlySet<string>): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  return entries
    .filter((f) => f.endsWith('.baseline') && !names.has(f.slice(0, -'.baseline'.length)))
    .sort(compareText)
    .map((f) => join(dir, f));
}
