// DefaultBinder: binds the pod by POSTing pods/<name>/binding through the framework handle.
import type {
  CycleState,
  PodInfo,
  Plugin,
  PluginContext,
  PluginFactory,
  Status,
} from '../framework/types.js';

export const NAME = 'DefaultBinder';

export const factory: PluginFactory = (context: PluginContext): Plugin => ({
  name: NAME,
  bind: (_state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> =>
    context.handle.bindPod(pod, nodeName),
});
