// Per-metric tolerances of `sim check`: built-in defaults, overridden by tolerances.yaml.
//
// A metric is within tolerance when |new − old| ≤ max(absolute, relative × |old|). A rule names a
// metric exactly (`scheduler.attempts`) or by a prefix pattern (`schedulingLatencyMs.*`, `*`).
// Lookup: the scenario's own rules, then the file's `metrics`, then the defaults; at each level an
// exact name beats a pattern and a longer pattern beats a shorter one. No rule: must be equal.
import { isMap, isScalar } from 'yaml';
import { readYamlText } from '../scenario/yaml-text.js';

export interface Tolerance {
  /** Largest allowed |new − old|, in the metric's unit. */
  absolute: number;
  /** Largest allowed |new − old| / |old| (0.1 = 10 %). */
  relative: number;
  /** Never compare this metric. */
  ignore: boolean;
}

export interface ToleranceRule {
  /** A metric name, `<prefix>.*`, or `*`. */
  pattern: string;
  tolerance: Tolerance;
}

export interface ToleranceConfig {
  /** Rules for every scenario. */
  metrics: readonly ToleranceRule[];
  /** Rules for one scenario, by metadata.name. */
  scenarios: ReadonlyMap<string, readonly ToleranceRule[]>;
}

export const exactTolerance: Tolerance = { absolute: 0, relative: 0, ignore: false };

const rule = (pattern: string, absolute: number, relative: number): ToleranceRule => ({
  pattern,
  tolerance: { absolute, relative, ignore: false },
});

/** Used when tolerances.yaml does not decide; counts of pods and outcomes stay exact. */
export const defaultToleranceRules: readonly ToleranceRule[] = [
  rule('scheduler.attempts', 2, 0.1),
  rule('schedulingLatencyMs.*', 500, 0.2),
  rule('podStartupLatencyMs.*', 1_000, 0.2),
  rule('recoveryMs.*', 5_000, 0.1),
];

export const emptyToleranceConfig: ToleranceConfig = { metrics: [], scenarios: new Map() };

function matches(pattern: string, name: string): number {
  if (pattern === name) return Number.MAX_SAFE_INTEGER;
  if (pattern === '*') return 0;
  if (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))) return pattern.length;
  return -1;
}

function pick(rules: readonly ToleranceRule[], name: string): Tolerance | undefined {
  let best: ToleranceRule | undefined;
  let bestScore = -1;
  for (const r of rules) {
    const score = matches(r.pattern, name);
    if (score > bestScore) [best, bestScore] = [r, score];
  }
  return best?.tolerance;
}

export function toleranceFor(config: ToleranceConfig, scenario: string, metric: string): Tolerance {
  return (
    pick(config.scenarios.get(scenario) ?? [], metric) ??
    pick(config.metrics, metric) ??
    pick(defaultToleranceRules, metric) ??
    exactTolerance
  );
}

/** Whether `after` is within the tolerance of `before`. */
export function withinTolerance(before: number, after: number, tolerance: Tolerance): boolean {
  if (tolerance.ignore) return true;
  const limit = Math.max(tolerance.absolute, tolerance.relative * Math.abs(before));
  return Math.abs(after - before) <= limit;
}

export type ParseTolerancesResult =
  { ok: true; config: ToleranceConfig } | { ok: false; errors: string[] };

type Problems = string[];

const patternShape = /^(\*|[A-Za-z0-9_.-]+(\.\*)?)$/;

function toleranceOf(value: unknown, path: string, problems: Problems): Tolerance | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected a map with absolute, relative or ignore`);
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const out: Tolerance = { absolute: 0, relative: 0, ignore: false };
  for (const [key, field] of Object.entries(record)) {
    if (key === 'ignore') {
      if (typeof field === 'boolean') out.ignore = field;
      else problems.push(`${path}.ignore: expected true or false`);
    } else if (key === 'absolute' || key === 'relative') {
      if (typeof field === 'number' && Number.isFinite(field) && field >= 0) out[key] = field;
      else problems.push(`${path}.${key}: expected a number ≥ 0`);
    } else problems.push(`${path}.${key}: unknown field (use absolute, relative or ignore)`);
  }
  return out;
}

function rulesOf(value: unknown, path: string, problems: Problems): ToleranceRule[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected a map of metric name → tolerance`);
    return [];
  }
  const out: ToleranceRule[] = [];
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [pattern, field] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!patternShape.test(pattern)) {
      problems.push(`${path}.${pattern}: not a metric name or pattern (name, prefix.* or *)`);
      continue;
    }
    const tolerance = toleranceOf(field, `${path}.${pattern}`, problems);
    if (tolerance !== undefined) out.push({ pattern, tolerance });
  }
  return out;
}

/** Parses tolerances.yaml text; problems are `<fileName>: <path>: <message>` lines. */
export function parseTolerances(text: string, fileName: string): ParseTolerancesResult {
  const yaml = readYamlText(text);
  const first = yaml.problems[0];
  if (first !== undefined)
    return { ok: false, errors: [`${fileName}:${first.line}: ${first.message}`] };
  const document = yaml.documents[0];
  const contents = document?.contents ?? null;
  if (
    document === undefined ||
    contents === null ||
    (isScalar(contents) && contents.value === null)
  ) {
    return { ok: true, config: emptyToleranceConfig };
  }
  if (!isMap(contents)) return { ok: false, errors: [`${fileName}: expected a map`] };
  const value = document.toJS() as Record<string, unknown>;
  const problems: Problems = [];
  for (const key of Object.keys(value)) {
    if (key !== 'metrics' && key !== 'scenarios') {
      problems.push(`${key}: unknown field (use metrics or scenarios)`);
    }
  }
  const metrics = rulesOf(value['metrics'], 'metrics', problems);
  const scenarios = new Map<string, ToleranceRule[]>();
  const perScenario = value['scenarios'];
  if (perScenario !== undefined && perScenario !== null) {
    if (typeof perScenario !== 'object' || Array.isArray(perScenario)) {
      problems.push('scenarios: expected a map of scenario name → metric rules');
    } else {
      for (const [name, rules] of Object.entries(perScenario as Record<string, unknown>)) {
        scenarios.set(name, rulesOf(rules, `scenarios.${name}`, problems));
      }
    }
  }
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => `${fileName}: ${p}`) };
  return { ok: true, config: { metrics, scenarios } };
}
