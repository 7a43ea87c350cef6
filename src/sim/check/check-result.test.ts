// Tests for check results: JSON round trip, merging shards, text and JUnit forms.
import { describe, expect, it } from 'vitest';
import type { CheckReport, ScenarioCheck } from './check-result.js';
import { checkPassed, mergeCheckReports, parseCheckJson, renderCheckJson } from './check-result.js';
import type { BaselineDiff } from './compare-baseline.js';
import { renderCheckText } from './render-check-text.js';
import { escapeXml, renderJunit } from './render-junit.js';

const diff: BaselineDiff = {
  seed: null,
  placementMode: 'lines',
  moved: [{ pod: 'RS/d/web#1', from: 'n1', to: 'n2', nameBefore: 'd/web-a', nameAfter: 'd/web-a' }],
  appeared: [],
  disappeared: [],
  countChanges: [],
  digestChanged: false,
  expectations: [{ name: 'web <ready> & "spread"', before: 'held', after: 'failed' }],
  metrics: [],
};

function check(scenario: string, status: ScenarioCheck['status']): ScenarioCheck {
  return {
    scenario,
    file: `scenarios/${scenario}.yaml`,
    baselineFile: `reports/baselines/${scenario}.baseline`,
    status,
    diff: status === 'regression' ? diff : null,
    placementCount: 3,
    message: status === 'missing' ? `no baseline at reports/baselines/${scenario}.baseline` : '',
    updateCommand: `miniku sim check scenarios/${scenario}.yaml --update`,
    wallMs: 1_234,
  };
}

const shard = (index: number, scenarios: ScenarioCheck[]): CheckReport => ({
  shard: { index, count: 2 },
  scenarios,
});

describe('check results', () => {
  it('round-trip through JSON', () => {
    const report = shard(1, [check('a', 'pass'), check('b', 'regression')]);
    const text = renderCheckJson(report);
    expect(JSON.parse(text)).toMatchObject({ kind: 'miniku-sim-check', passed: false });
    expect(parseCheckJson(text)).toEqual({ ok: true, report });
    expect(parseCheckJson('{"kind":"other"}')).toMatchObject({ ok: false });
    expect(parseCheckJson('not json')).toMatchObject({ ok: false });
  });

  it('merge every shard into one verdict, sorted by scenario', () => {
    const merged = mergeCheckReports([
      shard(2, [check('c', 'pass')]),
      shard(1, [check('a', 'pass')]),
    ]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.report.scenarios.map((s) => s.scenario)).toEqual(['a', 'c']);
    expect(checkPassed(merged.report)).toBe(true);
    const failing = mergeCheckReports([shard(1, [check('a', 'missing')]), shard(2, [])]);
    expect(failing.ok && checkPassed(failing.report)).toBe(false);
  });

  it('refuse to merge with a shard missing, twice, or a scenario in two shards', () => {
    expect(mergeCheckReports([shard(1, [])])).toEqual({
      ok: false,
      errors: ['shard 2/2 is missing'],
    });
    expect(mergeCheckReports([shard(1, []), shard(1, []), shard(2, [])])).toEqual({
      ok: false,
      errors: ['shard 1/2 is given 2 times'],
    });
    expect(
      mergeCheckReports([shard(1, [check('a', 'pass')]), shard(2, [check('a', 'pass')])]),
    ).toEqual({
      ok: false,
      errors: ['scenario "a" appears in two results'],
    });
  });

  it('render text a CI log can show: verdicts, moved pods, the accept command', () => {
    const text = renderCheckText({
      shard: null,
      scenarios: [check('a', 'pass'), check('b', 'regression'), check('c', 'missing')],
    });
    expect(text).toContain('PASS a: 3 pods placed as in reports/baselines/a.baseline');
    expect(text).toContain(
      'FAIL b: differs from reports/baselines/b.baseline: 1 pod moved, 1 expectation flipped',
    );
    expect(text).toContain('    RS/d/web#1: n1 -> n2  (d/web-a)');
    expect(text).toContain('  accept the change: miniku sim check scenarios/b.yaml --update');
    expect(text).toContain('  create it: miniku sim check scenarios/c.yaml --update');
    expect(text).toMatch(
      /sim check: 3 scenarios: 1 passed, 1 differs from its baseline, 1 without a baseline\n$/,
    );
  });
});

describe('renderJunit', () => {
  it('writes one testcase per scenario with the diff as failure text, escaped', () => {
    const xml = renderJunit({
      shard: null,
      scenarios: [check('a', 'pass'), check('b', 'regression'), check('c', 'error')],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml).toContain('tests="3" failures="1" errors="1"');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('name="a" file="scenarios/a.yaml" time="1.234"/>');
    expect(xml).toContain(
      '<failure type="regression" message="1 pod moved, 1 expectation flipped">',
    );
    expect(xml).toContain(
      '&quot;web &lt;ready&gt; &amp; \\&quot;spread\\&quot;&quot;: held -&gt; failed',
    );
    expect(xml).toContain('<error type="run-failed"');
    expect(wellFormed(xml)).toBe(true);
    expect(wellFormed(xml.replace('</testsuite>', ''))).toBe(false);
    expect(wellFormed(xml.replace('&amp;', '&'))).toBe(false);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml('a<b>&"\'\u0001\uD800z')).toBe('a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFDz');
  });
});

/** Tags nest and close in order, attribute values are quoted, no raw `<` or `&` in text. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^?]*\?>\n/, '');
  const stack: string[] = [];
  const token =
    /<(\/?)([A-Za-z]+)((?:\s+[a-z]+="[^"<&]*(?:&[a-z]+;[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, close, name, , selfClose, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) return false;
    } else if (close === '/') {
      if (stack.pop() !== name) return false;
    } else if (selfClose !== '/') stack.push(name as string);
  }
  return consumed === body.length && stack.length === 0;
}
