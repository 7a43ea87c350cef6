import type { JsonObject } from '../../store/types.js';
import { describe, expect, it } from 'vitest';
import {
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
  runScore,
  snapshotOf,
} from '../../../../test/scheduler/fixtures.js';
import { podInfoOf } from '../framework/pod-info.js';
import { CycleState } from '../framework/types.js';
import { defaultWeight, factory, reasonEnforced, reasonPod } from './node-affinity.js';

const nodes = [
  nodeInfoOf(makeNode({ name: 'n1', labels: { zone: 'a', cores: '8', disk: 'ssd' } })),
  nodeInfoOf(makeNode({ name: 'n2', labels: { zone: 'b', cores: '16' } })),
  nodeInfoOf(makeNode({ name: 'n3', labels: {} })),
];

function required(...terms: JsonObject[]) {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    },
  };
}

function fits(spec: JsonObject, args?: JsonObject): boolean[] {
  const plugin = newPlugin(factory, args);
  return runFilter(plugin, makePod({ spec }), nodes).map((s) => s.code === 'Success');
}

describe('NodeAffinity filter', () => {
  const expr = (key: string, operator: string, values?: string[]) => ({
    matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
  });
  const cases: [string, JsonObject, boolean[]][] = [
    ['no selector or affinity fits everywhere', {}, [true, true, true]],
    [
      'nodeSelector needs every label equal',
      { nodeSelector: { zone: 'a', disk: 'ssd' } },
      [true, false, false],
    ],
    ['In', required(expr('zone', 'In', ['b', 'c'])), [false, true, false]],
    [
      'NotIn matches nodes without the key',
      required(expr('zone', 'NotIn', ['a'])),
      [false, true, true],
    ],
    ['Exists', required(expr('zone', 'Exists')), [true, true, false]],
    ['DoesNotExist', required(expr('zone', 'DoesNotExist')), [false, false, true]],
    ['Gt compares integers', required(expr('cores', 'Gt', ['10'])), [false, true, false]],
    ['Lt compares integers', required(expr('cores', 'Lt', ['10'])), [true, false, false]],
    [
      'Gt with a non-integer bound matches nothing',
      required(expr('cores', 'Gt', ['x'])),
      [false, false, false],
    ],
    [
      'terms are ORed',
      required(expr('zone', 'In', ['a']), expr('zone', 'In', ['b'])),
      [true, true, false],
    ],
    [
      'expressions in a term are ANDed',
      required({
        matchExpressions: [
          { key: 'zone', operator: 'Exists' },
          { key: 'disk', operator: 'Exists' },
        ],
      }),
      [true, false, false],
    ],
    ['an empty term matches nothing', required({}), [false, false, false]],
    [
      'In without values makes the term match nothing',
      required(expr('zone', 'In', [])),
      [false, false, false],
    ],
    [
      'Exists with values makes the term match nothing',
      required(expr('zone', 'Exists', ['a'])),
      [false, false, false],
    ],
    [
      'matchFields on metadata.name',
      required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }),
      [false, true, true],
    ],
    [
      'nodeSelector and required affinity must both hold',
      { nodeSelector: { zone: 'a' }, ...required(expr('cores', 'Gt', ['10'])) },
      [false, false, false],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => {
      expect(fits(spec)).toEqual(expected);
    });
  }

  it('fails with the upstream reason and code', () => {
    const [s] = runFilter(
      newPlugin(factory),
      makePod({ spec: { nodeSelector: { zone: 'z' } } }),
      nodes,
    );
    expect(s).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [reasonPod] });
    expect(reasonPod).toBe("node(s) didn't match Pod's node affinity/selector");
  });

  it('enforces addedAffinity from the args with its own reason', () => {
    const args = {
      addedAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }],
        },
      },
    };
    const plugin = newPlugin(factory, args);
    const statuses = runFilter(plugin, makePod(), nodes);
    expect(statuses.map((s) => s.code)).toEqual([
      'Success',
      'Success',
      'UnschedulableAndUnresolvable',
    ]);
    expect(statuses[2]?.reasons).toEqual([reasonEnforced]);
  });
});

describe('NodeAffinity PreFilter', () => {
  function preFilter(spec: JsonObject) {
    const plugin = newPlugin(factory);
    return plugin.preFilter?.(new CycleState(), podInfoOf(makePod({ spec })), snapshotOf(nodes));
  }

  it('skips pods without a selector or required affinity', () => {
    expect(preFilter({})?.status.code).toBe('Skip');
  });

  it('narrows to the union of metadata.name In sets across terms', () => {
    const byName = (...values: string[]) => ({
      matchFields: [{ key: 'metadata.name', operator: 'In', values }],
    });
    const result = preFilter(required(byName('n1', 'n2'), byName('n3')));
    expect([...(result?.result?.nodeNames ?? [])].sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('does not narrow when some term has no name field', () => {
    const result = preFilter(
      required(
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] },
        { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
      ),
    );
    expect(result?.result).toBeUndefined();
    expect(result?.status.code).toBe('Success');
  });

  it('rejects terms whose name sets conflict', () => {
    const result = preFilter(
      required({
        matchFields: [
          { key: 'metadata.name', operator: 'In', values: ['n1'] },
          { key: 'metadata.name', operator: 'In', values: ['n2'] },
        ],
      }),
    );
    expect(result?.status).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ['pod affinity terms conflict'],
    });
  });
});

describe('NodeAffinity score', () => {
  it('has the upstream default weight', () => {
    expect(defaultWeight).toBe(2);
  });

  it('sums matching preferred weights and normalizes by the maximum', () => {
    const preferred = [
      { weight: 2, preference: { matchExpressions: [{ key: 'cores', operator: 'Exists' }] } },
      {
        weight: 5,
        preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
      },
    ];
    const pod = makePod({
      spec: {
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } },
      },
    });
    // raw 2, 7, 0 → 2 × 100 / 7 = 28, 100, 0
    expect(runScore(newPlugin(factory), pod, nodes)).toEqual([28, 100, 0]);
  });

  it('adds preferred terms from addedAffinity', () => {
    const args = {
      addedAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 3,
            preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
          },
        ],
      },
    };
    expect(runScore(newPlugin(factory, args), makePod(), nodes)).toEqual([100, 0, 0]);
  });

  it('skips scoring for pods without preferred terms', () => {
    expect(runScore(newPlugin(factory), makePod(), nodes)).toEqual([0, 0, 0]);
  });
});
