// The seed sweep's public surface: per-run metrics, seed lists and shards, the result model,
// summarising and merging, and the JSON and text renderers.
export type { Balance } from './run-metrics.js';
export { balanceOf, latencyPercentiles, podsPerNodeAtEnd, runMetrics } from './run-metrics.js';
export type { Parsed, SeedList, Shard } from './seed-list.js';
export {
  parseSeedList,
  parseShard,
  seedListText,
  shardSeeds,
  sweepSeedCountMax,
} from './seed-list.js';
export type {
  ExpectationSummary,
  FailingSeed,
  MetricSummary,
  ShardSet,
  SweepResult,
  SweepRun,
  SweepRunError,
  SweepSummary,
} from './sweep-model.js';
export { sweepFormatVersion } from './sweep-model.js';
export type { SweepInput } from './summarise-sweep.js';
export { mergeSweeps, reproduceCommand, summariseSweep } from './summarise-sweep.js';
export { renderSweepJson, sweepResultFromJson } from './sweep-json.js';
export { failingSeedsListedMax, renderSweepText } from './render-sweep-text.js';
