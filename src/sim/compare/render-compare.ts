// compare.json, compare.md, a self-contained compare.html (inline CSS and SVG charts drawn
// offline, no scripts) and the terminal summary. Same data, same bytes.
import { toJsonSafe } from '../../control/api/values/canonical-json.js';
import { assert } from '../../control/util/assert.js';
import { escapeHtml, escapeMarkdownCell, escapeMarkdownText, htmlPage } from '../report/format.js';
import { canonicalJsonText } from '../report/render-json.js';
import type { TextTable } from '../report/report-tables.js';
import { renderChartSvg } from '../report/render-svg.js';
import { compareChartSpecs, compareChartTitles } from './compare-charts.js';
import type { CompareData } from './compare-model.js';
import { movedSentence } from './render-compare-summary.js';
import {
  expectationsTable,
  metricsTable,
  movedNote,
  movedTable,
  nodesNote,
  nodesTable,
  runTable,
  sideBySideTable,
  zonesTable,
} from './compare-tables.js';

interface Section {
  title: string;
  /** A sentence above the table. */
  lead?: string;
  table: TextTable;
  empty: string;
  note?: string | undefined;
}

function movedLead(data: CompareData): string {
  return `${movedSentence(data)}.`;
}

function sections(data: CompareData): Section[] {
  return [
    { title: 'A and B', table: sideBySideTable(data), empty: '' },
    {
      title: 'Placements that differ',
      lead: movedLead(data),
      table: movedTable(data),
      empty: 'Every pod was placed on the same node in both runs.',
      note: movedNote(data),
    },
    {
      title: 'Pods per node at the end',
      table: nodesTable(data),
      empty: 'No nodes.',
      note: nodesNote(data),
    },
    { title: 'Pods per zone at the end', table: zonesTable(data), empty: 'No zones.' },
    { title: 'Metrics', table: metricsTable(data), empty: 'No metrics.' },
    { title: 'Expectations', table: expectationsTable(data), empty: 'No expectations.' },
  ];
}

/** compare.json: the data as canonical indented JSON (sorted keys), ending in a newline. */
export function renderCompareJson(data: CompareData): string {
  const value = toJsonSafe(data);
  assert(value !== undefined, 'compare data must be JSON-safe');
  return canonicalJsonText(value);
}

function markdownTable(table: TextTable): string[] {
  const row = (cells: readonly string[]) =>
    `| ${cells.map((cell) => escapeMarkdownCell(cell)).join(' | ')} |`;
  return [
    row(table.headers),
    `|${table.headers.map(() => ' --- |').join('')}`,
    ...table.rows.map(row),
  ];
}

function markdownSection(section: Section): string[] {
  const body = section.table.rows.length === 0 ? [section.empty] : markdownTable(section.table);
  const lead = section.lead === undefined ? [] : [escapeMarkdownText(section.lead), ''];
  const note = section.note === undefined ? [] : ['', escapeMarkdownText(section.note)];
  return [`## ${section.title}`, '', ...lead, ...body, ...note, ''];
}

/** compare.md: the tables of compare.html; its charts are drawn only in compare.html. */
export function renderCompareMarkdown(data: CompareData): string {
  const lines = [
    `# A/B compare: ${escapeMarkdownText(data.scenario.name)}`,
    '',
    ...markdownTable(runTable(data)),
    '',
    ...sections(data).flatMap(markdownSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

const pageStyle = `
body { margin: 0; font: 14px/1.45 sans-serif; color: #222; background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 16px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 0 0 4px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.changed { background: #fff3d6; }
.failed { color: #b3124e; font-weight: bold; }
figure { margin: 20px 0; }
figure svg { max-width: 100%; height: auto; }
`;

function cellClass(cell: string): string {
  if (cell === 'FAILED') return ' class="failed"';
  if (cell === 'flipped' || /^[+-]\d/.test(cell)) return ' class="changed"';
  return '';
}

function htmlTable(table: TextTable): string {
  const head = table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows.map(
    (row) => `<tr>${row.map((c) => `<td${cellClass(c)}>${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  const body = `<tbody>\n${rows.join('\n')}\n</tbody>`;
  return `<table>\n<thead><tr>${head}</tr></thead>\n${body}\n</table>`;
}

function htmlSection(section: Section): string {
  const body =
    section.table.rows.length === 0
      ? `<p>${escapeHtml(section.empty)}</p>`
      : htmlTable(section.table);
  const lead = section.lead === undefined ? '' : `<p>${escapeHtml(section.lead)}</p>\n`;
  const note = section.note === undefined ? '' : `\n<p>${escapeHtml(section.note)}</p>`;
  return `<h2>${escapeHtml(section.title)}</h2>\n${lead}${body}${note}`;
}

async function chartFigures(data: CompareData): Promise<string[]> {
  const figures: string[] = [];
  // One at a time: the output must not depend on how vega's renders interleave.
  for (const { key, spec } of compareChartSpecs(data)) {
    const svg = await renderChartSvg(spec, `compare-${key}`);
    const caption = `<figcaption><h3>${escapeHtml(compareChartTitles[key])}</h3></figcaption>`;
    figures.push(`<figure id="figure-${key}">\n${caption}\n${svg}\n</figure>`);
  }
  return figures;
}

/** compare.html: the tables of compare.md and four charts as inline SVG. */
export async function renderCompareHtml(data: CompareData): Promise<string> {
  const title = `A/B compare: ${data.scenario.name}`;
  return htmlPage(title, pageStyle, [
    htmlTable(runTable(data)),
    ...sections(data).map(htmlSection),
    '<h2>Charts</h2>',
    ...(await chartFigures(data)),
  ]);
}
