// The A/B compare's public surface: the model, the comparison of two runs and its renderers.
export type {
  CompareData,
  ExpectationRow,
  LatencySamples,
  MetricRow,
  MovedPod,
  NodeRow,
  Side,
  SpreadBalance,
  ZoneRow,
} from './compare-model.js';
export { compareFormatVersion } from './compare-model.js';
export type { CompareOptions } from './compare-runs.js';
export {
  comparePodIds,
  compareRuns,
  latencySampleCountMax,
  movedPodsMax,
  noZone,
} from './compare-runs.js';
export type { NodeFacts } from './node-zones.js';
export { nodeFactsOf } from './node-zones.js';
export { renderCompareHtml, renderCompareJson, renderCompareMarkdown } from './render-compare.js';
export { movedSentence, renderCompareSummary, summaryLinesMax } from './render-compare-summary.js';
