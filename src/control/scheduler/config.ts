// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as data: defaults, merging of the
// default plugin set with a profile's own, multiPoint expansion, validation with field paths.
//
// Callers: the Scheduler resolves its config once at construction; scenarios pass an object,
// files pass YAML. A resolved profile lists, per extension point, the plugin names in run order
// (with score weights), computed as upstream's defaulting (mergePlugins) and framework runtime
// (expandMultiPointPlugins) do.
import { parse as parseYaml } from 'yaml';
import type { JsonObject } from '../store/types.js';

export const schedulerConfigApiVersion = 'kubescheduler.config.k8s.io/v1';
export const defaultSchedulerName = 'default-scheduler';

/** The extension points a profile can configure, besides multiPoint. */
export const extensionPoints = [
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'bind',
] as const;
export type ExtensionPoint = (typeof extensionPoints)[number];

export interface PluginRef {
  name: string;
  /** Score weight; 0 or absent means 1 at the score point. */
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  /** `{name: '*'}` disables every default plugin of this point. */
  disabled?: { name: string }[];
}

export type PluginsConfig = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface ProfileConfig {
  schedulerName?: string;
  plugins?: PluginsConfig;
  pluginConfig?: { name: string; args?: JsonObject }[];
  /** 0 or absent: the configuration-wide value. */
  percentageOfNodesToScore?: number;
}

export interface SchedulerConfigInput {
  apiVersion?: string;
  kind?: string;
  profiles?: ProfileConfig[];
  /** 0 or absent: adaptive (50 − nodes/125, floor 5). */
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
}

export interface ResolvedPlugin {
  name: string;
  /** Score weight, ≥ 1 (only meaningful at the score point). */
  weight: number;
}

export interface ResolvedProfile {
  schedulerName: string;
  /** Plugins per extension point, in run order, before checking which interfaces they have. */
  multiPoint: readonly ResolvedPlugin[];
  /** Explicitly configured plugins per extension point (after merging the defaults). */
  explicit: Readonly<Record<ExtensionPoint, PluginSet>>;
  pluginArgs: ReadonlyMap<string, JsonObject>;
  /** 0: use the configuration-wide value. */
  percentageOfNodesToScore: number;
}

export interface SchedulerConfig {
  profiles: readonly ResolvedProfile[];
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
}

export type ConfigResult = { ok: true; config: SchedulerConfig } | { ok: false; errors: string[] };

/** The v1.32 default MultiPoint list (volume plugins left out: miniku has no volumes). */
export function defaultMultiPoint(): PluginRef[] {
  return [
    { name: 'SchedulingGates' },
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ];
}

/** YAML text as a config object, before defaulting; syntax errors come back as values. */
export function readSchedulerConfigYaml(
  text: string,
): { ok: true; input: SchedulerConfigInput } | { ok: false; errors: string[] } {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return { ok: false, errors: [`invalid YAML: ${(error as Error).message}`] };
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: ['<root>: Invalid value: expected an object'] };
  }
  return { ok: true, input: value as SchedulerConfigInput };
}

/** Parses YAML text into a config; YAML errors and validation errors come back as values. */
export function parseSchedulerConfigYaml(text: string, options: ResolveOptions = {}): ConfigResult {
  const read = readSchedulerConfigYaml(text);
  return read.ok ? resolveSchedulerConfig(read.input, options) : read;
}

export interface ResolveOptions {
  /** Whether a plugin name exists (the registry); absent: every name is accepted. */
  isKnownPlugin?: (name: string) => boolean;
}

/** Defaults, validates and resolves a config object (absent: the default configuration). */
export function resolveSchedulerConfig(
  input: SchedulerConfigInput = {},
  options: ResolveOptions = {},
): ConfigResult {
  const errors = validateTop(input);
  const profilesIn = input.profiles ?? [{}];
  if (profilesIn.length === 0) errors.push('profiles: Required value: at least one profile');
  const seen = new Set<string>();
  const profiles: ResolvedProfile[] = [];
  profilesIn.forEach((profile, index) => {
    const path = `profiles[${index}]`;
    const resolved = resolveProfile(profile, path, errors);
    if (options.isKnownPlugin !== undefined) {
      checkKnown(profile.plugins ?? {}, `${path}.plugins`, options.isKnownPlugin, errors);
    }
    if (seen.has(resolved.schedulerName)) {
      errors.push(`${path}.schedulerName: Duplicate value: "${resolved.schedulerName}"`);
    }
    seen.add(resolved.schedulerName);
    profiles.push(resolved);
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      profiles,
      percentageOfNodesToScore: input.percentageOfNodesToScore ?? 0,
      podInitialBackoffMs: (input.podInitialBackoffSeconds ?? 1) * 1000,
      podMaxBackoffMs: (input.podMaxBackoffSeconds ?? 10) * 1000,
    },
  };
}

function validateTop(input: SchedulerConfigInput): string[] {
  const errors: string[] = [];
  if (input.apiVersion !== undefined && input.apiVersion !== schedulerConfigApiVersion) {
    errors.push(`apiVersion: Unsupported value: "${input.apiVersion}"`);
  }
  if (input.kind !== undefined && input.kind !== 'KubeSchedulerConfiguration') {
    errors.push(`kind: Unsupported value: "${input.kind}"`);
  }
  checkPercentage(input.percentageOfNodesToScore, 'percentageOfNodesToScore', errors);
  const initial = input.podInitialBackoffSeconds ?? 1;
  const max = input.podMaxBackoffSeconds ?? 10;
  if (!Number.isSafeInteger(initial) || initial <= 0) {
    errors.push(`podInitialBackoffSeconds: Invalid value: ${initial}: must be greater than 0`);
  }
  if (!Number.isSafeInteger(max) || max < initial) {
    errors.push(
      `podMaxBackoffSeconds: Invalid value: ${max}: must be greater than or equal to ` +
        'PodInitialBackoffSeconds',
    );
  }
  return errors;
}

