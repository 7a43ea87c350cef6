import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../../control/store/types.js';
import { PodPlacement } from './pod-placement.js';

function pod(name: string, uid: string, node?: string): StoredObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid },
    spec: node === undefined ? {} : { nodeName: node },
  };
}

function placement() {
  const found: string[] = [];
  const checks = new PodPlacement({ report: (_, message) => found.push(message) });
  return { checks, found };
}

describe('PodPlacement', () => {
  it('accepts a pod that is bound once and runs containers on its node only', () => {
    const { checks, found } = placement();
    checks.onPod(pod('a', 'u1'), undefined, 'revision 1');
    checks.onPod(pod('a', 'u1', 'n1'), pod('a', 'u1'), 'revision 2');
    checks.onContainer('n1', 'u1', true);
    checks.onContainer('n1', 'u1', true);
    checks.onContainer('n1', 'u1', false);
    checks.onContainer('n1', 'u1', false);
    checks.onContainer('n2', 'u1', false);
    expect(found).toEqual([]);
  });

  it('reports a pod whose node changes', () => {
    const { checks, found } = placement();
    checks.onPod(pod('a', 'u1', 'n2'), pod('a', 'u1', 'n1'), 'revision 7');
    expect(found).toEqual(['pod default/a (uid u1) moved from n1 to n2 at revision 7']);
  });

  it('reports a pod with running containers on two nodes at once', () => {
    const { checks, found } = placement();
    checks.onContainer('n1', 'u1', true);
    checks.onContainer('n2', 'u1', true);
    expect(found).toEqual(['pod uid u1 started a container on n2 while running on n1']);
    checks.onContainer('n1', 'u1', false);
    checks.onContainer('n2', 'u1', false);
    checks.onContainer('n3', 'u1', true);
    expect(found).toHaveLength(1);
  });

  it('reports a container started on another node than the pod is bound to', () => {
    const { checks, found } = placement();
    checks.onPod(pod('a', 'u1', 'n1'), undefined, 'revision 1');
    checks.onContainer('n2', 'u1', true);
    expect(found).toEqual(['pod default/a (uid u1) started a container on n2 but is bound to n1']);
  });

  it('reports two live pods sharing a uid', () => {
    const { checks, found } = placement();
    checks.onPod(pod('a', 'u1'), undefined, 'revision 1');
    checks.onPod(pod('b', 'u1'), undefined, 'revision 2');
    expect(found).toEqual(['pods default/a and default/b share uid u1 (revision 2)']);
  });
});
