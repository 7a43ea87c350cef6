import { describe, expect, it } from 'vitest';
import type { JsonObject, StoredObject } from '../../../control/store/types.js';
import { NodeCapacity } from './node-capacity.js';

function node(name: string, cpu: string, pods = '110'): StoredObject {
  return {
    kind: 'Node',
    metadata: { name },
    status: { allocatable: { cpu, memory: '8Gi', pods } },
  };
}

function pod(
  name: string,
  options: { node?: string; cpu?: string; phase?: string; startTime?: string; spec?: JsonObject },
): StoredObject {
  const status: Record<string, string> = { phase: options.phase ?? 'Pending' };
  if (options.startTime !== undefined) status.startTime = options.startTime;
  return {
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(options.node === undefined ? {} : { nodeName: options.node }),
      containers: [{ name: 'app', resources: { requests: { cpu: options.cpu ?? '1' } } }],
      ...options.spec,
    },
    status,
  };
}

function capacity() {
  const found: string[] = [];
  const checks = new NodeCapacity({ report: (_, message) => found.push(message) });
  checks.onNode(node('n1', '2'), 'n1', 'start');
  return { checks, found };
}

/** A pod created unbound, then bound (as the scheduler's binding does). */
function bind(checks: NodeCapacity, name: string, cpu: string, at = 'revision 9'): void {
  checks.onPod(`default/${name}`, pod(name, { cpu }), at);
  checks.onPod(`default/${name}`, pod(name, { cpu, node: 'n1' }), at);
}

describe('NodeCapacity', () => {
  it('reports a node whose bound pods request more cpu than it has, once per episode', () => {
    const { checks, found } = capacity();
    bind(checks, 'a', '1');
    bind(checks, 'b', '1');
    expect(found).toEqual([]);
    bind(checks, 'c', '500m', 'revision 12');
    expect(found).toEqual([
      'node n1 is over-committed after revision 12 (pod default/c): ' +
        'cpu 2500m requested of 2000m allocatable (3 pods counted)',
    ]);
    bind(checks, 'd', '100m');
    expect(found).toHaveLength(1);
    checks.onPod('default/c', undefined, 'revision 14');
    checks.onPod('default/d', undefined, 'revision 15');
    bind(checks, 'e', '1');
    expect(found).toHaveLength(2);
  });

  it('stops counting a pod once it is terminal', () => {
    const { checks, found } = capacity();
    bind(checks, 'a', '2');
    checks.onPod('default/a', pod('a', { cpu: '2', node: 'n1', phase: 'Succeeded' }), 'r');
    bind(checks, 'b', '2');
    expect(found).toEqual([]);
  });

  it('counts a pod created bound only once its kubelet admitted it', () => {
    const { checks, found } = capacity();
    bind(checks, 'a', '2');
    checks.onPod('default/static', pod('static', { cpu: '1', node: 'n1' }), 'revision 20');
    expect(found).toEqual([]);
    const rejected = pod('static', { cpu: '1', node: 'n1', phase: 'Failed', startTime: 't' });
    checks.onPod('default/static', rejected, 'revision 21');
    expect(found).toEqual([]);
    const admitted = pod('other', { cpu: '1', node: 'n1', phase: 'Running', startTime: 't' });
    checks.onPod('default/other', admitted, 'revision 22');
    expect(found).toHaveLength(1);
  });

  it('counts requests as the scheduler does: init containers by max, plus overhead', () => {
    const { checks, found } = capacity();
    const spec = {
      initContainers: [{ name: 'init', resources: { requests: { cpu: '1500m' } } }],
      overhead: { cpu: '600m' },
    };
    checks.onPod('default/a', pod('a', { cpu: '1', spec }), 'r');
    checks.onPod('default/a', pod('a', { cpu: '1', node: 'n1', spec }), 'revision 3');
    expect(found).toEqual([
      'node n1 is over-committed after revision 3 (pod default/a): ' +
        'cpu 2100m requested of 2000m allocatable (1 pods counted)',
    ]);
  });

  it('reports too many pods for the node’s pod capacity', () => {
    const { checks, found } = capacity();
    checks.onNode(node('n1', '64', '2'), 'n1', 'r');
    for (const name of ['a', 'b', 'c']) bind(checks, name, '10m');
    expect(found).toEqual([
      'node n1 is over-committed after revision 9 (pod default/c): ' +
        '3 pods of 2 allowed (3 pods counted)',
    ]);
  });

  it('reports a node whose allocatable shrinks below what its pods request', () => {
    const { checks, found } = capacity();
    bind(checks, 'a', '2');
    checks.onNode(node('n1', '1'), 'n1', 'revision 30');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('after revision 30');
  });
});
