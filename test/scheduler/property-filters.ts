// An independent Filter evaluation for property tests: builds a profile's PreFilter and Filter
// plugins fresh from the in-tree registry and runs them on one node of a captured snapshot.
import type { ResolvedProfile, SchedulerConfigInput } from '../../src/control/scheduler/config.js';
import { pluginsForPoint, resolveSchedulerConfig } from '../../src/control/scheduler/config.js';
import { inTreeRegistry } from '../../src/control/scheduler/framework/registry.js';
import { CycleState } from '../../src/control/scheduler/framework/types.js';
import type {
  NodeInfo,
  Plugin,
  PodInfo,
  Status,
} from '../../src/control/scheduler/framework/types.js';
import { nullHandle, snapshotOf } from './fixtures.js';

export function resolvedProfile(config: SchedulerConfigInput): ResolvedProfile {
  const resolved = resolveSchedulerConfig(config);
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  const profile = resolved.config.profiles[0];
  if (profile === undefined) throw new Error('no profile');
  return profile;
}

/** A profile's PreFilter and Filter plugins in run order, built fresh from the registry. */
export interface FilterPlugins {
  preFilters: Plugin[];
  filters: Plugin[];
}

export function filterPluginsOf(profile: ResolvedProfile): FilterPlugins {
  const plugins = instances(profile);
  const at = (point: 'preFilter' | 'filter'): Plugin[] =>
    pluginsForPoint(profile, point, (n) => plugins.get(n)?.[point] !== undefined).map(
      (p) => plugins.get(p.name) as Plugin,
    );
  return { preFilters: at('preFilter'), filters: at('filter') };
}

function instances(profile: ResolvedProfile): Map<string, Plugin> {
  const registry = inTreeRegistry();
  const out = new Map<string, Plugin>();
  for (const { name } of profile.multiPoint) {
    const factory = registry.get(name);
    if (factory === undefined) throw new Error(`unknown plugin ${name}`);
    const args = profile.pluginArgs.get(name);
    out.set(name, factory({ args, schedulerName: profile.schedulerName, handle: nullHandle }));
  }
  return out;
}

/**
 * The first failing PreFilter or Filter verdict for `pod` on `nodeName` (undefined: it fits),
 * as `Plugin: reason`. A PreFilter that narrows the candidates without `nodeName` fails too.
 */
export function independentFilterFailure(
  plugins: FilterPlugins,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  nodeName: string,
): string | undefined {
  const node = nodes.find((n) => n.name === nodeName);
  if (node === undefined) return `node ${nodeName} is not in the snapshot`;
  const snapshot = snapshotOf(nodes);
  const state = new CycleState();
  const skipped = new Set<string>();
  for (const plugin of plugins.preFilters) {
    const { result, status } = plugin.preFilter?.(state, pod, snapshot) ?? {
      status: { code: 'Success', reasons: [] } as Status,
    };
    if (status.code === 'Skip') {
      skipped.add(plugin.name);
      continue;
    }
    if (status.code !== 'Success') return `${plugin.name} PreFilter: ${status.reasons.join(', ')}`;
    if (result?.nodeNames !== undefined && !result.nodeNames.has(nodeName)) {
      return `${plugin.name} PreFilter excludes ${nodeName}`;
    }
  }
  for (const plugin of plugins.filters) {
    if (skipped.has(plugin.name)) continue;
    const status = plugin.filter?.(state, pod, node);
    if (status !== undefined && status.code !== 'Success') {
      return `${plugin.name}: ${status.code} ${status.reasons.join(', ')}`;
    }
  }
  return undefined;
}
