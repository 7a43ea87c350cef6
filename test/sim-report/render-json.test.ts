// Tests for report.json: canonical bytes, and every field documented in README.md present.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalJsonText,
  renderReportJson,
  reportFormatVersion,
} from '../../src/sim/report/render-json.js';
import { sampleReportData } from '../../src/sim/report/sample-report-data.js';

/** Field paths from README.md's field list, e.g. `series.pendingQueue[].tMs`. */
function documentedFields(): string[] {
  const readme = readFileSync(new URL('../../src/sim/report/README.md', import.meta.url), 'utf8');
  const section = readme.split('## Every field of the report')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^- `([^`]+)` \(/gm)].map((match) => match[1] as string);
}

/**
 * Paths of a parsed report's leaves: `[]` for list elements; a list of plain values and the
 * free-form `metrics` object count as one field each.
 */
function fieldPaths(value: unknown, path: string, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    const plain = value.every((item) => typeof item !== 'object' || item === null);
    if (plain) into.add(path);
    else for (const item of value) fieldPaths(item, `${path}[]`, into);
  } else if (typeof value === 'object' && value !== null && path !== 'metrics') {
    for (const [key, member] of Object.entries(value)) {
      fieldPaths(member, path === '' ? key : `${path}.${key}`, into);
    }
  } else {
    into.add(path);
  }
  return into;
}

function keysSortedEverywhere(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysSortedEverywhere);
  const keys = Object.keys(value);
  const sorted = [...keys].sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
  return keys.join('\n') === sorted.join('\n') && Object.values(value).every(keysSortedEverywhere);
}

describe('renderReportJson', () => {
  const text = renderReportJson(sampleReportData());

  it('parses and carries the format version, scenario, seed and version', () => {
    const report = JSON.parse(text) as Record<string, unknown>;
    expect(report.reportFormatVersion).toBe(reportFormatVersion);
    expect(report.scenario).toEqual({
      name: 'node-crash-eviction',
      hash: sampleReportData().scenario.hash,
    });
    expect(report.seed).toBe(42);
    expect(report.minikuVersion).toBe('0.1.0');
  });

  it('has every documented field and no undocumented one', () => {
    const documented = documentedFields();
    expect(documented.length).toBeGreaterThan(30);
    const present = [...fieldPaths(JSON.parse(text), '', new Set())].sort();
    expect(present).toEqual([...documented].sort());
  });

  it('writes keys sorted at every depth and survives a round trip unchanged', () => {
    const parsed: unknown = JSON.parse(text);
    expect(keysSortedEverywhere(parsed)).toBe(true);
    expect(canonicalJsonText(parsed)).toBe(text);
  });

  it('gives the same bytes for the same data, whatever the key order of the input', () => {
    const data = sampleReportData();
    const reordered = Object.fromEntries(Object.entries(data).reverse()) as typeof data;
    expect(renderReportJson(reordered)).toBe(text);
    expect(renderReportJson(sampleReportData())).toBe(text);
  });

  it('writes negative zero as 0', () => {
    const data = sampleReportData();
    const json = renderReportJson({ ...data, metrics: { tinyDrift: -0 } });
    expect(json).toContain('"metrics": {"tinyDrift":0}');
  });
});

describe('canonicalJsonText', () => {
  it('keeps short containers on one line and breaks long ones one member per line', () => {
    const long = Array.from({ length: 40 }, (_, i) => i * 1000);
    const longLines = long.map((n, i) => `    ${n}${i === long.length - 1 ? '' : ','}`);
    const expected = [
      '{',
      '  "a": {"c":"x","d":null},',
      '  "b": [1,2],',
      '  "e": [',
      ...longLines,
      '  ]',
      '}',
      '',
    ].join('\n');
    expect(canonicalJsonText({ b: [1, 2], a: { d: null, c: 'x' }, e: long })).toBe(expected);
  });

  it('rejects values that are not JSON-safe', () => {
    expect(() => canonicalJsonText({ a: Number.NaN })).toThrow(/not JSON-safe/);
  });
});
