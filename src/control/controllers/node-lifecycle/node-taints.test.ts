// Table tests of the node lifecycle controller's taint decisions and taint set edits.
import { describe, expect, it } from 'vitest';
import type { NodeTaint } from './node-taints.js';
import {
  addOrUpdateTaints,
  desiredNoScheduleTaints,
  diffTaints,
  noExecuteTaintFor,
  oppositeNoExecuteTaint,
  ownedNoScheduleTaints,
  removeTaints,
  taintsOfNode,
} from './node-taints.js';

const noSchedule = (key: string): NodeTaint => ({ key, effect: 'NoSchedule' });
const k = 'node.kubernetes.io/';

describe('desiredNoScheduleTaints', () => {
  it.each([
    { name: 'a ready node wants none', conditions: [['Ready', 'True']], cordoned: false, want: [] },
    {
      name: 'Ready=False wants not-ready',
      conditions: [['Ready', 'False']],
      cordoned: false,
      want: [`${k}not-ready`],
    },
    {
      name: 'Ready=Unknown wants unreachable',
      conditions: [['Ready', 'Unknown']],
      cordoned: false,
      want: [`${k}unreachable`],
    },
    {
      name: 'pressure conditions that are True want their taints, in condition order',
      conditions: [
        ['PIDPressure', 'True'],
        ['MemoryPressure', 'True'],
        ['DiskPressure', 'False'],
        ['NetworkUnavailable', 'True'],
        ['Ready', 'True'],
      ],
      cordoned: false,
      want: [`${k}pid-pressure`, `${k}memory-pressure`, `${k}network-unavailable`],
    },
    {
      name: 'a cordoned node wants unschedulable last',
      conditions: [['Ready', 'Unknown']],
      cordoned: true,
      want: [`${k}unreachable`, `${k}unschedulable`],
    },
    {
      name: 'unknown pressure wants nothing',
      conditions: [['MemoryPressure', 'Unknown']],
      cordoned: false,
      want: [],
    },
  ])('$name', ({ conditions, cordoned, want }) => {
    const list = conditions.map(([type, status]) => ({ type: type!, status: status! }));
    const got = desiredNoScheduleTaints(list, cordoned);
    expect(got.map((t) => t.key)).toEqual(want);
    expect(got.every((t) => t.effect === 'NoSchedule')).toBe(true);
  });
});

describe('ownedNoScheduleTaints', () => {
  it('keeps only the NoSchedule condition and cordon taints', () => {
    const taints: NodeTaint[] = [
      noSchedule(`${k}unreachable`),
      { key: `${k}unreachable`, effect: 'NoExecute' },
      noSchedule('dedicated'),
      noSchedule(`${k}unschedulable`),
      { key: `${k}memory-pressure`, effect: 'PreferNoSchedule' },
    ];
    expect(ownedNoScheduleTaints(taints)).toEqual([
      noSchedule(`${k}unreachable`),
      noSchedule(`${k}unschedulable`),
    ]);
  });
});

describe('diffTaints', () => {
  it('compares by key and effect only', () => {
    const existing = [{ ...noSchedule('a'), timeAdded: '2026-01-01T00:00:00Z' }, noSchedule('b')];
    const { add, remove } = diffTaints([noSchedule('a'), noSchedule('c')], existing);
    expect(add).toEqual([noSchedule('c')]);
    expect(remove).toEqual([noSchedule('b')]);
  });
});

describe('addOrUpdateTaints', () => {
  const stamped = (time: string): NodeTaint => ({ ...noSchedule('a'), timeAdded: time });

  it('appends a taint that matches none', () => {
    const result = addOrUpdateTaints([noSchedule('x')], [noSchedule('a')]);
    expect(result).toEqual({ taints: [noSchedule('x'), noSchedule('a')], changed: true });
  });

  it('replaces a match that differs, in place', () => {
    const t1 = stamped('2026-01-01T00:00:00Z');
    const t2 = stamped('2026-01-01T00:01:00Z');
    const result = addOrUpdateTaints([t1, noSchedule('x')], [t2]);
    expect(result).toEqual({ taints: [t2, noSchedule('x')], changed: true });
  });

  it('reports no change for an identical taint', () => {
    const t1 = stamped('2026-01-01T00:00:00Z');
    expect(addOrUpdateTaints([t1], [{ ...t1 }]).changed).toBe(false);
  });
});

describe('removeTaints', () => {
  it('removes every match whatever its value, and reports whether anything went', () => {
    const taints: NodeTaint[] = [{ ...noSchedule('a'), value: 'v' }, noSchedule('b')];
    expect(removeTaints(taints, [noSchedule('a')])).toEqual({
      taints: [noSchedule('b')],
      changed: true,
    });
    expect(removeTaints(taints, [{ key: 'a', effect: 'NoExecute' }]).changed).toBe(false);
  });
});

describe('NoExecute taints of a Ready status', () => {
  it('maps False to not-ready, Unknown to unreachable, and each to its opposite', () => {
    const notReady = noExecuteTaintFor('False');
    const unreachable = noExecuteTaintFor('Unknown');
    expect(notReady).toEqual({ key: `${k}not-ready`, effect: 'NoExecute' });
    expect(unreachable).toEqual({ key: `${k}unreachable`, effect: 'NoExecute' });
    expect(noExecuteTaintFor('True')).toBeUndefined();
    expect(oppositeNoExecuteTaint(notReady!)).toEqual(unreachable);
    expect(oppositeNoExecuteTaint(unreachable!)).toEqual(notReady);
  });
});

describe('taintsOfNode', () => {
  it('reads spec.taints and skips malformed entries', () => {
    const node = {
      metadata: { name: 'n' },
      spec: {
        taints: [
          { key: 'a', value: 'v', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
          { key: 'b', effect: 'Sometimes' },
          'junk',
        ],
      },
    };
    expect(taintsOfNode(node)).toEqual([
      { key: 'a', value: 'v', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
    ]);
  });
});
