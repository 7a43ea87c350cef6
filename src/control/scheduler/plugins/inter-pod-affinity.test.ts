// Tests for InterPodAffinity: the three filter reasons, the first-pod rule, namespaces and scoring.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { CycleState } from '../framework/types.js';
import type { FrameworkHandle, NodeInfo, Plugin, PodInfo } from '../framework/types.js';
import {
  makeNode,
  makePod,
  makeSnapshot,
  RecordingHandle,
} from '../../../../test/scheduler/plugin-fixtures.js';
import {
  factory,
  reasonAffinityRulesNotMatch,
  reasonAntiAffinityRulesNotMatch,
  reasonExistingAntiAffinityRulesNotMatch,
} from './inter-pod-affinity.js';

const zone = 'topology.kubernetes.io/zone';
const host = 'kubernetes.io/hostname';

function plugin(args?: JsonObject, handle: FrameworkHandle = new RecordingHandle()): Plugin {
  return factory({ args, schedulerName: 'default-scheduler', handle });
}

function term(app: string, topologyKey: string, extra = {}) {
  return { labelSelector: { matchLabels: { app } }, topologyKey, ...extra };
}

function withAffinity(name: string, labels: Record<string, string>, affinity: object, ns?: string) {
  return makePod(name, { labels, spec: { affinity }, ...(ns ? { namespace: ns } : {}) });
}

function runFilter(p: Plugin, pod: PodInfo, nodes: NodeInfo[]) {
  const state = new CycleState();
  const pre = p.preFilter!(state, pod, makeSnapshot(nodes));
  if (pre.status.code === 'Skip') return 'skip';
  return nodes.map((n) => {
    const s = p.filter!(state, pod, n);
    return [n.name, s.code, ...s.reasons].join(' ');
  });
}

function runScore(p: Plugin, pod: PodInfo, nodes: NodeInfo[]) {
  const state = new CycleState();
  if (p.preScore!(state, pod, nodes, makeSnapshot(nodes)).code === 'Skip') return 'skip';
  const scores = Float64Array.from(nodes, (n) => p.score!(state, pod, n).score);
  p.normalizeScore!(state, pod, { names: nodes.map((n) => n.name), scores });
  return [...scores];
}

describe('InterPodAffinity filter', () => {
  const db = makePod('db', { labels: { app: 'db' } });
  const nodes = () => [
    makeNode('a', { [zone]: 'z1' }, [db]),
    makeNode('b', { [zone]: 'z1' }),
    makeNode('c', { [zone]: 'z2' }),
    makeNode('d'),
  ];

  it('admits only nodes in a domain holding a matching pod for required affinity', () => {
    const pod = withAffinity(
      'web',
      { app: 'web' },
      {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone)] },
      },
    );
    expect(runFilter(plugin(), pod, nodes())).toEqual([
      'a Success',
      'b Success',
      `c UnschedulableAndUnresolvable ${reasonAffinityRulesNotMatch}`,
      `d UnschedulableAndUnresolvable ${reasonAffinityRulesNotMatch}`,
    ]);
  });

  it('lets the first pod of a self-affine group go to any node with the key', () => {
    const pod = withAffinity(
      'cache-0',
      { app: 'cache' },
      {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('cache', zone)] },
      },
    );
    expect(runFilter(plugin(), pod, nodes())).toEqual([
      'a Success',
      'b Success',
      'c Success',
      `d UnschedulableAndUnresolvable ${reasonAffinityRulesNotMatch}`,
    ]);
  });

  it('rejects domains holding a pod matched by required anti-affinity', () => {
    const pod = withAffinity(
      'web',
      { app: 'web' },
      {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone)] },
      },
    );
    expect(runFilter(plugin(), pod, nodes())).toEqual([
      `a Unschedulable ${reasonAntiAffinityRulesNotMatch}`,
      `b Unschedulable ${reasonAntiAffinityRulesNotMatch}`,
      'c Success',
      'd Success',
    ]);
  });

  it('rejects domains whose existing pods are anti-affine to the incoming pod', () => {
    const loner = withAffinity(
      'loner',
      { app: 'loner' },
      {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', host)] },
      },
    );
    const list = [makeNode('a', {}, [loner]), makeNode('b')];
    const pod = makePod('web', { labels: { app: 'web' } });
    expect(runFilter(plugin(), pod, list)).toEqual([
      `a Unschedulable ${reasonExistingAntiAffinityRulesNotMatch}`,
      'b Success',
    ]);
  });

  it('skips PreFilter when no required terms are involved', () => {
    expect(runFilter(plugin(), makePod('web'), nodes())).toBe('skip');
  });

  it('matches only the term owner namespace unless namespaces are listed', () => {
    const other = makePod('db', { labels: { app: 'db' }, namespace: 'other' });
    const list = [makeNode('a', { [zone]: 'z1' }, [other]), makeNode('b', { [zone]: 'z2' })];
    const anti = (extra = {}) =>
      withAffinity(
        'web',
        { app: 'web' },
        {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [term('db', zone, extra)],
          },
        },
      );
    expect(runFilter(plugin(), anti(), list)).toEqual(['a Success', 'b Success']);
    expect(runFilter(plugin(), anti({ namespaces: ['other'] }), list)[0]).toBe(
      `a Unschedulable ${reasonAntiAffinityRulesNotMatch}`,
    );
    expect(runFilter(plugin(), anti({ namespaceSelector: {} }), list)[0]).toBe(
      `a Unschedulable ${reasonAntiAffinityRulesNotMatch}`,
    );
  });

  it('resolves a namespaceSelector with the handle namespace labels when offered', () => {
    const other = makePod('db', { labels: { app: 'db' }, namespace: 'other' });
    const list = [makeNode('a', { [zone]: 'z1' }, [other]), makeNode('b', { [zone]: 'z2' })];
    const pod = withAffinity(
      'web',
      { app: 'web' },
      {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            term('db', zone, { namespaceSelector: { matchLabels: { team: 'x' } } }),
          ],
        },
      },
    );
    expect(runFilter(plugin(), pod, list)).toEqual(['a Success', 'b Success']);
    const handle = Object.assign(new RecordingHandle(), {
      namespaceLabels: (name: string) => (name === 'other' ? { team: 'x' } : {}),
    });
    expect(runFilter(plugin(undefined, handle), pod, list)[0]).toBe(
      `a Unschedulable ${reasonAntiAffinityRulesNotMatch}`,
    );
  });
});