function checkPercentage(value: number | undefined, path: string, errors: string[]): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0 || value > 100) {
    errors.push(`${path}: Invalid value: ${value}: not in valid range [0-100]`);
  }
}

function resolveProfile(profile: ProfileConfig, path: string, errors: string[]): ResolvedProfile {
  const schedulerName = profile.schedulerName ?? defaultSchedulerName;
  if (schedulerName === '') errors.push(`${path}.schedulerName: Required value`);
  checkPercentage(profile.percentageOfNodesToScore, `${path}.percentageOfNodesToScore`, errors);
  const custom = profile.plugins ?? {};
  const multiPoint = mergeSet({ enabled: defaultMultiPoint() }, custom.multiPoint);
  const explicit = {} as Record<ExtensionPoint, PluginSet>;
  for (const point of extensionPoints) {
    explicit[point] = mergeSet({}, custom[point]);
    checkRefs(explicit[point].enabled ?? [], `${path}.plugins.${point}.enabled`, errors);
  }
  checkRefs(multiPoint.enabled ?? [], `${path}.plugins.multiPoint.enabled`, errors);
  const pluginArgs = new Map<string, JsonObject>();
  (profile.pluginConfig ?? []).forEach((entry, i) => {
    const entryPath = `${path}.pluginConfig[${i}]`;
    if (typeof entry.name !== 'string' || entry.name === '') {
      errors.push(`${entryPath}.name: Required value`);
    } else if (pluginArgs.has(entry.name)) {
      errors.push(`${entryPath}.name: Duplicate value: "${entry.name}"`);
    } else {
      pluginArgs.set(entry.name, entry.args ?? {});
    }
  });
  return {
    schedulerName,
    multiPoint: (multiPoint.enabled ?? []).map(resolvedRef),
    explicit,
    pluginArgs,
    percentageOfNodesToScore: profile.percentageOfNodesToScore ?? 0,
  };
}

function checkKnown(
  plugins: PluginsConfig,
  path: string,
  isKnown: (name: string) => boolean,
  errors: string[],
): void {
  for (const point of ['multiPoint', ...extensionPoints] as const) {
    (plugins[point]?.enabled ?? []).forEach((ref, i) => {
      if (typeof ref.name === 'string' && ref.name !== '' && !isKnown(ref.name)) {
        errors.push(
          `${path}.${point}.enabled[${i}].name: Invalid value: "${ref.name}": unknown plugin`,
        );
      }
    });
  }
}

function resolvedRef(ref: PluginRef): ResolvedPlugin {
  return { name: ref.name, weight: ref.weight === undefined || ref.weight === 0 ? 1 : ref.weight };
}

function checkRefs(refs: readonly PluginRef[], path: string, errors: string[]): void {
  refs.forEach((ref, i) => {
    if (typeof ref.name !== 'string' || ref.name === '') {
      errors.push(`${path}[${i}].name: Required value`);
    }
    const weight = ref.weight ?? 0;
    if (!Number.isSafeInteger(weight) || weight < 0 || weight > 100) {
      errors.push(`${path}[${i}].weight: Invalid value: ${weight}: not in valid range [0-100]`);
    }
  });
}

/**
 * upstream mergePluginSet: custom disabled names (or `*`) drop defaults; a custom enabled plugin
 * with a default's name replaces it in place; other custom enabled plugins follow, in order.
 */
export function mergeSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  const disabled = custom?.disabled ?? [];
  const disabledNames = new Set(disabled.map((d) => d.name));
  const customEnabled = custom?.enabled ?? [];
  const byName = new Map(customEnabled.map((ref) => [ref.name, ref]));
  const used = new Set<string>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const ref of defaults.enabled ?? []) {
      if (disabledNames.has(ref.name)) continue;
      const replacement = byName.get(ref.name);
      if (replacement !== undefined) used.add(ref.name);
      enabled.push({ ...(replacement ?? ref) });
    }
  }
  for (const ref of customEnabled) if (!used.has(ref.name)) enabled.push({ ...ref });
  return { enabled, disabled: disabled.map((d) => ({ name: d.name })) };
}

/**
 * upstream expandMultiPointPlugins for one extension point. `implementsPoint` says whether a
 * plugin has that interface. Order: plugins enabled at the point that override multiPoint ones
 * (in the point's order), then the remaining multiPoint plugins, then the point's other plugins.
 */
export function pluginsForPoint(
  profile: ResolvedProfile,
  point: ExtensionPoint,
  implementsPoint: (name: string) => boolean,
): ResolvedPlugin[] {
  const set = profile.explicit[point];
  const enabled = (set.enabled ?? []).map(resolvedRef);
  const disabled = new Set((set.disabled ?? []).map((d) => d.name));
  const enabledNames = new Set(enabled.map((p) => p.name));
  const overrides = new Set<string>();
  const fromMultiPoint: ResolvedPlugin[] = [];
  if (!disabled.has('*')) {
    for (const plugin of profile.multiPoint) {
      if (!implementsPoint(plugin.name) || disabled.has(plugin.name)) continue;
      if (enabledNames.has(plugin.name)) {
        overrides.add(plugin.name);
        continue;
      }
      fromMultiPoint.push(plugin);
    }
  }
  const first = enabled.filter((p) => overrides.has(p.name));
  const rest = enabled.filter((p) => !overrides.has(p.name));
  return [...first, ...fromMultiPoint, ...rest];
}
