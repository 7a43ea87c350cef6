// JUnit XML for CI systems: one testsuite, one testcase per scenario, the diff as failure text.
import { formatNumber } from '../report/format.js';
import type { CheckReport, ScenarioCheck } from './check-result.js';
import { countByStatus } from './check-result.js';
import { diffSummary, renderScenarioText } from './render-check-text.js';

/** XML 1.0 cannot hold these characters at all, even escaped. */
const invalidXml =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe in XML element content and in quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(invalidXml, '\uFFFD').replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

function seconds(ms: number): string {
  return formatNumber(Math.max(0, ms) / 1000);
}

function failureOf(check: ScenarioCheck): string {
  const body = escapeXml(renderScenarioText(check));
  switch (check.status) {
    case 'pass':
    case 'created':
    case 'updated':
      return '';
    case 'regression': {
      const message = check.diff === null ? 'differs from the baseline' : diffSummary(check.diff);
      return `<failure type="regression" message="${escapeXml(message)}">${body}</failure>`;
    }
    case 'missing':
      return `<failure type="missing-baseline" message="${escapeXml(check.message)}">${body}</failure>`;
    case 'error':
      return `<error type="run-failed" message="${escapeXml(check.message)}">${body}</error>`;
  }
}

function testcase(check: ScenarioCheck): string {
  const attributes =
    `classname="miniku.sim.check" name="${escapeXml(check.scenario)}" ` +
    `file="${escapeXml(check.file)}" time="${seconds(check.wallMs)}"`;
  const inner = failureOf(check);
  return inner === ''
    ? `    <testcase ${attributes}/>`
    : `    <testcase ${attributes}>\n      ${inner}\n    </testcase>`;
}

/** The JUnit XML document (UTF-8), ending in a newline. */
export function renderJunit(report: CheckReport): string {
  const counts = countByStatus(report);
  const failures = counts.regression + counts.missing;
  const tests = report.scenarios.length;
  const time = seconds(report.scenarios.reduce((sum, s) => sum + s.wallMs, 0));
  const shard = report.shard === null ? '' : ` (shard ${report.shard.index}/${report.shard.count})`;
  const totals = `tests="${tests}" failures="${failures}" errors="${counts.error}"`;
  const name = escapeXml(`miniku sim check${shard}`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" ${totals} time="${time}">`,
    `  <testsuite name="${name}" ${totals} skipped="0" time="${time}">`,
    ...report.scenarios.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
