// report.md: summary, metrics, expectations, faults and a text summary of each chart.

import { checkReportData } from './bound-report.js';
import { chartSummaries } from './chart-summaries.js';
import { chartKeys, chartTitles } from './chart-specs.js';
import { escapeMarkdownCell, escapeMarkdownText } from './format.js';
import type { ReportData } from './report-data.js';
import type { TextTable } from './report-tables.js';
import { expectationsTable, faultsTable, metricsTable, summaryTable } from './report-tables.js';

function markdownTable(table: TextTable): string[] {
  const row = (cells: readonly string[]): string =>
    `| ${cells.map((cell) => escapeMarkdownCell(cell)).join(' | ')} |`;
  return [
    row(table.headers),
    `|${table.headers.map(() => ' --- |').join('')}`,
    ...table.rows.map(row),
  ];
}

function section(title: string, table: TextTable, emptyText: string): string[] {
  const body = table.rows.length === 0 ? [emptyText] : markdownTable(table);
  return [`## ${title}`, '', ...body, ''];
}

function chartSections(data: ReportData): string[] {
  const summaries = chartSummaries(data);
  return chartKeys.flatMap((key) => [
    `### ${chartTitles[key]}`,
    '',
    ...summaries[key].map((line) => `- ${escapeMarkdownText(line)}`),
    '',
  ]);
}

/**
 * report.md. Instants are seconds since the virtual start; the charts themselves are in
 * report.html, summarised here in words. Same data, same bytes.
 */
export function renderReportMarkdown(data: ReportData): string {
  checkReportData(data);
  const lines = [
    `# Simulation report: ${escapeMarkdownText(data.scenario.name)}`,
    '',
    ...markdownTable(summaryTable(data)),
    '',
    ...section('Metrics', metricsTable(data), 'No metrics.'),
    ...section('Expectations', expectationsTable(data), 'No expectations.'),
    ...section('Faults', faultsTable(data), 'No faults.'),
    '## Charts',
    '',
    'Time is in seconds since the virtual start. The charts are drawn in report.html.',
    '',
    ...chartSections(data),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
