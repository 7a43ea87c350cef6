// The report's tables as plain text cells, shared by the Markdown and HTML renderers.

import { formatMicroTime, formatTime } from '../../control/api/values/time.js';
import { compareText, formatNumber, formatSeconds } from './format.js';
import type { ExpectationResult, FaultRecovery, ReportData } from './report-data.js';

export interface TextTable {
  headers: string[];
  /** Plain text; each renderer escapes it. */
  rows: string[][];
}

/** RFC 3339 in UTC; milliseconds only when the instant has them. */
export function formatInstant(epochMs: number): string {
  return epochMs % 1000 === 0 ? formatTime(epochMs) : formatMicroTime(epochMs);
}

function countText(count: number, total: number): string {
  return `${formatNumber(count)} of ${formatNumber(total)}`;
}

export function summaryTable(data: ReportData): TextTable {
  const held = data.expectations.filter((expectation) => expectation.held).length;
  const recovered = data.faults.filter((fault) => fault.recoveredAtMs !== null).length;
  return {
    headers: ['Field', 'Value'],
    rows: [
      ['Scenario', data.scenario.name],
      ['Scenario SHA-256', data.scenario.hash],
      ['Seed', String(data.seed)],
      ['miniku version', data.minikuVersion],
      ['Virtual start', formatInstant(data.virtualStartMs)],
      ['Virtual end', formatInstant(data.virtualEndMs)],
      ['Virtual duration', formatSeconds(data.virtualEndMs - data.virtualStartMs)],
      ['Expectations held', countText(held, data.expectations.length)],
      ['Faults recovered', countText(recovered, data.faults.length)],
      ['Event stream SHA-256', data.streamSha256],
    ],
  };
}

export function metricsTable(data: ReportData): TextTable {
  const names = Object.keys(data.metrics).sort(compareText);
  return {
    headers: ['Metric', 'Value'],
    rows: names.map((name) => [name, formatNumber(data.metrics[name] ?? 0)]),
  };
}

function expectationRow(expectation: ExpectationResult): string[] {
  return [
    expectation.name,
    expectation.kind,
    expectation.held ? 'held' : 'FAILED',
    expectation.instantMs === null ? '-' : formatSeconds(expectation.instantMs),
    expectation.message,
  ];
}

/** Expectations in the scenario's order. */
export function expectationsTable(data: ReportData): TextTable {
  return {
    headers: ['Expectation', 'Kind', 'Result', 'Instant', 'Message'],
    rows: data.expectations.map(expectationRow),
  };
}

function faultRow(fault: FaultRecovery): string[] {
  const recoveredAtMs = fault.recoveredAtMs;
  return [
    fault.label,
    formatSeconds(fault.injectedAtMs),
    recoveredAtMs === null ? 'not recovered' : formatSeconds(recoveredAtMs),
    recoveredAtMs === null ? '-' : formatSeconds(recoveredAtMs - fault.injectedAtMs),
  ];
}

/** Faults in the scenario's order; instants are seconds since the virtual start. */
export function faultsTable(data: ReportData): TextTable {
  return {
    headers: ['Fault', 'Injected at', 'Recovered at', 'Recovery time'],
    rows: data.faults.map(faultRow),
  };
}
