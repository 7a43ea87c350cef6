// PodTopologySpread's constraints: the pod's own (with matchLabelKeys merged into the selector) or
// the defaults from the plugin args (`defaultingType: System` or `List`), and pod counting.
import type { JsonObject } from '../../store/types.js';
import {
  matchesLabels,
  nothingLabelSelector,
  selectorFromLabelSelector,
} from '../../api/values/labels.js';
import type { LabelSelector, LabelSelectorObject } from '../../api/values/labels.js';
import { labelSelectorOf, newLabelRequirement } from '../../api/values/label-requirement.js';
import type { LabelRequirement } from '../../api/values/label-requirement.js';
import type { NodeInfo, PodInfo } from '../framework/types.js';
import { labelPairKey } from '../framework/node-info.js';
import { assert } from '../../util/assert.js';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';

/** A constraint ready to evaluate (upstream's internal topologySpreadConstraint). */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector;
  /** 1 when unset. */
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

/** The API object's shape (pod.spec.topologySpreadConstraints[] and args.defaultConstraints). */
export interface TopologySpreadConstraintObject {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: WhenUnsatisfiable;
  labelSelector?: LabelSelectorObject | null;
  minDomains?: number | null;
  nodeAffinityPolicy?: 'Honor' | 'Ignore' | null;
  nodeTaintsPolicy?: 'Honor' | 'Ignore' | null;
  matchLabelKeys?: readonly string[] | null;
}

export const hostnameLabel = 'kubernetes.io/hostname';
export const zoneLabel = 'topology.kubernetes.io/zone';

/** Upstream's systemDefaultConstraints (used with `defaultingType: System`). */
export const systemDefaultConstraints: readonly TopologySpreadConstraintObject[] = [
  { maxSkew: 3, topologyKey: hostnameLabel, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: zoneLabel, whenUnsatisfiable: 'ScheduleAnyway' },
];

export interface SpreadArgs {
  defaultConstraints: readonly TopologySpreadConstraintObject[];
  systemDefaulted: boolean;
}

/** Reads PodTopologySpreadArgs, defaulting to `defaultingType: System`. */
export function spreadArgsOf(args: JsonObject | undefined): SpreadArgs {
  const defaultingType = (args?.['defaultingType'] as string | undefined) ?? 'System';
  assert(defaultingType === 'System' || defaultingType === 'List', 'defaultingType');
  if (defaultingType === 'System') {
    return { defaultConstraints: systemDefaultConstraints, systemDefaulted: true };
  }
  const list = (args?.['defaultConstraints'] ??
    []) as unknown as readonly TopologySpreadConstraintObject[];
  return { defaultConstraints: list, systemDefaulted: false };
}

function withMatchLabelKeys(
  selector: LabelSelector,
  keys: readonly string[],
  podLabels: Readonly<Record<string, string>>,
): LabelSelector {
  if (selector.kind === 'nothing' || keys.length === 0) return selector;
  const requirements: LabelRequirement[] = [...selector.requirements];
  for (const key of keys) {
    const value = podLabels[key];
    if (value === undefined) continue;
    const result = newLabelRequirement(key, 'in', [value]);
    if (result.ok) requirements.push(result.requirement);
  }
  return labelSelectorOf(requirements);
}

function toConstraint(
  c: TopologySpreadConstraintObject,
  selector: LabelSelector,
): SpreadConstraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector,
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
  };
}

/** helper.DefaultSelector: the union of the requirements of every object selecting the pod. */
function defaultSelector(selectors: readonly LabelSelector[]): LabelSelector | undefined {
  const requirements = selectors.flatMap((s) => (s.kind === 'requirements' ? s.requirements : []));
  return requirements.length === 0 ? undefined : labelSelectorOf(requirements);
}

/**
 * The constraints of one kind for the pod: its own when it has any, else the defaults built
 * with `selectorsFor` (none when nothing selects the pod).
 */
export function constraintsFor(
  pod: PodInfo,
  action: WhenUnsatisfiable,
  options: { args: SpreadArgs; selectorsFor: (pod: PodInfo) => readonly LabelSelector[] },
): SpreadConstraint[] {
  const spec = (pod.pod['spec'] ?? {}) as Record<string, unknown>;
  const own = (spec['topologySpreadConstraints'] ??
    []) as readonly TopologySpreadConstraintObject[];
  if (own.length > 0) {
    return own
      .filter((c) => c.whenUnsatisfiable === action)
      .map((c) => {
        const parsed = selectorFromLabelSelector(c.labelSelector);
        const base = parsed.ok ? parsed.selector : nothingLabelSelector;
        return toConstraint(c, withMatchLabelKeys(base, c.matchLabelKeys ?? [], pod.labels));
      });
  }
  const defaults = options.args.defaultConstraints.filter((c) => c.whenUnsatisfiable === action);
  if (defaults.length === 0) return [];
  const selector = defaultSelector(options.selectorsFor(pod));
  if (selector === undefined) return [];
  return defaults.map((c) => toConstraint(c, selector));
}

/** countPodsMatchSelector: same namespace, not terminating, labels match. */
export function countMatchingPods(
  pods: readonly PodInfo[],
  selector: LabelSelector,
  namespace: string,
): number {
  let count = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (matchesLabels(selector, p.labels)) count++;
  }
  return count;
}

/**
 * countMatchingPods for one selector and namespace, built once per cycle: a one-value equality
 * selector (a ReplicaSet's or a Service's usual one) reads the node's label-pair counts instead
 * of walking its pods.
 */
export function matchingPodCounter(
  selector: LabelSelector,
  namespace: string,
): (node: NodeInfo) => number {
  const walk = (node: NodeInfo) => countMatchingPods(node.pods, selector, namespace);
  if (selector.kind !== 'requirements' || selector.requirements.length !== 1) return walk;
  const only = selector.requirements[0] as LabelRequirement;
  const op = only.operator;
  if (only.values.length !== 1 || (op !== '=' && op !== '==' && op !== 'in')) return walk;
  const pair = labelPairKey(namespace, only.key, only.values[0] as string);
  return (node) => {
    const counts = node.labelPairCounts;
    return counts === undefined ? walk(node) : (counts.get(pair) ?? 0);
  };
}

/** The node has every constraint's topology key. */
export function nodeHasAllKeys(
  labels: Readonly<Record<string, string>>,
  constraints: readonly SpreadConstraint[],
): boolean {
  return constraints.every((c) => Object.hasOwn(labels, c.topologyKey));
}
