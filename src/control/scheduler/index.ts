// The scheduler package: the Scheduler component, its configuration, queue, cache and runtime.
export { Scheduler, SchedulerConfigError } from './scheduler.js';
export { podScheduledPatch } from './pod-status-patch.js';
export type { SchedulerOptions, SchedulerStats } from './scheduler.js';
export {
  defaultMultiPoint,
  defaultSchedulerName,
  extensionPoints,
  mergeSet,
  parseSchedulerConfigYaml,
  readSchedulerConfigYaml,
  pluginsForPoint,
  resolveSchedulerConfig,
  schedulerConfigApiVersion,
} from './config.js';
export type {
  ConfigResult,
  ExtensionPoint,
  PluginRef,
  PluginSet,
  PluginsConfig,
  ProfileConfig,
  ResolveOptions,
  ResolvedPlugin,
  ResolvedProfile,
  SchedulerConfig,
  SchedulerConfigInput,
} from './config.js';
export { SchedulingQueue, KeyedHeap, isPodUpdated } from './queue.js';
export type { ClusterEvent, SchedulingQueueOptions } from './queue.js';
export { SchedulerCache, CacheSnapshot } from './cache.js';
export { fitErrorMessage, reasonHistogram } from './failure-message.js';
export type { FitFailure } from './failure-message.js';
export { recordDecision, summaryFields, fullFields, topNodes } from './explain.js';
export type { Decision, FilterOutcome, PluginScore, ScoredNode } from './explain.js';
export { Framework, numFeasibleNodesToFind, selectHost } from './framework/runtime.js';
export type { CycleOutcome, FrameworkOptions, SamplingState } from './framework/runtime.js';
export { inTreeRegistry } from './framework/registry.js';
export type { PluginRegistry } from './framework/registry.js';
