import { describe, expect, it } from 'vitest';
import { makeNode } from '../../../../test/scheduler/fixtures.js';
import { taintsOf, toleratesTaint } from './taints.js';
import type { Taint, Toleration } from './taints.js';

const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
const tol = (t: Partial<Toleration>): Toleration => ({
  key: '',
  operator: '',
  value: '',
  effect: '',
  ...t,
});

describe('toleratesTaint', () => {
  const cases: [string, Toleration, boolean][] = [
    ['Equal (the default) with key and value', tol({ key: 'k', value: 'v' }), true],
    ['Equal with another value', tol({ key: 'k', value: 'w' }), false],
    ['Exists ignores the value', tol({ key: 'k', operator: 'Exists' }), true],
    ['an empty key with Exists matches every key', tol({ operator: 'Exists' }), true],
    ['a matching effect', tol({ key: 'k', operator: 'Exists', effect: 'NoSchedule' }), true],
    ['another effect', tol({ key: 'k', operator: 'Exists', effect: 'NoExecute' }), false],
    ['another key', tol({ key: 'x', operator: 'Exists' }), false],
    ['an unknown operator', tol({ key: 'k', operator: 'Gt', value: 'v' }), false],
  ];
  for (const [what, toleration, expected] of cases) {
    it(`${expected ? 'tolerates' : 'does not tolerate'} with ${what}`, () => {
      expect(toleratesTaint(toleration, taint)).toBe(expected);
    });
  }
});

describe('taintsOf', () => {
  it('reads node taints in spec order with an empty value by default', () => {
    const node = makeNode({
      name: 'n',
      taints: [
        { key: 'a', effect: 'NoSchedule' },
        { key: 'b', value: '1', effect: 'NoExecute' },
      ],
    });
    expect(taintsOf(node)).toEqual([
      { key: 'a', value: '', effect: 'NoSchedule' },
      { key: 'b', value: '1', effect: 'NoExecute' },
    ]);
  });
});
