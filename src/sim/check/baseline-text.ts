// A baseline's text form: sorted, one fact per line, so a change reads well in `git diff`.
//
//   baseline 1
//   scenario "zone-spread"
//   seed 9
//   expect held "all six pods run"
//   metric schedulingLatencyMs.p99 1204
//   fault 0 recovered 35000 "crashNode worker-2"        (or: fault 0 never "…")
//   placement ReplicaSet/default/spread-5d8f#0 zone-a-1 0.512s default/spread-5d8f-x8s7d
// or, above the line limit:
//   placements 5000 sha256:<hex>
//   count ReplicaSet/default/spread-5d8f zone-a-1 812
//
// `#` starts a comment line. Free text (names, labels) is a JSON string at the end of its line.
import { assert } from '../../control/util/assert.js';
import { formatNumber } from '../report/format.js';
import type {
  Baseline,
  BaselineExpectation,
  BaselineFault,
  BaselineMetric,
  BaselinePlacement,
  PlacementCount,
} from './baseline-model.js';
import { baselineFormatVersion } from './baseline-model.js';

export type ParseBaselineResult =
  { ok: true; baseline: Baseline } | { ok: false; line: number; message: string };

const header = [
  '# miniku sim check baseline (format: src/sim/check/README.md).',
  '# Written by `miniku sim check --update`; a change here is a change of scheduling behaviour.',
];

function word(text: string, what: string): string {
  assert(/^\S+$/.test(text), `${what} must be one word: ${JSON.stringify(text)}`);
  return text;
}

function placementLine(p: BaselinePlacement): string {
  const at = `${formatNumber(p.atMs / 1000)}s`;
  return `placement ${word(p.pod, 'pod')} ${word(p.node, 'node')} ${at} ${word(p.name, 'name')}`;
}

