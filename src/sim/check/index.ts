// `sim check`'s public surface: baselines from reports, their text, comparison and result forms.
export type {
  Baseline,
  BaselineExpectation,
  BaselineFault,
  BaselineMetric,
  BaselinePlacement,
  BaselinePlacements,
  PlacementCount,
  Verdict,
} from './baseline-model.js';
export { baselineFormatVersion, placementLinesMaxDefault } from './baseline-model.js';
export type { BuildBaselineOptions } from './build-baseline.js';
export { baselineOf, keyMetrics, reportMetricNames } from './build-baseline.js';
export type { ParseBaselineResult } from './baseline-text.js';
export { parseBaseline, renderBaseline } from './baseline-text.js';
export type { Tolerance, ToleranceConfig, ToleranceRule } from './tolerances.js';
export {
  defaultToleranceRules,
  emptyToleranceConfig,
  parseTolerances,
  toleranceFor,
  withinTolerance,
} from './tolerances.js';
export type {
  BaselineDiff,
  CountChange,
  ExpectationFlip,
  MetricChange,
  MetricValue,
  PodMove,
  PodPresence,
} from './compare-baseline.js';
export { compareBaselines, diffIsEmpty } from './compare-baseline.js';
export type { CheckReport, CheckStatus, ScenarioCheck } from './check-result.js';
export {
  checkPassed,
  countByStatus,
  isFailure,
  mergeCheckReports,
  parseCheckJson,
  renderCheckJson,
  sortChecks,
} from './check-result.js';
export {
  diffSummary,
  renderCheckText,
  renderScenarioText,
  renderSummaryText,
} from './render-check-text.js';
export { escapeXml, renderJunit } from './render-junit.js';
export type { Shard } from './shard.js';
export { parseShard, shardItems } from './shard.js';
