// report.json: the bounded ReportData as canonical, indented JSON text.

import { isJsonSafe, toJsonSafe } from '../../control/api/values/canonical-json.js';
import type { JsonArray, JsonObject, JsonValue } from '../../control/api/values/canonical-json.js';
import { assert } from '../../control/util/assert.js';
import { boundReportData } from './bound-report.js';
import type { BoundOptions } from './bound-report.js';
import type { ReportData } from './report-data.js';

/** Version of report.json's shape; bump it when a field changes meaning or moves. */
export const reportFormatVersion = 1;

/** A container stays on one line when its compact text plus indentation is this wide at most. */
const inlineWidthMax = 100;

interface Rendered {
  /** Canonical compact text. */
  compact: string;
  /** The indented text at this depth. */
  pretty: string;
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** One pass, bottom-up: a container's compact text decides whether it stays on one line. */
function rendered(value: JsonValue, depth: number): Rendered {
  if (typeof value !== 'object' || value === null) {
    const text = JSON.stringify(value);
    return { compact: text, pretty: text };
  }
  const inner = '  '.repeat(depth + 1);
  const isArray = Array.isArray(value);
  const record = value as JsonObject;
  const keys = isArray ? [] : Object.keys(record).sort(compareKeys);
  const items = isArray
    ? (value as JsonArray).map((item) => rendered(item, depth + 1))
    : keys.map((key) => rendered(record[key] ?? null, depth + 1));
  const labels = isArray ? items.map(() => '') : keys.map((key) => JSON.stringify(key));
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  const compactLabel = (i: number): string => (isArray ? '' : `${labels[i]}:`);
  const compact = `${open}${items.map((item, i) => compactLabel(i) + item.compact).join(',')}${close}`;
  if (items.length === 0 || compact.length + 2 * depth <= inlineWidthMax) {
    return { compact, pretty: compact };
  }
  const prettyLabel = (i: number): string => (isArray ? '' : `${labels[i]}: `);
  const lines = items.map((item, i) => inner + prettyLabel(i) + item.pretty);
  return { compact, pretty: `${open}\n${lines.join(',\n')}\n${'  '.repeat(depth)}${close}` };
}

/**
 * JSON text in one canonical form: keys sorted by UTF-16 code units at every depth, numbers as
 * ECMAScript prints them (JSON.stringify), a container on one line when its compact text plus
 * indentation fits in 100 columns, otherwise one member per line indented by two spaces.
 * Throws on values that are not JSON-safe.
 */
export function canonicalJsonText(value: unknown): string {
  assert(isJsonSafe(value), 'canonicalJsonText: value is not JSON-safe');
  return `${rendered(value, 0).pretty}\n`;
}

/**
 * report.json: `reportFormatVersion` plus every field of ReportData (README.md), with series
 * bounded as the charts draw them and -0 written as 0. Same data, same bytes.
 */
export function renderReportJson(data: ReportData, options: BoundOptions = {}): string {
  const report = toJsonSafe({ reportFormatVersion, ...boundReportData(data, options) });
  assert(report !== undefined, 'report data must be JSON-safe');
  return canonicalJsonText(report);
}
