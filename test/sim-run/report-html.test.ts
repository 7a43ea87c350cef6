// report.html of a real run (scheduler-restart: a node joins mid-run, pods wait through an
// outage) is self-contained to the letter and draws all six charts with titles, axes and data.
// sim-cli.test.ts checks the chart count and the absence of scripts for node-crash; this file
// checks what it leaves out: the exact allowed URIs, every other way to load or run something,
// and the content of each chart.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimRunCommand } from '../../src/cli/sim-command.js';
import { timeTitle } from '../../src/sim/report/chart-config.js';
import { chartKeys, chartTitles } from '../../src/sim/report/chart-specs.js';
import type { ChartKey } from '../../src/sim/report/chart-specs.js';

const scenarioFile = 'scenarios/scheduler-restart.yaml';
/** The only URIs the page may contain: the XML namespaces, as attributes of each chart's root. */
const namespaceAttributes = [
  ' xmlns="http://www.w3.org/2000/svg"',
  ' xmlns:xlink="http://www.w3.org/1999/xlink"',
];
const timeCharts: readonly ChartKey[] = [
  'podsByPhase',
  'podsPerNode',
  'nodeReadiness',
  'pendingQueue',
];

let outDir = '';
let html = '';

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'miniku-report-html-'));
  const options = { out: outDir, trace: 'summary', format: 'text', write: () => undefined };
  await runSimRunCommand([scenarioFile], options);
  html = await readFile(join(outDir, 'report.html'), 'utf8');
}, 60_000);

afterAll(async () => {
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

/** The text of every `<text>` inside the groups of one vega role, e.g. `axis-title`. */
function textsOfRole(svg: string, role: string): string[] {
  const groups = svg.split(new RegExp(`class="mark-text role-${role}(?: [^"]*)?"`)).slice(1);
  return groups.flatMap((group) => {
    const body = group.split('</g>')[0] ?? '';
    return [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] ?? '');
  });
}

/** The figures of the page, in order: key and inner HTML. */
function figures(page: string): { key: string; body: string }[] {
  return [...page.matchAll(/<figure id="figure-([^"]+)">([\s\S]*?)<\/figure>/g)].map((m) => ({
    key: m[1] ?? '',
    body: m[2] ?? '',
  }));
}

describe('report.html of a real run', () => {
  it('contains no URI but the two XML namespaces, each once on every chart root', () => {
    const svgTags = html.match(/<svg\b[^>]*>/g) ?? [];
    expect(svgTags).toHaveLength(chartKeys.length);
    for (const tag of svgTags) {
      for (const attribute of namespaceAttributes) {
        expect(tag.split(attribute)).toHaveLength(2);
      }
    }
    const rest = namespaceAttributes.reduce(
      (text, attribute) => text.split(attribute).join(''),
      html,
    );
    expect(rest).not.toMatch(/https?:/i);
    expect(rest).not.toMatch(/\b(?:ftp|file|data|javascript):/i);
    expect(rest).not.toMatch(/=\s*["']?\/\//);
    expect(rest).not.toContain('xmlns');
  });

  it('loads and runs nothing: no scripts, handlers, embeds, links out or imports', () => {
    const tags = (html.match(/<[^>]*>/g) ?? []).join('\n');
    expect(tags).not.toMatch(/<(?:script|link|img|iframe|object|embed|image|foreignObject)\b/i);
    expect(tags).not.toMatch(/\s(?:src|srcset|action|formaction|on[a-z]+)\s*=/i);
    expect(tags).not.toMatch(/[\s:]href\s*=\s*(?!["']?#)/i);
    expect(html).not.toMatch(/@import|url\(\s*(?!#)/i);
  });

  it('draws the six charts in order, one SVG each', () => {
    const found = figures(html);
    expect(found.map((f) => f.key)).toEqual([...chartKeys]);
    for (const { key, body } of found) {
      expect(body.match(/<svg\b/g), key).toHaveLength(1);
      expect(body.match(/<\/svg>/g), key).toHaveLength(1);
      expect(body, key).toContain(`<h3>${chartTitles[key as ChartKey]}</h3>`);
    }
  });

  it('gives every chart its title, two axis titles, axis labels and drawn data', () => {
    for (const { key, body } of figures(html)) {
      const svg = body.slice(body.indexOf('<svg'));
      expect(textsOfRole(svg, 'title-text'), key).toEqual([chartTitles[key as ChartKey]]);
      const axisTitles = textsOfRole(svg, 'axis-title');
      expect(axisTitles, key).toHaveLength(2);
      if (timeCharts.includes(key as ChartKey)) expect(axisTitles[0], key).toBe(timeTitle);
      expect(textsOfRole(svg, 'axis-label').length, key).toBeGreaterThanOrEqual(4);
      const marks = svg.split(/class="mark-\w+ role-mark\b/).slice(1);
      expect(marks.length, key).toBeGreaterThanOrEqual(1);
      expect(
        marks.some((mark) => /<path [^>]*\bd="M[^"]{8,}"/.test(mark.split('</g>')[0] ?? '')),
        key,
      ).toBe(true);
    }
  });

  it('names every node on the readiness timeline, the one added mid-run too, and both faults', () => {
    const body = figures(html).find((f) => f.key === 'nodeReadiness')?.body ?? '';
    const labels = textsOfRole(body, 'axis-label');
    for (const node of ['worker-0', 'worker-1', 'worker-2', 'worker-3']) {
      expect(labels).toContain(node);
    }
    const faultLabels = textsOfRole(body, 'mark');
    expect(faultLabels).toEqual(['restartComponent scheduler', 'addNodes worker x1']);
  });
});
