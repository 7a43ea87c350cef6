import { describe, expect, it } from 'vitest';
import { fitErrorMessage, reasonHistogram } from './failure-message.js';
import { status } from './framework/types.js';

const taint = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

describe('fitErrorMessage', () => {
  it('counts each reason over nodes and sorts the entries as strings', () => {
    const statuses = new Map([
      ['a', status('UnschedulableAndUnresolvable', taint)],
      ['b', status('Unschedulable', 'Insufficient cpu')],
      ['c', status('UnschedulableAndUnresolvable', taint)],
    ]);
    const message = fitErrorMessage({
      nodeCount: 3,
      nodeStatuses: statuses,
      postFilterMessage:
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, ' +
        '2 Preemption is not helpful for scheduling',
    });
    expect(message).toBe(
      `0/3 nodes are available: 1 Insufficient cpu, 2 ${taint}. preemption: 0/3 nodes are ` +
        'available: 1 No preemption victims found for incoming pod, 2 Preemption is not ' +
        'helpful for scheduling.',
    );
  });

  it('counts every reason of a node that failed for several', () => {
    const statuses = new Map([
      ['a', status('Unschedulable', 'Insufficient cpu', 'Insufficient memory')],
      ['b', status('Unschedulable', 'Insufficient memory')],
    ]);
    expect(reasonHistogram(statuses)).toEqual(['1 Insufficient cpu', '2 Insufficient memory']);
  });

  it('sorts counts as strings, so 10 comes before 2', () => {
    const statuses = new Map<string, ReturnType<typeof status>>();
    for (let i = 0; i < 10; i++) statuses.set(`a${i}`, status('Unschedulable', 'Z'));
    statuses.set('b0', status('Unschedulable', 'A'));
    statuses.set('b1', status('Unschedulable', 'A'));
    expect(fitErrorMessage({ nodeCount: 12, nodeStatuses: statuses })).toBe(
      '0/12 nodes are available: 10 Z, 2 A.',
    );
  });

  it('replaces the histogram with the PreFilter message when a PreFilter rejected the pod', () => {
    const statuses = new Map([['a', status('UnschedulableAndUnresolvable', 'x')]]);
    const message = fitErrorMessage({
      nodeCount: 3,
      nodeStatuses: statuses,
      preFilterMessage: "node(s) didn't satisfy plugin NodeAffinity",
    });
    expect(message).toBe("0/3 nodes are available: node(s) didn't satisfy plugin NodeAffinity.");
  });

  it('says 0/0 with an empty histogram when there are no nodes', () => {
    expect(fitErrorMessage({ nodeCount: 0, nodeStatuses: new Map() })).toBe(
      '0/0 nodes are available: .',
    );
  });
});
