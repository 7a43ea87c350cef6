// Tests for the report's locale-free formatting and escaping.

import { describe, expect, it } from 'vitest';
import {
  compareText,
  escapeHtml,
  escapeMarkdownCell,
  escapeMarkdownText,
  formatMilliseconds,
  formatNumber,
  formatSeconds,
} from './format.js';

describe('formatNumber', () => {
  it('writes integers as plain digits without grouping', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(48211)).toBe('48211');
    expect(formatNumber(-7)).toBe('-7');
    expect(formatNumber(1_000_000_000)).toBe('1000000000');
  });

  it('rounds other numbers to three fraction digits and drops trailing zeros', () => {
    expect(formatNumber(41.25)).toBe('41.25');
    expect(formatNumber(1 / 3)).toBe('0.333');
    expect(formatNumber(2.0005)).toBe('2.001');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(100.0001)).toBe('100');
  });

  it('never writes negative zero', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-0.0001)).toBe('0');
  });

  it('rejects numbers that are not finite', () => {
    expect(() => formatNumber(Number.NaN)).toThrow(/cannot format NaN/);
    expect(() => formatNumber(Infinity)).toThrow(/cannot format Infinity/);
  });

  it('formats instants as seconds and durations as milliseconds', () => {
    expect(formatSeconds(120_000)).toBe('120 s');
    expect(formatSeconds(472_960)).toBe('472.96 s');
    expect(formatSeconds(94)).toBe('0.094 s');
    expect(formatMilliseconds(2915)).toBe('2915 ms');
  });
});

describe('escaping', () => {
  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('keeps a Markdown table cell on one line and its pipes literal', () => {
    expect(escapeMarkdownCell('a | b\nc')).toBe('a \\| b c');
  });

  it('keeps Markdown emphasis, code and HTML from taking effect', () => {
    expect(escapeMarkdownText('*x* _y_ `z` <b> [l](u)')).toBe(
      '\\*x\\* \\_y\\_ \\`z\\` &lt;b&gt; \\[l\\](u)',
    );
  });
});

describe('compareText', () => {
  it('orders by UTF-16 code units, a total order', () => {
    const names = ['worker-2', 'worker-10', 'Worker-1', 'worker-1'];
    expect([...names].sort(compareText)).toEqual(['Worker-1', 'worker-1', 'worker-10', 'worker-2']);
    expect(compareText('a', 'a')).toBe(0);
  });
});
