import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../control/scheduler/explain.js';
import type { StoredObject } from '../../../control/store/types.js';
import { BindingDecisions } from './binding-decisions.js';

function pod(node?: string): StoredObject {
  return {
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: node === undefined ? {} : { nodeName: node },
  };
}

function decision(chosen: string | undefined, rejected: string[] = []): Decision {
  return {
    pod: 'default/web',
    profile: 'default-scheduler',
    nodeCount: 3,
    sampledNodeCount: 3,
    feasibleNodeCount: 3 - rejected.length,
    filtered: rejected.map((node) => ({
      node,
      plugin: 'NodeResourcesFit',
      code: 'Unschedulable' as const,
      reasons: ['Insufficient cpu'],
    })),
    ...(chosen === undefined ? {} : { chosen }),
  };
}

function bindings() {
  const found: string[] = [];
  const checks = new BindingDecisions({ report: (_, message) => found.push(message) });
  return { checks, found };
}

describe('BindingDecisions', () => {
  it('verifies a binding to the node the scheduler chose', () => {
    const { checks, found } = bindings();
    checks.onDecision(decision('n2', ['n1']));
    checks.onPod(pod('n2'), pod(), 'revision 5');
    expect(found).toEqual([]);
    expect(checks.bindingsVerified).toBe(1);
  });

  it('reports a chosen node that a filter rejected in the same cycle', () => {
    const { checks, found } = bindings();
    checks.onDecision(decision('n1', ['n1', 'n3']));
    expect(found).toEqual([
      'the scheduler chose n1 for pod default/web although filter NodeResourcesFit rejected ' +
        'it in the same cycle: Insufficient cpu',
    ]);
  });

  it('reports a binding to a node the scheduler did not choose', () => {
    const { checks, found } = bindings();
    checks.onDecision(decision(undefined, ['n1', 'n2', 'n3']));
    checks.onDecision(decision('n2'));
    checks.onPod(pod('n1'), pod(), 'revision 9');
    expect(found).toEqual([
      'pod default/web was bound to n1 at revision 9, but the scheduler chose n2 for it',
    ]);
  });

  it('counts bindings without a decision as unverified and ignores pods created bound', () => {
    const { checks, found } = bindings();
    checks.onPod(pod('n1'), undefined, 'revision 1');
    checks.onPod(pod('n1'), pod(), 'revision 2');
    expect(found).toEqual([]);
    expect(checks.bindingsUnverified).toBe(1);
  });

  it('forgets a deleted pod’s pending choice', () => {
    const { checks, found } = bindings();
    checks.onDecision(decision('n2'));
    checks.onPod(undefined, pod(), 'revision 3');
    checks.onPod(pod('n1'), pod(), 'revision 4');
    expect(found).toEqual([]);
  });
});
