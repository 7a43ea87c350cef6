// Tests for report.md: tables, every expectation, faults with recovery times, chart summaries.

import { describe, expect, it } from 'vitest';
import { chartKeys, chartTitles } from './chart-specs.js';
import type { ReportData } from './report-data.js';
import { renderReportMarkdown } from './render-markdown.js';
import { sampleReportData } from './sample-report-data.js';

function section(markdown: string, title: string): string {
  return markdown.split(`\n## ${title}\n`)[1]?.split('\n## ')[0] ?? '';
}

describe('renderReportMarkdown', () => {
  const data = sampleReportData();
  const markdown = renderReportMarkdown(data);

  it('opens with a summary table of scenario, hashes, seed, version and virtual times', () => {
    expect(markdown.startsWith('# Simulation report: node-crash-eviction\n')).toBe(true);
    expect(markdown).toContain(`| Scenario SHA-256 | ${data.scenario.hash} |`);
    expect(markdown).toContain(`| Event stream SHA-256 | ${data.streamSha256} |`);
    expect(markdown).toContain('| Seed | 42 |');
    expect(markdown).toContain('| miniku version | 0.1.0 |');
    expect(markdown).toContain('| Virtual start | 2026-01-01T00:00:00Z |');
    expect(markdown).toContain('| Virtual end | 2026-01-01T00:15:00Z |');
    expect(markdown).toContain('| Expectations held | 4 of 5 |');
  });

  it('lists every expectation with its kind, result, instant and message', () => {
    const rows = section(markdown, 'Expectations')
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') && !line.startsWith('| Expectation') && !line.startsWith('| ---'),
      );
    expect(rows).toHaveLength(data.expectations.length);
    data.expectations.forEach((expectation, i) => {
      expect(rows[i]).toContain(`| ${expectation.name} | ${expectation.kind} |`);
    });
    expect(rows[0]).toBe(
      '| all replicas Running and ready by 60s | by | held | 3.66 s | 30 of 30 required pods were ready |',
    );
    expect(rows[4]).toContain('| worker-2 comes back | eventually | FAILED | - |');
  });

  it('gives each fault its injection, recovery and recovery time in seconds', () => {
    expect(section(markdown, 'Faults')).toContain(
      '| crashNode worker-2 | 120 s | 472.96 s | 352.96 s |',
    );
  });

  it('lists metrics sorted by name', () => {
    const names = section(markdown, 'Metrics')
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') && !line.startsWith('| Metric') && !line.startsWith('| ---'),
      )
      .map((line) => line.split(' | ')[0]?.slice(2));
    expect(names).toEqual(Object.keys(data.metrics).sort());
    expect(markdown).toContain('| apiRequestsPerSecondMean | 41.25 |');
  });

  it('summarises each of the six charts in words', () => {
    for (const key of chartKeys) expect(markdown).toContain(`\n### ${chartTitles[key]}\n`);
    expect(markdown).toContain('- At the end: Running 30.');
    expect(markdown).toContain('- worker-2: Ready from 0 s to 170 s, Unknown from 170 s to 900 s.');
    expect(markdown).toContain('- Never other than Ready: worker-1, worker-3.');
    expect(markdown).toContain('- Peak 30 pods at 0 s; 0 at the end;');
    expect(markdown).toContain(
      '- 40 samples: min 2500 ms, p50 2915 ms, p90 3500 ms, p99 3660 ms, max 3660 ms.',
    );
  });

  it('escapes table syntax in user text and says when a fault never recovered', () => {
    const odd: ReportData = {
      ...data,
      expectations: [
        { name: 'a | b', kind: 'always', held: false, instantMs: 5, message: 'x\ny <z>' },
      ],
      faults: [{ label: 'partition', injectedAtMs: 1000, recoveredAtMs: null }],
    };
    const text = renderReportMarkdown(odd);
    expect(text).toContain('| a \\| b | always | FAILED | 0.005 s | x y &lt;z&gt; |');
    expect(text).toContain('| partition | 1 s | not recovered | - |');
  });

  it('says so when there is nothing to list', () => {
    const empty: ReportData = { ...data, metrics: {}, expectations: [], faults: [] };
    const text = renderReportMarkdown(empty);
    expect(section(text, 'Metrics').trim()).toBe('No metrics.');
    expect(section(text, 'Expectations').trim()).toBe('No expectations.');
    expect(section(text, 'Faults').trim()).toBe('No faults.');
  });

  it('is byte-identical for the same data and ends with one newline', () => {
    expect(renderReportMarkdown(sampleReportData())).toBe(markdown);
    expect(markdown.endsWith('.\n')).toBe(true);
  });
});
