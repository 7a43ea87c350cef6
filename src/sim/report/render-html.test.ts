// Tests for report.html: self-contained, six inline SVG charts, deterministic bytes.

import { formatLocale } from 'vega';
import { describe, expect, it } from 'vitest';
import { openGuard } from '../engine/guard.js';
import type { ReportData } from './report-data.js';
import { renderReportHtml } from './render-html.js';
import { sampleReportData } from './sample-report-data.js';

const namespaceUris = ['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink'];

function withoutNamespaces(html: string): string {
  return namespaceUris.reduce((text, uri) => text.split(`"${uri}"`).join('""'), html);
}

/** The HTML of one chart's figure. */
function figure(html: string, key: string): string {
  return html.split(`<figure id="figure-${key}">`)[1]?.split('</figure>')[0] ?? '';
}

function emptyReport(): ReportData {
  return {
    ...sampleReportData(),
    metrics: {},
    expectations: [],
    faults: [],
    series: {
      podsByPhase: [],
      podsPerNode: [],
      nodeReadiness: [],
      pendingQueue: [],
      schedulingLatencyMs: [],
      podStartupLatencyMs: [],
    },
  };
}

describe('renderReportHtml', async () => {
  const html = await renderReportHtml(sampleReportData());

  it('references nothing outside the page: no URL but the XML namespaces', () => {
    expect(html).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(withoutNamespaces(html)).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\bhref="(?!#)/);
  });

  it('holds exactly six inline SVG charts, one per figure', () => {
    expect(html.match(/<svg/g)).toHaveLength(6);
    expect(html.match(/<figure /g)).toHaveLength(6);
  });

  it('is byte-identical when rendered again', async () => {
    expect(await renderReportHtml(sampleReportData())).toBe(html);
  });

  it('gives every element id once in the page', () => {
    const ids = [...html.matchAll(/\bid="([^"]*)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the tables and the chart summaries, escaped', async () => {
    expect(html).toContain('<title>Simulation report: node-crash-eviction</title>');
    expect(html).toContain('<td class="failed">FAILED</td>');
    expect(html).toContain('<td>crashNode worker-2</td><td>120 s</td><td>472.96 s</td>');
    expect(html).toContain('<li>At the end: Running 30.</li>');
    const odd = { ...sampleReportData(), scenario: { name: '<b>&', hash: 'h' } };
    const oddHtml = await renderReportHtml(odd);
    expect(oddHtml).toContain('<h1>Simulation report: &lt;b&gt;&amp;</h1>');
  });

  it('marks the crash on the readiness timeline', () => {
    const readiness = figure(html, 'nodeReadiness');
    expect(readiness).toContain('crashNode worker-2</text>');
    expect(readiness).toContain('class="mark-rule role-mark');
  });

  it('draws a node as its own line only among the top 20, the rest as a band', async () => {
    const big = await renderReportHtml(sampleReportData({ nodeCount: 25 }));
    const perNode = figure(big, 'podsPerNode');
    const drawn = new Set([...perNode.matchAll(/>(worker-\d+)</g)].map((match) => match[1]));
    expect(drawn.size).toBe(20);
    // Peak 11 (took over a crashed node's pod) first, then peak 10 by name: worker-2, worker-20.
    expect(drawn.has('worker-20')).toBe(true);
    for (const rest of ['worker-21', 'worker-22', 'worker-23', 'worker-24', 'worker-25']) {
      expect(drawn.has(rest)).toBe(false);
    }
    expect(perNode).toContain('p10-p90 of the other 5 nodes');
    expect(figure(html, 'podsPerNode')).not.toContain('other');
  });

  it('renders a report with no data at all, still with six charts', async () => {
    const empty = await renderReportHtml(emptyReport());
    expect(empty.match(/<svg/g)).toHaveLength(6);
    expect(empty).toContain('<p>No expectations.</p>');
  });

  it('uses no host time, timers or randomness (renders under the determinism guard)', async () => {
    const session = openGuard();
    let guarded: string;
    try {
      guarded = await renderReportHtml(sampleReportData());
    } finally {
      session.close();
    }
    expect(session.violation).toBeUndefined();
    expect(guarded).toBe(html);
  });

  it('does not follow a process-wide change of vega’s number locale', async () => {
    const german = { decimal: ',', thousands: '.', grouping: [3], currency: ['', ' €'] };
    formatLocale(german);
    try {
      expect(await renderReportHtml(sampleReportData())).toBe(html);
    } finally {
      formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''] });
    }
  });
});
