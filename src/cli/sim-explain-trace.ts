// `sim explain`: reads one pod's `scheduler.decision` records out of trace lines and turns the
// full-level ones (whole filter and score tables) into attempts grouped for reading.
import { compareGoStrings } from '../control/api/values/go-format.js';
import { summaryTopNodeCount } from '../control/scheduler/explain.js';
import { MinikuError } from './errors.js';

/** Rejected nodes that share a plugin and a reason. */
export interface ExplainFilterGroup {
  plugin: string;
  /** The plugin's reason, as in FailedScheduling messages ('' when it gave none). */
  reason: string;
  /** Status code, e.g. `Unschedulable`, `UnschedulableAndUnresolvable`. */
  code: string;
  nodeCount: number;
  /** Node names, sorted, at most `filterNodeNamesMax`. */
  nodes: string[];
}

export interface ExplainPluginScore {
  plugin: string;
  raw: number;
  normalized: number;
  weighted: number;
}

export interface ExplainScoredNode {
  node: string;
  total: number;
  /** Score plugins by name. */
  plugins: ExplainPluginScore[];
}

/** One scheduling cycle of the pod, from its full decision record. */
export interface ExplainAttempt {
  /** Virtual time of the decision, ms since the Unix epoch (the scheduler's clock). */
  atMs: number;
  profile: string;
  nodeCount: number;
  sampledNodeCount: number;
  feasibleNodeCount: number;
  /** The node the cycle chose, or null (unschedulable or error). */
  chosen: string | null;
  /** The FailedScheduling message (or error) when no node was chosen. */
  message?: string;
  /** Rejected nodes grouped by plugin and reason, most nodes first. */
  filtered: ExplainFilterGroup[];
  /** Nodes scored (0 when one node was feasible: nothing to compare). */
  scoredNodeCount: number;
  /** The best `topNodeCount` nodes by total (ties in evaluation order), and the chosen one. */
  top: ExplainScoredNode[];
  /** Scored nodes sharing the best total; the scheduler's seeded RNG picked one of them. */
  bestTotalNodeCount: number;
}

/** Which decision records a trace kept. */
export type DecisionLevel = 'none' | 'summary' | 'full';

export interface PodDecisions {
  /** `full` when any decision has its whole table; `none` when the trace is empty. */
  level: DecisionLevel;
  /** The pod's full-level decision fields, in trace order. */
  full: Record<string, unknown>[];
  /** The pod's summary-level records as the lines read (canonical JSON). */
  summaryLines: string[];
  /** Pods with any decision, first seen first, at most `podKeysKeptMax`. */
  podKeys: string[];
}

/** Node names listed per filter group; the count says how many there were. */
export const filterNodeNamesMax = 8;
/** Scored nodes listed per attempt (besides the chosen one): the same 3 as the summary. */
export const topNodeCount = summaryTopNodeCount;
const podKeysKeptMax = 1_000;

const decisionMarker = '"type":"scheduler.decision"';
const podPattern = /"pod":("(?:[^"\\]|\\.)*")/;

/** Collects one pod's decision records from trace lines fed in order. */
export class DecisionScanner {
  readonly #podKey: string;
  readonly #source: string;
  readonly #podKeys = new Set<string>();
  readonly #result: PodDecisions = { level: 'none', full: [], summaryLines: [], podKeys: [] };

  /** `source` names the lines in errors, e.g. `out/x/trace.jsonl`. */
  constructor(options: { podKey: string; source: string }) {
    this.#podKey = options.podKey;
    this.#source = options.source;
  }

