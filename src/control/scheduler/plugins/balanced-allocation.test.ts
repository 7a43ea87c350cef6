import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runScore,
} from '../../../../test/scheduler/fixtures.js';
import { balancedScore, defaultWeight, factory, NAME } from './balanced-allocation.js';

describe('NodeResourcesBalancedAllocation', () => {
  it('has the upstream name and default weight', () => {
    expect(NAME).toBe('NodeResourcesBalancedAllocation');
    expect(defaultWeight).toBe(1);
  });

  it('scores (1 − |f1 − f2| / 2) × 100, truncated', () => {
    const nodes = [
      nodeInfoOf(makeNode({ name: 'n1', cpu: '4000m', memory: '10Gi' })),
      nodeInfoOf(makeNode({ name: 'n2', cpu: '6000m', memory: '10Gi' })),
    ];
    const pod = makePod({ requests: { cpu: '3000m', memory: '5Gi' } });
    // n1: 0.75 vs 0.5 → std 0.125 → 87; n2: 0.5 vs 0.5 → 100
    expect(runScore(newPlugin(factory), pod, nodes)).toEqual([87, 100]);
  });

  it('uses the population standard deviation for more than two resources', () => {
    const resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
      { name: 'ephemeral-storage', weight: 1 },
    ];
    const node = nodeInfoOf(
      makeNode({ name: 'n', cpu: '4', memory: '4Gi', extra: { 'ephemeral-storage': '4Gi' } }),
    );
    const pod = makePod({ requests: { cpu: '3', memory: '2Gi', 'ephemeral-storage': '1Gi' } });
    // 0.75, 0.5, 0.25 → std √(0.125/3) = 0.2041 → 79
    expect(runScore(newPlugin(factory, { resources }), pod, [node])).toEqual([79]);
  });

  it('scores best-effort pods by the balance already on the node (v1.32)', () => {
    const node = nodeInfoOf(makeNode({ name: 'n', cpu: '4', memory: '10Gi' }), [
      makePod({ name: 'old', requests: { cpu: '1', memory: '5Gi' } }),
    ]);
    expect(runScore(newPlugin(factory), makePod({ name: 'be' }), [node])).toEqual([87]);
  });

  it('caps fractions at 1', () => {
    const node = nodeInfoOf(makeNode({ name: 'n', cpu: '1', memory: '1Gi' }));
    const pod = makePod({ requests: { cpu: '8', memory: '512Mi' } });
    expect(runScore(newPlugin(factory), pod, [node])).toEqual([75]);
  });

  it('stays within 0..100 for any fractions', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (fs) => {
        const s = balancedScore(fs);
        expect(s >= 0 && s <= 100 && Number.isInteger(s)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
