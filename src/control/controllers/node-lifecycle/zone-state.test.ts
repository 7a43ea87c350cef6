// Table tests of the zone rules: zone keys, ComputeZoneState's thresholds, tainting rates per
// state, and handleDisruption's plan (entering and leaving master disruption mode).
import { describe, expect, it } from 'vitest';
import type { ZoneRates, ZoneState } from './zone-state.js';
import {
  computeZoneState,
  isExcludedFromDisruption,
  planDisruption,
  taintingQpsFor,
  zoneKeyOf,
} from './zone-state.js';

const rates: ZoneRates = {
  evictionLimiterQps: 0.1,
  secondaryEvictionLimiterQps: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

describe('zoneKeyOf', () => {
  it.each([
    { labels: undefined, key: '' },
    { labels: {}, key: '' },
    { labels: { 'topology.kubernetes.io/zone': 'a' }, key: ':\u0000:a' },
    { labels: { 'topology.kubernetes.io/region': 'r' }, key: 'r:\u0000:' },
    {
      labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' },
      key: 'r:\u0000:a',
    },
    {
      labels: {
        'failure-domain.beta.kubernetes.io/zone': 'old',
        'failure-domain.beta.kubernetes.io/region': 'r0',
      },
      key: 'r0:\u0000:old',
    },
    {
      labels: {
        'failure-domain.beta.kubernetes.io/zone': 'old',
        'topology.kubernetes.io/zone': 'new',
      },
      key: ':\u0000:new',
    },
  ])('$labels → $key', ({ labels, key }) => {
    expect(zoneKeyOf(labels as Record<string, string> | undefined)).toBe(key);
  });

  it('excludes nodes labelled node.kubernetes.io/exclude-disruption, whatever the value', () => {
    expect(isExcludedFromDisruption({ 'node.kubernetes.io/exclude-disruption': '' })).toBe(true);
    expect(isExcludedFromDisruption({ other: 'x' })).toBe(false);
    expect(isExcludedFromDisruption(undefined)).toBe(false);
  });
});

describe('computeZoneState', () => {
  const statuses = (ready: number, notReady: number, missing = 0) => [
    ...Array<string>(ready).fill('True'),
    ...Array<string>(notReady).fill('Unknown'),
    ...Array<undefined>(missing).fill(undefined),
  ];
  it.each([
    { ready: 4, notReady: 0, state: 'Normal' },
    { ready: 0, notReady: 1, state: 'FullDisruption' },
    { ready: 0, notReady: 5, state: 'FullDisruption' },
    { ready: 1, notReady: 3, state: 'PartialDisruption' },
    { ready: 1, notReady: 2, state: 'Normal' },
    { ready: 3, notReady: 3, state: 'Normal' },
    { ready: 9, notReady: 11, state: 'PartialDisruption' },
    { ready: 1, notReady: 2, missing: 1, state: 'PartialDisruption' },
  ] as { ready: number; notReady: number; missing?: number; state: ZoneState }[])(
    '$ready ready and $notReady not ready (+$missing without Ready) → $state',
    ({ ready, notReady, missing, state }) => {
      const result = computeZoneState(statuses(ready, notReady, missing), 0.55);
      expect(result.state).toBe(state);
      expect(result.notReadyCount).toBe(notReady + (missing ?? 0));
    },
  );

  it('is Normal for an empty zone', () => {
    expect(computeZoneState([], 0.55).state).toBe('Normal');
  });
});

describe('taintingQpsFor', () => {
  it.each([
    { state: 'Normal', size: 3, qps: 0.1 },
    { state: 'FullDisruption', size: 3, qps: 0.1 },
    { state: 'PartialDisruption', size: 50, qps: 0 },
    { state: 'PartialDisruption', size: 51, qps: 0.01 },
  ] as { state: ZoneState; size: number; qps: number }[])(
    '$state with $size nodes → $qps',
    ({ state, size, qps }) => {
      expect(taintingQpsFor(state, size, rates)).toBe(qps);
    },
  );
});

describe('planDisruption', () => {
  const zones = (entries: [string, (string | undefined)[]][]) => new Map(entries);
  const states = (entries: [string, ZoneState][]) => new Map(entries);
  const healthy = ['True', 'True', 'True'];
  const dead = ['Unknown', 'Unknown', 'Unknown'];

  it('sets the rates of zones whose state changed', () => {
    const plan = planDisruption(
      states([
        ['a', 'Initial'],
        ['b', 'Normal'],
      ]),
      zones([
        ['a', healthy],
        ['b', ['True', 'Unknown', 'Unknown', 'Unknown']],
      ]),
      rates,
    );
    expect(plan.mode).toBe('update');
    expect([...plan.nextStates]).toEqual([
      ['a', 'Normal'],
      ['b', 'PartialDisruption'],
    ]);
    expect([...plan.rates]).toEqual([
      ['a', 0.1],
      ['b', 0],
    ]);
  });

  it('changes nothing when no state changed', () => {
    const plan = planDisruption(states([['a', 'Normal']]), zones([['a', healthy]]), rates);
    expect(plan.mode).toBe('none');
    expect(plan.rates.size).toBe(0);
  });

  it('keeps the normal rate for one fully disrupted zone while another is healthy', () => {
    const plan = planDisruption(
      states([
        ['a', 'Normal'],
        ['b', 'Normal'],
      ]),
      zones([
        ['a', healthy],
        ['b', dead],
      ]),
      rates,
    );
    expect(plan.mode).toBe('update');
    expect([...plan.rates]).toEqual([['b', 0.1]]);
  });

  it('enters master disruption mode when every zone is fully disrupted', () => {
    const plan = planDisruption(
      states([
        ['a', 'Normal'],
        ['b', 'FullDisruption'],
      ]),
      zones([
        ['a', dead],
        ['b', dead],
      ]),
      rates,
    );
    expect(plan.mode).toBe('enterFullDisruption');
    expect([...plan.rates]).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect([...plan.nextStates.values()]).toEqual(['FullDisruption', 'FullDisruption']);
  });

  it('stays in it quietly while every zone stays fully disrupted', () => {
    const plan = planDisruption(states([['a', 'FullDisruption']]), zones([['a', dead]]), rates);
    expect(plan.mode).toBe('none');
  });

  it('leaves it with every zone reset to the rate of its new state', () => {
    const plan = planDisruption(
      states([
        ['a', 'FullDisruption'],
        ['b', 'FullDisruption'],
      ]),
      zones([
        ['a', ['True', 'Unknown']],
        ['b', dead],
      ]),
      rates,
    );
    expect(plan.mode).toBe('exitFullDisruption');
    expect([...plan.nextStates]).toEqual([
      ['a', 'Normal'],
      ['b', 'FullDisruption'],
    ]);
    expect([...plan.rates]).toEqual([
      ['a', 0.1],
      ['b', 0.1],
    ]);
  });

  it('drops zones that had no node this pass and starts new ones from Initial', () => {
    const plan = planDisruption(states([['gone', 'Normal']]), zones([['new', healthy]]), rates);
    expect([...plan.nextStates]).toEqual([['new', 'Normal']]);
    expect([...plan.rates]).toEqual([['new', 0.1]]);
  });

  it('enters master disruption mode from the first pass when every node is down', () => {
    const plan = planDisruption(states([['a', 'Initial']]), zones([['a', dead]]), rates);
    expect(plan.mode).toBe('enterFullDisruption');
  });
});