describe('InterPodAffinity scoring', () => {
  const db = makePod('db', { labels: { app: 'db' } });
  const cache = makePod('cache', { labels: { app: 'cache' } });
  const list = () => [
    makeNode('a', { [zone]: 'z1' }, [db]),
    makeNode('b', { [zone]: 'z1' }, [cache]),
    makeNode('c', { [zone]: 'z2' }, [cache]),
    makeNode('d', { [zone]: 'z3' }),
  ];

  it('adds preferred affinity weights and subtracts anti-affinity weights per domain', () => {
    const pod = withAffinity(
      'web',
      { app: 'web' },
      {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 80, podAffinityTerm: term('db', zone) },
          ],
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 20, podAffinityTerm: term('cache', host) },
          ],
        },
      },
    );
    // raw: a 80, b 80−20 = 60, c −20, d 0 → (s+20)/100.
    expect(runScore(plugin(), pod, list())).toEqual([100, 80, 0, 20]);
  });

  it('counts existing pods required affinity with hardPodAffinityWeight', () => {
    const fan = withAffinity(
      'fan',
      { app: 'fan' },
      {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', zone)] },
      },
    );
    const nodes = [makeNode('a', { [zone]: 'z1' }, [fan]), makeNode('b', { [zone]: 'z2' })];
    const pod = makePod('web', { labels: { app: 'web' } });
    expect(runScore(plugin(), pod, nodes)).toEqual([100, 0]);
    expect(runScore(plugin({ hardPodAffinityWeight: 0 }), pod, nodes)).toBe('skip');
  });

  it('truncates normalised scores computed in floating point', () => {
    const pod = withAffinity(
      'web',
      { app: 'web' },
      {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, podAffinityTerm: term('db', host) },
            { weight: 2, podAffinityTerm: term('cache', host) },
          ],
        },
      },
    );
    // raw a 1, b 2, c 2, d 0 → 50, 100, 100, 0; with 3 as max a would be 33.
    expect(runScore(plugin(), pod, list())).toEqual([50, 100, 100, 0]);
    const nodes = [...list(), makeNode('e', { [zone]: 'z4' }, [db, cache])];
    expect(runScore(plugin(), pod, nodes)).toEqual([33, 66, 66, 0, 100]);
  });

  it('skips scoring when no terms are involved', () => {
    expect(runScore(plugin(), makePod('web'), list())).toBe('skip');
  });
});
