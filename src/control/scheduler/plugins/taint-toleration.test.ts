import fc from 'fast-check';
import type { JsonObject } from '../../store/types.js';
import { describe, expect, it } from 'vitest';
import {
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
  runScore,
} from '../../../../test/scheduler/fixtures.js';
import { defaultWeight, factory } from './taint-toleration.js';

const taint = (key: string, value: string, effect: string) => ({ key, value, effect });

describe('TaintToleration filter', () => {
  const node = nodeInfoOf(
    makeNode({
      name: 'n',
      taints: [
        taint('soft', 'x', 'PreferNoSchedule'),
        taint('dedicated', '', 'NoSchedule'),
        taint('gpu', 'true', 'NoExecute'),
      ],
    }),
  );
  const cases: [string, JsonObject[], string | undefined][] = [
    [
      'no tolerations report the first hard taint only',
      [],
      'node(s) had untolerated taint {dedicated: }',
    ],
    [
      'tolerating the first reports the next',
      [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      'node(s) had untolerated taint {gpu: true}',
    ],
    [
      'Equal with the right value and no effect tolerates every effect',
      [
        { key: 'dedicated', operator: 'Exists' },
        { key: 'gpu', value: 'true' },
      ],
      undefined,
    ],
    [
      'Equal with a wrong value does not tolerate',
      [
        { key: 'dedicated', operator: 'Exists' },
        { key: 'gpu', operator: 'Equal', value: 'false' },
      ],
      'node(s) had untolerated taint {gpu: true}',
    ],
    ['an empty key with Exists tolerates everything', [{ operator: 'Exists' }], undefined],
  ];
  for (const [name, tolerations, reason] of cases) {
    it(name, () => {
      const [s] = runFilter(newPlugin(factory), makePod({ spec: { tolerations } }), [node]);
      expect(s).toEqual(
        reason === undefined
          ? { code: 'Success', reasons: [] }
          : { code: 'UnschedulableAndUnresolvable', reasons: [reason] },
      );
    });
  }
});

describe('TaintToleration score', () => {
  it('has the upstream default weight', () => {
    expect(defaultWeight).toBe(3);
  });

  it('normalizes untolerated PreferNoSchedule counts in reverse', () => {
    const nodes = [
      nodeInfoOf(makeNode({ name: 'a' })),
      nodeInfoOf(makeNode({ name: 'b', taints: [taint('k1', 'v', 'PreferNoSchedule')] })),
      nodeInfoOf(
        makeNode({
          name: 'c',
          taints: [taint('k1', 'v', 'PreferNoSchedule'), taint('k2', 'v', 'PreferNoSchedule')],
        }),
      ),
      nodeInfoOf(makeNode({ name: 'd', taints: [taint('k3', 'v', 'PreferNoSchedule')] })),
    ];
    const pod = makePod({ spec: { tolerations: [{ key: 'k3', operator: 'Exists' }] } });
    expect(runScore(newPlugin(factory), pod, nodes)).toEqual([100, 50, 0, 100]);
  });

  it('ignores NoSchedule tolerations when counting PreferNoSchedule taints', () => {
    const nodes = [
      nodeInfoOf(makeNode({ name: 'a', taints: [taint('k', 'v', 'PreferNoSchedule')] })),
    ];
    const pod = makePod({
      spec: { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    const [score] = runScore(newPlugin(factory), pod, [
      ...nodes,
      nodeInfoOf(makeNode({ name: 'b' })),
    ]);
    expect(score).toBe(0);
  });

  it('gives every node 100 when no node has an untolerated PreferNoSchedule taint', () => {
    const nodes = [nodeInfoOf(makeNode({ name: 'a' })), nodeInfoOf(makeNode({ name: 'b' }))];
    expect(runScore(newPlugin(factory), makePod(), nodes)).toEqual([100, 100]);
  });

  it('always normalizes into 0..100', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }),
        (counts) => {
          const nodes = counts.map((n, i) =>
            nodeInfoOf(
              makeNode({
                name: `n${i}`,
                taints: Array.from({ length: n }, (_, j) => taint(`k${j}`, '', 'PreferNoSchedule')),
              }),
            ),
          );
          const scores = runScore(newPlugin(factory), makePod(), nodes);
          for (const s of scores) expect(s >= 0 && s <= 100).toBe(true);
          const min = Math.min(...counts);
          scores.forEach((s, i) => {
            if (counts[i] === min) expect(s).toBe(Math.max(...scores));
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
