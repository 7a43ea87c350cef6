import type { JsonObject } from '../../store/types.js';
import { describe, expect, it } from 'vitest';
import {
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
} from '../../../../test/scheduler/fixtures.js';
import { factory } from './node-unschedulable.js';

describe('NodeUnschedulable', () => {
  const cordoned = nodeInfoOf(makeNode({ name: 'c', unschedulable: true }));
  const open = nodeInfoOf(makeNode({ name: 'o' }));

  it('rejects a cordoned node for a pod without the toleration', () => {
    expect(runFilter(newPlugin(factory), makePod(), [cordoned, open])).toEqual([
      { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] },
      { code: 'Success', reasons: [] },
    ]);
  });

  const tolerations: [string, JsonObject, string][] = [
    [
      'the exact key and effect',
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      'Success',
    ],
    ['an empty key with Exists', { operator: 'Exists' }, 'Success'],
    [
      'the key with another effect',
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' },
      'UnschedulableAndUnresolvable',
    ],
  ];
  for (const [what, toleration, code] of tolerations) {
    it(`gives ${code} on a cordoned node for a pod tolerating ${what}`, () => {
      const pod = makePod({ spec: { tolerations: [toleration] } });
      expect(runFilter(newPlugin(factory), pod, [cordoned])[0]?.code).toBe(code);
    });
  }
});
