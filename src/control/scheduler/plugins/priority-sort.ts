// PrioritySort queue-sort plugin: higher priority first, then earlier queue timestamp.
import type { Plugin, PluginFactory, QueuedPodInfo } from '../framework/types.js';

export const NAME = 'PrioritySort';

/** True when a should be popped before b (total: the insertion sequence breaks ties). */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.priority;
  const pb = b.podInfo.priority;
  if (pa !== pb) return pa > pb;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs < b.timestampMs;
  return a.sequence < b.sequence;
}

export const factory: PluginFactory = (): Plugin => ({ name: NAME, less: prioritySortLess });
