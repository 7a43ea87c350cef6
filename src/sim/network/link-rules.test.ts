// Tests of how network rules resolve to one link's policy.

import { describe, expect, it } from 'vitest';
import { LinkRules } from './link-rules.js';

function rules(): LinkRules {
  return new LinkRules({ defaultLatency: 1, ruleCountMax: 5 });
}

describe('LinkRules', () => {
  it('leave a link clear only with no rule and zero latency', () => {
    expect(rules().policy('a', 'b').clear).toBe(false);
    const zero = new LinkRules({ defaultLatency: 0, ruleCountMax: 5 });
    expect(zero.policy('a', 'b')).toEqual({
      partitionId: undefined,
      holdId: undefined,
      lossPerMillion: 0,
      latency: 0,
      clear: true,
    });
  });

  it('select both directions unless one-way', () => {
    const r = rules();
    const both = r.addPartition({ from: 'node/*', to: 'apiserver' });
    const oneWay = r.addPartition({ from: 'scheduler', to: 'apiserver', oneWay: true });
    expect(r.policy('apiserver', 'node/a').partitionId).toBe(both);
    expect(r.policy('node/a', 'apiserver').partitionId).toBe(both);
    expect(r.policy('scheduler', 'apiserver').partitionId).toBe(oneWay);
    expect(r.policy('apiserver', 'scheduler').partitionId).toBeUndefined();
  });

  it('take the latest latency and loss, the oldest hold', () => {
    const r = rules();
    const firstHold = r.addHold({ from: '*', to: 'apiserver' });
    r.addHold({ from: 'node/*', to: 'apiserver' });
    r.setLatency({ from: '*', to: '*' }, 10);
    r.setLatency({ from: 'node/*', to: 'apiserver' }, { uniform: [1, 2] });
    r.setLoss({ from: 'node/a', to: 'apiserver' }, 500);
    const policy = r.policy('node/a', 'apiserver');
    expect(policy.holdId).toBe(firstHold);
    expect(policy.latency).toEqual({ uniform: [1, 2] });
    expect(policy.lossPerMillion).toBe(500);
    expect(r.policy('scheduler', 'apiserver').latency).toBe(10);
  });

  it('replace a latency or loss rule set again with the same selector', () => {
    const r = rules();
    const first = r.setLatency({ from: 'a', to: 'b' }, 10);
    const second = r.setLatency({ from: 'a', to: 'b' }, 20);
    expect(r.ids('latency')).toEqual([second]);
    expect(r.kindOf(first)).toBeUndefined();
    expect(r.policy('b', 'a').latency).toBe(20);
  });

  it('change version on every change and bound the number of rules', () => {
    const r = rules();
    const version = r.version;
    const id = r.addPartition({ from: 'a', to: 'b' });
    expect(r.version).toBeGreaterThan(version);
    expect(r.remove([id])).toEqual([id]);
    expect(r.remove([id])).toEqual([]);
    for (let i = 0; i < 5; i++) r.addPartition({ from: 'a', to: `b${i}` });
    expect(() => r.addHold({ from: 'a', to: 'c' })).toThrow(/ruleCountMax \(5\)/);
  });
});
