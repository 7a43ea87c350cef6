// Tests for tolerances: the file format, precedence of rules, and the within-tolerance rule.
import { describe, expect, it } from 'vitest';
import {
  emptyToleranceConfig,
  parseTolerances,
  toleranceFor,
  withinTolerance,
} from './tolerances.js';

const text = `
metrics:
  scheduler.attempts: { absolute: 10 }
  schedulingLatencyMs.*: { relative: 0.5 }
  '*': { absolute: 1 }
scenarios:
  zone-outage:
    recoveryMs.*: { ignore: true }
    schedulingLatencyMs.p99: { absolute: 2000 }
`;

function config() {
  const parsed = parseTolerances(text, 'tolerances.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

describe('tolerances', () => {
  it('prefers the scenario rule, then the file rule, then the defaults; exact beats pattern', () => {
    const c = config();
    expect(toleranceFor(c, 'zone-outage', 'schedulingLatencyMs.p99').absolute).toBe(2_000);
    expect(toleranceFor(c, 'zone-outage', 'schedulingLatencyMs.p50').relative).toBe(0.5);
    expect(toleranceFor(c, 'other', 'schedulingLatencyMs.p99')).toMatchObject({
      absolute: 0,
      relative: 0.5,
    });
    expect(toleranceFor(c, 'zone-outage', 'recoveryMs.0').ignore).toBe(true);
    expect(toleranceFor(c, 'other', 'scheduler.attempts').absolute).toBe(10);
    expect(toleranceFor(c, 'other', 'pods.placed').absolute).toBe(1);
    expect(toleranceFor(emptyToleranceConfig, 'x', 'pods.placed')).toMatchObject({
      absolute: 0,
      relative: 0,
    });
    expect(toleranceFor(emptyToleranceConfig, 'x', 'recoveryMs.3').absolute).toBe(5_000);
  });

  it('allows the larger of the absolute and the relative bound', () => {
    const t = { absolute: 5, relative: 0.1, ignore: false };
    expect(withinTolerance(100, 110, t)).toBe(true);
    expect(withinTolerance(100, 111, t)).toBe(false);
    expect(withinTolerance(10, 15, t)).toBe(true);
    expect(withinTolerance(10, 4, t)).toBe(false);
    expect(withinTolerance(1, 1_000, { ...t, ignore: true })).toBe(true);
  });

  it('refuses unknown fields, bad numbers and bad patterns, naming the path', () => {
    const bad = parseTolerances(
      'metrics:\n  a.b: { absolut: 1 }\n  c: { relative: -1 }\n  "d*": { absolute: 1 }\nextra: 1\n',
      'tol.yaml',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual([
      'tol.yaml: extra: unknown field (use metrics or scenarios)',
      'tol.yaml: metrics.a.b.absolut: unknown field (use absolute, relative or ignore)',
      'tol.yaml: metrics.c.relative: expected a number ≥ 0',
      'tol.yaml: metrics.d*: not a metric name or pattern (name, prefix.* or *)',
    ]);
    expect(parseTolerances('metrics: [\n', 'tol.yaml')).toMatchObject({ ok: false });
    expect(parseTolerances('# nothing yet\n', 'tol.yaml')).toMatchObject({ ok: true });
  });
});
