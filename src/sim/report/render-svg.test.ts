// Tests for offline chart rendering: no loading, no silent warnings, deterministic ids.

import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { renderChartSvg, renumberSvgIds } from './render-svg.js';

const pointSpec: TopLevelSpec = {
  data: {
    values: [
      { x: 1, y: 2 },
      { x: 3, y: 1 },
    ],
  },
  mark: 'point',
  encoding: {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
  },
};

describe('renumberSvgIds', () => {
  it('renames ids in document order together with their references', () => {
    const svg =
      '<defs><clipPath id="clip7"/><linearGradient id="gradient_3"/></defs>' +
      '<g clip-path="url(#clip7)"><rect fill="url(#gradient_3)"/><use href="#clip7"/></g>';
    expect(renumberSvgIds(svg, 'chart-a')).toBe(
      '<defs><clipPath id="chart-a-1"/><linearGradient id="chart-a-2"/></defs>' +
        '<g clip-path="url(#chart-a-1)"><rect fill="url(#chart-a-2)"/><use href="#chart-a-1"/></g>',
    );
  });

  it('gives the same text whatever numbers vega happened to use', () => {
    const first = '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>';
    const later = '<clipPath id="clip42"/><g clip-path="url(#clip42)"/>';
    expect(renumberSvgIds(first, 'p')).toBe(renumberSvgIds(later, 'p'));
  });
});

describe('renderChartSvg', () => {
  it('draws a chart as standalone SVG', async () => {
    const svg = await renderChartSvg(pointSpec, 'chart-test');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('role-mark');
  });

  it('draws clipped charts identically however many charts were drawn before', async () => {
    const clipped: TopLevelSpec = {
      ...pointSpec,
      mark: { type: 'point', clip: true },
    } as TopLevelSpec;
    const first = await renderChartSvg(clipped, 'chart-clip');
    await renderChartSvg(clipped, 'chart-other');
    const again = await renderChartSvg(clipped, 'chart-clip');
    expect(first).toContain('id="chart-clip-1"');
    expect(first).toContain('url(#chart-clip-1)');
    expect(again).toBe(first);
  });

  it('refuses to load data from a URL instead of fetching it', async () => {
    const remote: TopLevelSpec = { ...pointSpec, data: { url: 'https://example.com/data.json' } };
    await expect(renderChartSvg(remote, 'chart-remote')).rejects.toThrow(
      /must not load anything: vega tried to load "https:\/\/example.com\/data.json"/,
    );
  });

  it('fails on a vega-lite warning rather than drawing a wrong chart', async () => {
    const wrongField: TopLevelSpec = {
      ...pointSpec,
      encoding: { x: { field: 'x', type: 'quantitative', aggregate: 'nonsense' as 'sum' } },
    };
    await expect(renderChartSvg(wrongField, 'chart-bad')).rejects.toThrow(
      /did not render cleanly: warning/,
    );
  });
});
