import { describe, expect, it } from 'vitest';
import { deploymentFixture } from '../../../../test/deployment/fixtures.js';
import {
  maxSurgeOf,
  maxUnavailableOf,
  resolveFenceposts,
  scaledValueFromIntOrPercent,
} from './rolling-params.js';

describe('resolveFenceposts', () => {
  it.each([
    // [maxSurge, maxUnavailable, desired, surge, unavailable]
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    ['25%', '25%', 2, 1, 0],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 100, 25, 25],
    ['0%', '0%', 10, 0, 1],
    [0, 0, 5, 0, 1],
    ['0%', '0%', 0, 0, 1],
    ['25%', '25%', 0, 0, 1],
    ['50%', '10%', 7, 4, 0],
    ['100%', '100%', 3, 3, 3],
    [2, 3, 10, 2, 3],
    ['1%', '99%', 1, 1, 0],
    ['33%', '33%', 3, 1, 0],
    [undefined, undefined, 4, 0, 1],
  ] as const)(
    'maxSurge %j and maxUnavailable %j of %i replicas resolve to surge %i, unavailable %i',
    (maxSurge, maxUnavailable, desired, surge, unavailable) => {
      expect(resolveFenceposts(maxSurge, maxUnavailable, desired)).toEqual({
        ok: true,
        surge,
        unavailable,
      });
    },
  );

  it('reports a string that is not a percentage with upstream text', () => {
    expect(resolveFenceposts('3', '25%', 10)).toEqual({
      ok: false,
      message: 'invalid value for IntOrString: invalid type: string is not a percentage',
    });
    expect(resolveFenceposts('25%', 'x%', 10)).toEqual({
      ok: false,
      message:
        'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    });
  });
});

describe('scaledValueFromIntOrPercent', () => {
  it('rounds percentages up or down and passes integers through', () => {
    expect(scaledValueFromIntOrPercent('25%', 10, true)).toEqual({ ok: true, value: 3 });
    expect(scaledValueFromIntOrPercent('25%', 10, false)).toEqual({ ok: true, value: 2 });
    expect(scaledValueFromIntOrPercent('30%', 10, true)).toEqual({ ok: true, value: 3 });
    expect(scaledValueFromIntOrPercent(7, 10, false)).toEqual({ ok: true, value: 7 });
  });

  it('refuses an absent value', () => {
    expect(scaledValueFromIntOrPercent(undefined, 10, true)).toEqual({
      ok: false,
      message: 'nil value for IntOrString',
    });
  });
});

describe('maxSurgeOf and maxUnavailableOf', () => {
  it('use the Deployment replicas and strategy', () => {
    const deployment = deploymentFixture({ replicas: 10 });
    expect(maxSurgeOf(deployment)).toBe(3);
    expect(maxUnavailableOf(deployment)).toBe(2);
  });

  it('are zero for Recreate', () => {
    const deployment = deploymentFixture({ strategy: { type: 'Recreate' } });
    expect(maxSurgeOf(deployment)).toBe(0);
    expect(maxUnavailableOf(deployment)).toBe(0);
  });

  it('cap maxUnavailable at the replica count and zero it for zero replicas', () => {
    const capped = deploymentFixture({
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } },
    });
    expect(maxUnavailableOf(capped)).toBe(2);
    expect(maxUnavailableOf(deploymentFixture({ replicas: 0 }))).toBe(0);
  });

  it('apply the both-zero rule', () => {
    const deployment = deploymentFixture({
      replicas: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } },
    });
    expect(maxSurgeOf(deployment)).toBe(0);
    expect(maxUnavailableOf(deployment)).toBe(1);
  });
});