/** The baseline as text, ending in a newline. Same baseline → same bytes. */
export function renderBaseline(baseline: Baseline): string {
  const lines = [...header, `baseline ${baselineFormatVersion}`];
  lines.push(`scenario ${JSON.stringify(baseline.scenario)}`, `seed ${baseline.seed}`);
  for (const e of baseline.expectations)
    lines.push(`expect ${e.verdict} ${JSON.stringify(e.name)}`);
  for (const m of baseline.metrics) lines.push(`metric ${word(m.name, 'metric')} ${numberText(m)}`);
  for (const f of baseline.faults) {
    const outcome = f.recoveryMs === null ? 'never' : `recovered ${JSON.stringify(f.recoveryMs)}`;
    lines.push(`fault ${f.index} ${outcome} ${JSON.stringify(f.label)}`);
  }
  const placements = baseline.placements;
  if (placements.mode === 'lines') {
    for (const p of placements.lines) lines.push(placementLine(p));
  } else {
    lines.push(`placements ${placements.podCount} sha256:${placements.digest}`);
    for (const c of placements.counts) {
      lines.push(`count ${word(c.owner, 'owner')} ${word(c.node, 'node')} ${c.count}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function numberText(metric: BaselineMetric): string {
  assert(Number.isFinite(metric.value), `metric ${metric.name} must be finite`);
  return JSON.stringify(metric.value);
}

interface Draft {
  version?: number;
  scenario?: string;
  seed?: string;
  expectations: BaselineExpectation[];
  metrics: BaselineMetric[];
  faults: BaselineFault[];
  lines: BaselinePlacement[];
  counted?: { podCount: number; digest: string };
  counts: PlacementCount[];
}

class LineError extends Error {}

function fail(message: string): never {
  throw new LineError(message);
}

/** A JSON string literal at the end of a line. */
function jsonText(text: string, what: string): string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return value;
  } catch {
    // reported below
  }
  return fail(`${what} must be a JSON string, not ${text}`);
}

function finite(text: string, what: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) fail(`${what} must be a number, not "${text}"`);
  return value;
}

function count(text: string, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) fail(`${what} must be a count`);
  return value;
}

/** The words of a line, and the rest of it after `wordCount` words. */
function split(line: string, wordCount: number): { words: string[]; rest: string } {
  const words: string[] = [];
  let rest = line;
  for (let i = 0; i < wordCount; i++) {
    const match = /^(\S+)(?: |$)/.exec(rest);
    if (match === null) fail('too few fields');
    words.push(match[1] as string);
    rest = rest.slice(match[0].length);
  }
  return { words, rest };
}

function parseLine(draft: Draft, line: string): void {
  const keyword = line.split(' ', 1)[0] ?? '';
  if (draft.version === undefined && keyword !== 'baseline') fail('expected "baseline 1" first');
  switch (keyword) {
    case 'baseline': {
      const version = count(split(line, 2).words[1] ?? '', 'baseline version');
      if (version !== baselineFormatVersion) fail(`unknown baseline format ${version}`);
      draft.version = version;
      return;
    }
    case 'scenario':
      draft.scenario = jsonText(split(line, 1).rest, 'the scenario name');
      return;
    case 'seed':
      draft.seed = split(line, 1).rest;
      return;
    case 'expect':
      return parseExpect(draft, line);
    case 'metric':
      return parseMetric(draft, line);
    case 'fault':
      return parseFault(draft, line);
    case 'placement':
      return parsePlacement(draft, line);
    case 'placements':
      return parseCounted(draft, line);
    case 'count':
      return parseCount(draft, line);
    default:
      fail(`unknown line "${keyword}"`);
  }
}

function parseExpect(draft: Draft, line: string): void {
  const { words, rest } = split(line, 2);
  const verdict = words[1];
  if (verdict !== 'held' && verdict !== 'failed') fail('expect: use "held" or "failed"');
  draft.expectations.push({ name: jsonText(rest, 'the expectation name'), verdict });
}

function parseMetric(draft: Draft, line: string): void {
  const { words, rest } = split(line, 3);
  if (rest !== '') fail('metric: too many fields');
  draft.metrics.push({ name: words[1] ?? '', value: finite(words[2] ?? '', 'the metric value') });
}

function parseFault(draft: Draft, line: string): void {
  const outcome = split(line, 3).words[2];
  const index = count(split(line, 2).words[1] ?? '', 'the fault index');
  if (outcome === 'never') {
    const label = jsonText(split(line, 3).rest, 'the fault label');
    draft.faults.push({ index, label, recoveryMs: null });
  } else if (outcome === 'recovered') {
    const { words, rest } = split(line, 4);
    const recoveryMs = finite(words[3] ?? '', 'the recovery time');
    draft.faults.push({ index, label: jsonText(rest, 'the fault label'), recoveryMs });
  } else fail('fault: use "never" or "recovered <ms>"');
}

function parsePlacement(draft: Draft, line: string): void {
  const { words, rest } = split(line, 5);
  if (rest !== '') fail('placement: too many fields');
  const at = words[3] ?? '';
  if (!at.endsWith('s')) fail('placement: the time must end in "s"');
  const atMs = Math.round(finite(at.slice(0, -1), 'the placement time') * 1000);
  draft.lines.push({ pod: words[1] ?? '', node: words[2] ?? '', atMs, name: words[4] ?? '' });
}

function parseCounted(draft: Draft, line: string): void {
  const { words, rest } = split(line, 3);
  const digest = words[2] ?? '';
  if (rest !== '' || !/^sha256:[0-9a-f]{64}$/.test(digest)) fail('placements: bad digest');
  draft.counted = { podCount: count(words[1] ?? '', 'the pod count'), digest: digest.slice(7) };
}

function parseCount(draft: Draft, line: string): void {
  const { words, rest } = split(line, 4);
  if (rest !== '') fail('count: too many fields');
  const value = count(words[3] ?? '', 'the count');
  draft.counts.push({ owner: words[1] ?? '', node: words[2] ?? '', count: value });
}

function finish(draft: Draft): Baseline {
  if (draft.scenario === undefined) fail('no "scenario" line');
  if (draft.seed === undefined) fail('no "seed" line');
  if (draft.lines.length > 0 && (draft.counted !== undefined || draft.counts.length > 0)) {
    fail('placement lines and counts cannot both appear');
  }
  if (draft.counts.length > 0 && draft.counted === undefined) fail('counts need a "placements"');
  const base = {
    scenario: draft.scenario,
    seed: draft.seed,
    expectations: draft.expectations,
    metrics: draft.metrics,
    faults: draft.faults,
  };
  if (draft.counted === undefined)
    return { ...base, placements: { mode: 'lines', lines: draft.lines } };
  return { ...base, placements: { mode: 'counts', ...draft.counted, counts: draft.counts } };
}

/** Parses baseline text; a problem names its 1-based line (0: the file as a whole). */
export function parseBaseline(text: string): ParseBaselineResult {
  const draft: Draft = { expectations: [], metrics: [], faults: [], lines: [], counts: [] };
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    try {
      parseLine(draft, line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      return { ok: false, line: index + 1, message: error.message };
    }
  }
  try {
    return { ok: true, baseline: finish(draft) };
  } catch (error) {
    if (!(error instanceof LineError)) throw error;
    return { ok: false, line: 0, message: error.message };
  }
}