  line(text: string, lineNumber: number): void {
    if (text === '') return;
    if (this.#result.level === 'none') this.#result.level = 'summary';
    if (!text.includes(decisionMarker)) return;
    const podMatch = podPattern.exec(text);
    const pod = podMatch === null ? undefined : (JSON.parse(podMatch[1] as string) as string);
    const full = text.includes('"level":"full"');
    if (full) this.#result.level = 'full';
    if (pod === undefined) return;
    if (this.#podKeys.size < podKeysKeptMax) this.#podKeys.add(pod);
    if (pod !== this.#podKey) return;
    if (!full) {
      this.#result.summaryLines.push(text);
      return;
    }
    this.#result.full.push(this.#fieldsOf(text, lineNumber));
  }

  result(): PodDecisions {
    return { ...this.#result, podKeys: [...this.#podKeys] };
  }

  #fieldsOf(text: string, lineNumber: number): Record<string, unknown> {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw badTrace(this.#source, lineNumber, 'not a JSON object');
    }
    const fields = isObject(record) ? record['fields'] : undefined;
    if (!isObject(fields)) throw badTrace(this.#source, lineNumber, 'a decision without fields');
    const atMs = record as { atMs?: unknown };
    return { ...fields, atMs: atMs.atMs };
  }
}

function badTrace(source: string, lineNumber: number, what: string): MinikuError {
  return new MinikuError('E_BAD_TRACE', `Cannot read "${source}": line ${lineNumber}: ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads typed fields of a decision; a wrong type is a bad trace. */
class FieldReader {
  readonly where: string;

  /** `where` names the record in errors, e.g. the trace file. */
  constructor(options: { where: string }) {
    this.where = options.where;
  }

  number(value: unknown, name: string): number {
    if (typeof value !== 'number') throw this.bad(name);
    return value;
  }

  string(value: unknown, name: string): string {
    if (typeof value !== 'string') throw this.bad(name);
    return value;
  }

  array(value: unknown, name: string): unknown[] {
    if (!Array.isArray(value)) throw this.bad(name);
    return value;
  }

  object(value: unknown, name: string): Record<string, unknown> {
    if (!isObject(value)) throw this.bad(name);
    return value;
  }

  bad(name: string): MinikuError {
    return new MinikuError(
      'E_BAD_TRACE',
      `Cannot read ${this.where}: field "${name}" is malformed`,
    );
  }
}

/** An attempt from full decision fields (`fields` plus `atMs`, as DecisionScanner keeps them). */
export function attemptOf(fields: Record<string, unknown>, where: string): ExplainAttempt {
  const r = new FieldReader({ where });
  const chosen = fields['chosen'] === null ? null : r.string(fields['chosen'], 'chosen');
  const scored = r.array(fields['scored'], 'scored').map((row) => scoredNodeOf(r, row));
  const attempt: ExplainAttempt = {
    atMs: r.number(fields['atMs'], 'atMs'),
    profile: r.string(fields['profile'], 'profile'),
    nodeCount: r.number(fields['nodeCount'], 'nodeCount'),
    sampledNodeCount: r.number(fields['sampledNodeCount'], 'sampledNodeCount'),
    feasibleNodeCount: r.number(fields['feasibleNodeCount'], 'feasibleNodeCount'),
    chosen,
    filtered: filterGroups(r, r.array(fields['filtered'], 'filtered')),
    scoredNodeCount: scored.length,
    top: topWithChosen(scored, chosen),
    bestTotalNodeCount: bestTotalCount(scored),
  };
  if (fields['message'] !== undefined) attempt.message = r.string(fields['message'], 'message');
  return attempt;
}

function scoredNodeOf(r: FieldReader, value: unknown): ExplainScoredNode {
  const row = r.object(value, 'scored');
  const plugins = Object.entries(r.object(row['plugins'], 'scored.plugins')).map(([plugin, v]) => {
    const s = r.object(v, 'scored.plugins');
    return {
      plugin,
      raw: r.number(s['raw'], 'raw'),
      normalized: r.number(s['normalized'], 'normalized'),
      weighted: r.number(s['weighted'], 'weighted'),
    };
  });
  plugins.sort((a, b) => compareGoStrings(a.plugin, b.plugin));
  return {
    node: r.string(row['node'], 'scored.node'),
    total: r.number(row['total'], 'scored.total'),
    plugins,
  };
}

/** Groups rejected nodes by (plugin, reason); a node with two reasons is in two groups. */
function filterGroups(r: FieldReader, filtered: unknown[]): ExplainFilterGroup[] {
  const groups = new Map<string, { group: ExplainFilterGroup; names: string[] }>();
  for (const value of filtered) {
    const f = r.object(value, 'filtered');
    const node = r.string(f['node'], 'filtered.node');
    const plugin = r.string(f['plugin'], 'filtered.plugin');
    const code = r.string(f['code'], 'filtered.code');
    const reasons = r.array(f['reasons'], 'filtered.reasons').map((x) => r.string(x, 'reasons'));
    for (const reason of reasons.length === 0 ? [''] : reasons) {
      const key = JSON.stringify([plugin, reason]);
      let entry = groups.get(key);
      if (entry === undefined) {
        entry = { group: { plugin, reason, code, nodeCount: 0, nodes: [] }, names: [] };
        groups.set(key, entry);
      }
      entry.group.nodeCount += 1;
      entry.names.push(node);
    }
  }
  const out = [...groups.values()].map(({ group, names }) => ({
    ...group,
    nodes: names.sort(compareGoStrings).slice(0, filterNodeNamesMax),
  }));
  return out.sort(
    (a, b) =>
      b.nodeCount - a.nodeCount ||
      compareGoStrings(a.plugin, b.plugin) ||
      compareGoStrings(a.reason, b.reason),
  );
}

/** The best rows by total, ties in evaluation order, with the chosen row added when beyond. */
function topWithChosen(scored: ExplainScoredNode[], chosen: string | null): ExplainScoredNode[] {
  const order = scored.map((row, index) => ({ row, index }));
  order.sort((a, b) => b.row.total - a.row.total || a.index - b.index);
  const top = order.slice(0, topNodeCount).map((e) => e.row);
  const chosenRow = scored.find((row) => row.node === chosen);
  if (chosenRow !== undefined && !top.includes(chosenRow)) top.push(chosenRow);
  return top;
}

function bestTotalCount(scored: readonly ExplainScoredNode[]): number {
  const best = Math.max(...scored.map((row) => row.total));
  return scored.filter((row) => row.total === best).length;
}
