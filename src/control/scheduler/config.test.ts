import { describe, expect, it } from 'vitest';
import type { ResolvedProfile } from './config.js';
import { parseSchedulerConfigYaml, pluginsForPoint, resolveSchedulerConfig } from './config.js';

const scorePlugins = new Set([
  'TaintToleration',
  'NodeAffinity',
  'NodeResourcesFit',
  'PodTopologySpread',
  'InterPodAffinity',
  'NodeResourcesBalancedAllocation',
  'ImageLocality',
]);

function defaultProfile(input = {}): ResolvedProfile {
  const result = resolveSchedulerConfig(input);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config.profiles[0]!;
}

describe('resolveSchedulerConfig', () => {
  it('defaults to one default-scheduler profile with upstream backoffs', () => {
    const result = resolveSchedulerConfig();
    expect(result.ok && result.config.profiles.map((p) => p.schedulerName)).toEqual([
      'default-scheduler',
    ]);
    expect(result.ok && [result.config.podInitialBackoffMs, result.config.podMaxBackoffMs]).toEqual(
      [1000, 10000],
    );
  });

  it('expands the default multiPoint set into score plugins with upstream weights', () => {
    const score = pluginsForPoint(defaultProfile(), 'score', (n) => scorePlugins.has(n));
    expect(score.map((p) => `${p.name}:${p.weight}`)).toEqual([
      'TaintToleration:3',
      'NodeAffinity:2',
      'NodeResourcesFit:1',
      'PodTopologySpread:2',
      'InterPodAffinity:2',
      'NodeResourcesBalancedAllocation:1',
      'ImageLocality:1',
    ]);
    expect(score.reduce((sum, p) => sum + p.weight * 100, 0)).toBe(1200);
  });

  it('lets an explicit extension point override a multiPoint weight and order', () => {
    const profile = defaultProfile({
      profiles: [
        {
          plugins: {
            score: {
              enabled: [
                { name: 'ImageLocality', weight: 5 },
                { name: 'Custom', weight: 2 },
              ],
              disabled: [{ name: 'TaintToleration' }],
            },
          },
        },
      ],
    });
    const score = pluginsForPoint(profile, 'score', (n) => scorePlugins.has(n) || n === 'Custom');
    expect(score.map((p) => `${p.name}:${p.weight}`)).toEqual([
      'ImageLocality:5',
      'NodeAffinity:2',
      'NodeResourcesFit:1',
      'PodTopologySpread:2',
      'InterPodAffinity:2',
      'NodeResourcesBalancedAllocation:1',
      'Custom:2',
    ]);
  });

  it('drops every multiPoint plugin of a point disabled with *', () => {
    const profile = defaultProfile({
      profiles: [{ plugins: { score: { disabled: [{ name: '*' }] } } }],
    });
    expect(pluginsForPoint(profile, 'score', (n) => scorePlugins.has(n))).toEqual([]);
  });

  it('replaces a default multiPoint weight in place', () => {
    const profile = defaultProfile({
      profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'NodeAffinity', weight: 7 }] } } }],
    });
    const names = profile.multiPoint.map((p) => `${p.name}:${p.weight}`);
    expect(names.indexOf('NodeAffinity:7')).toBe(5);
  });

  it('reports invalid values with field paths', () => {
    const result = resolveSchedulerConfig({
      percentageOfNodesToScore: 150,
      podInitialBackoffSeconds: 5,
      podMaxBackoffSeconds: 2,
      profiles: [
        { schedulerName: 'a' },
        { schedulerName: 'a', plugins: { score: { enabled: [{ name: 'X', weight: -1 }] } } },
      ],
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'percentageOfNodesToScore: Invalid value: 150: not in valid range [0-100]',
      'podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds',
      'profiles[1].plugins.score.enabled[0].weight: Invalid value: -1: not in valid range [0-100]',
      'profiles[1].schedulerName: Duplicate value: "a"',
    ]);
  });
});

describe('parseSchedulerConfigYaml', () => {
  it('reads profiles, plugin args and backoffs from YAML', () => {
    const result = parseSchedulerConfigYaml(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
podMaxBackoffSeconds: 20
profiles:
  - schedulerName: spread
    pluginConfig:
      - name: NodeResourcesFit
        args: {scoringStrategy: {type: MostAllocated}}
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.podMaxBackoffMs).toBe(20_000);
    const profile = result.config.profiles[0]!;
    expect(profile.schedulerName).toBe('spread');
    expect(profile.pluginArgs.get('NodeResourcesFit')).toEqual({
      scoringStrategy: { type: 'MostAllocated' },
    });
  });

  it('returns YAML syntax errors as values', () => {
    const result = parseSchedulerConfigYaml('profiles: [');
    expect(result.ok).toBe(false);
  });
});

describe('plugin name validation', () => {
  it('reports unknown plugins with their field path', () => {
    const result = resolveSchedulerConfig(
      { profiles: [{ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] },
      { isKnownPlugin: (name) => name !== 'Nope' },
    );
    expect(!result.ok && result.errors).toEqual([
      'profiles[0].plugins.filter.enabled[0].name: Invalid value: "Nope": unknown plugin',
    ]);
  });
});
