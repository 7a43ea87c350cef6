// Renders one vega-lite spec to SVG text offline: vega-lite compile, then a headless vega View
// (renderer 'none') with a loader that refuses every fetch, then ids made deterministic.

import * as vega from 'vega';
import type { Loader, ViewOptions } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { assert, AssertionError } from '../../control/util/assert.js';

function refuse(what: string): Promise<never> {
  return Promise.reject(
    new AssertionError(`Report charts must not load anything: vega tried to load ${what}`),
  );
}

/** A vega loader for which every load fails: report charts carry their data inline. */
export const offlineLoader: Loader = {
  load: (uri) => refuse(`"${uri}"`),
  sanitize: (uri) => refuse(`"${uri}"`),
  http: (uri) => refuse(`"${uri}"`),
  file: (filename) => refuse(`"${filename}"`),
};

/**
 * Renames every element id of the SVG (and its url(#…) / href="#…" references) to
 * `<prefix>-<n>`, n counting definitions in document order. vega numbers clip paths and
 * gradients from process-wide counters, so the same chart drawn twice would otherwise differ,
 * and two charts in one page could collide.
 */
export function renumberSvgIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const match of svg.matchAll(/\bid="([^"]*)"/g)) {
    const id = match[1] as string;
    if (!names.has(id)) names.set(id, `${prefix}-${names.size + 1}`);
  }
  const reference = /\bid="([^"]*)"|url\(#([^)]*)\)|href="#([^"]*)"/g;
  return svg.replace(reference, (whole, defined?: string, url?: string, href?: string) => {
    if (defined !== undefined) return `id="${names.get(defined) ?? defined}"`;
    if (url !== undefined) return `url(#${names.get(url) ?? url})`;
    if (href !== undefined) return `href="#${names.get(href) ?? href}"`;
    return whole;
  });
}

interface TextMetrics {
  canvas(use: boolean): void;
}

/**
 * Makes vega estimate text widths from character counts instead of measuring them with the
 * optional `canvas` package and the host's fonts, which would make the SVG differ between
 * machines. vega's typings omit `textMetrics` (a vega-scenegraph export), hence the lookup.
 */
function useEstimatedTextWidths(): void {
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  assert(typeof metrics?.canvas === 'function', 'vega no longer exports textMetrics.canvas');
  metrics.canvas(false);
}

type VegaLogger = NonNullable<ViewOptions['logger']>;

/**
 * vega's and vega-lite's logger: keeps warnings and errors instead of printing them. Arrow
 * properties, because vega calls its logger's methods unbound.
 */
class CollectingLogger implements VegaLogger {
  readonly problems: string[] = [];
  private levelValue = 2;

  readonly level = (next?: number): number | VegaLogger => {
    if (next === undefined) return this.levelValue;
    this.levelValue = next;
    return this;
  };

  readonly error = (...args: unknown[]): this => this.keep('error', args);
  readonly warn = (...args: unknown[]): this => this.keep('warning', args);
  readonly info = (): this => this;
  readonly debug = (): this => this;

  private keep(kind: string, args: readonly unknown[]): this {
    this.problems.push(`${kind}: ${args.map(String).join(' ')}`);
    return this;
  }
}

/**
 * The chart as standalone SVG text. Rejects when vega would need to load anything, and when
 * vega-lite or vega report any warning or error (they would otherwise only log it and draw a
 * wrong or empty chart): a report chart that needs either is a programmer error.
 */
export async function renderChartSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  useEstimatedTextWidths();
  const logger = new CollectingLogger();
  const vegaSpec = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vegaSpec), {
    renderer: 'none',
    loader: offlineLoader,
    logger,
  });
  try {
    const svg = await view.toSVG();
    if (logger.problems.length > 0) {
      throw new AssertionError(
        `Chart "${idPrefix}" did not render cleanly: ${logger.problems.join('; ')}`,
      );
    }
    return renumberSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}
