// Locale-free text formatting for reports: numbers, durations, HTML and Markdown escaping.

import { assert } from '../../control/util/assert.js';

/** Most fraction digits a formatted non-integer keeps (trailing zeros are dropped). */
export const fractionDigitsMax = 3;

/**
 * A number as report text: safe integers as plain digits, other finite numbers rounded to
 * three fraction digits with trailing zeros dropped (`1.5`, `0.333`), never `-0`. Only
 * ECMAScript's Number-to-string rules are used, which do not depend on the host locale.
 */
export function formatNumber(value: number): string {
  assert(Number.isFinite(value), `cannot format ${value}`);
  if (Number.isSafeInteger(value)) return value === 0 ? '0' : String(value);
  const fixed = value.toFixed(fractionDigitsMax);
  if (fixed.includes('e')) return fixed;
  const trimmed = fixed.replace(/\.?0+$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** A virtual instant or duration in ms, as seconds: `120 s`, `1.5 s`. */
export function formatSeconds(ms: number): string {
  return `${formatNumber(ms / 1000)} s`;
}

/** A duration in ms: `12 ms`, `0.5 ms`. */
export function formatMilliseconds(ms: number): string {
  return `${formatNumber(ms)} ms`;
}

const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** Text safe inside one cell of a GitHub-flavoured Markdown table, on one line. */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkdownText(text).replace(/\|/g, '\\|');
}

/** Text that Markdown shows as written: no HTML, no emphasis or links, on one line. */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]]/g, (character) => `\\${character}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Code-unit order: total, and independent of the host locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * A self-contained HTML page: the title (also its h1), an inline style sheet and the body's
 * parts, one per line, inside <main>.
 */
export function htmlPage(title: string, style: string, body: readonly string[]): string {
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</main>',
    '</body>',
    '</html>',
  ];
  return `${parts.join('\n')}\n`;
}
