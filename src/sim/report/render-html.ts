// report.html: one self-contained page (inline CSS, inline SVG charts, no scripts, no links out).

import { boundReportData } from './bound-report.js';
import type { BoundOptions } from './bound-report.js';
import { chartSummaries } from './chart-summaries.js';
import { chartTitles, reportChartSpecs } from './chart-specs.js';
import { reportPointCountMax } from './downsample.js';
import { escapeHtml, htmlPage } from './format.js';
import type { ReportData } from './report-data.js';
import type { TextTable } from './report-tables.js';
import { expectationsTable, faultsTable, metricsTable, summaryTable } from './report-tables.js';
import { renderChartSvg } from './render-svg.js';

const pageStyle = `
body { margin: 0; font: 14px/1.45 sans-serif; color: #222; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 16px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 0 0 4px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: monospace; font-size: 13px; word-break: break-all; }
.held { color: #11703f; font-weight: bold; }
.failed { color: #b3124e; font-weight: bold; }
figure { margin: 20px 0; }
figcaption ul { margin: 4px 0 8px; padding-left: 20px; }
figure svg { max-width: 100%; height: auto; }
`;

interface CellClass {
  column: number;
  classOf: (text: string) => string | undefined;
}

function htmlTable(table: TextTable, classes: readonly CellClass[] = []): string {
  const head = table.headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = table.rows.map((row) => {
    const cells = row.map((cell, column) => {
      const rule = classes.find((candidate) => candidate.column === column);
      const name = rule?.classOf(cell);
      const attribute = name === undefined ? '' : ` class="${name}"`;
      return `<td${attribute}>${escapeHtml(cell)}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

function htmlSection(
  title: string,
  table: TextTable,
  empty: string,
  classes?: CellClass[],
): string {
  const body = table.rows.length === 0 ? `<p>${escapeHtml(empty)}</p>` : htmlTable(table, classes);
  return `<h2>${escapeHtml(title)}</h2>\n${body}`;
}

const monoRows = new Set(['Scenario SHA-256', 'Event stream SHA-256']);

function summarySection(data: ReportData): string {
  const table = summaryTable(data);
  const rows = table.rows.map(([field = '', value = '']) => {
    const valueHtml = monoRows.has(field) ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value);
    return `<tr><th>${escapeHtml(field)}</th><td>${valueHtml}</td></tr>`;
  });
  return `<table class="summary">\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

const resultClass: CellClass = {
  column: 2,
  classOf: (text) => (text === 'held' ? 'held' : 'failed'),
};
const numberClass: CellClass = { column: 1, classOf: () => 'num' };

async function chartFigures(data: ReportData, options: BoundOptions): Promise<string[]> {
  const pointCountMax = options.pointCountMax ?? reportPointCountMax;
  const bounded = boundReportData(data, options);
  const summaries = chartSummaries(data);
  const figures: string[] = [];
  // One at a time: the output must not depend on how vega's renders interleave.
  for (const { key, spec } of reportChartSpecs(bounded, pointCountMax)) {
    const svg = await renderChartSvg(spec, `chart-${key}`);
    const items = summaries[key].map((line) => `<li>${escapeHtml(line)}</li>`).join('\n');
    figures.push(
      `<figure id="figure-${key}">\n<figcaption><h3>${escapeHtml(chartTitles[key])}</h3>\n` +
        `<ul>\n${items}\n</ul></figcaption>\n${svg}\n</figure>`,
    );
  }
  return figures;
}

/**
 * report.html: the same tables as report.md and the six charts as inline SVG drawn offline
 * from vega-lite specs. No scripts, no external references; same data, same bytes.
 */
export async function renderReportHtml(
  data: ReportData,
  options: BoundOptions = {},
): Promise<string> {
  const title = `Simulation report: ${data.scenario.name}`;
  const figures = await chartFigures(data, options);
  return htmlPage(title, pageStyle, [
    summarySection(data),
    htmlSection('Metrics', metricsTable(data), 'No metrics.', [numberClass]),
    htmlSection('Expectations', expectationsTable(data), 'No expectations.', [resultClass]),
    htmlSection('Faults', faultsTable(data), 'No faults.'),
    '<h2>Charts</h2>',
    '<p>Time is in seconds since the virtual start.</p>',
    ...figures,
  ]);
}
