import { describe, expect, it } from 'vitest';
import { selectorFromSet } from '../../control/api/values/labels.js';
import type { KubeObject } from '../../control/client/types.js';
import { checkNodes, checkPods, countHolds, podMatches } from './subject-checks.js';

function pod(
  name: string,
  extra: { app?: string; node?: string; phase?: string; ready?: boolean; deleting?: boolean } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: extra.app ?? 'web' },
      ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: extra.node === undefined ? {} : { nodeName: extra.node },
    status: {
      phase: extra.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}

function node(
  name: string,
  ready: string,
  taints: { key: string; effect: string }[] = [],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { zone: name.startsWith('a') ? 'a' : 'b' } },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}

const web = selectorFromSet({ app: 'web' });

describe('pod subjects', () => {
  const pods = [
    pod('p1', { node: 'n1' }),
    pod('p2', { node: 'n2', ready: false }),
    pod('p3', { node: 'n1', deleting: true }),
    pod('p4', { app: 'db', node: 'n1' }),
    pod('p5', { phase: 'Pending' }),
  ];

  it('matches selector, readiness, node and termination together', () => {
    expect(podMatches({ selector: web, ready: true, onNode: 'n1' }, pods[0]!)).toBe(true);
    expect(podMatches({ selector: web, terminating: false }, pods[2]!)).toBe(false);
    expect(podMatches({ selector: web, notOnNode: 'n1' }, pods[1]!)).toBe(true);
  });

  it('counts exactly, within bounds, or at least one', () => {
    expect(checkPods({ selector: web, phase: 'Running', count: 3 }, pods).held).toBe(true);
    expect(checkPods({ selector: web, ready: true, countMin: 3 }, pods)).toEqual({
      held: true,
      message: '3 pod(s) matching "app=web", ready; expected at least 3',
    });
    expect(checkPods({ selector: web, onNode: 'n9' }, pods).held).toBe(false);
    expect(countHolds({ countMin: 1, countMax: 2 }, 3)).toBe(false);
  });
});

describe('node subjects', () => {
  const nodes = [
    node('a1', 'True'),
    node('a2', 'Unknown', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]),
    node('b1', 'True'),
  ];

  it('requires every selected node to satisfy the rule without a count', () => {
    const ready = { type: 'Ready', status: 'True' };
    expect(checkNodes({ condition: ready }, nodes).held).toBe(false);
    expect(checkNodes({ names: ['a1', 'b1'], condition: ready }, nodes).held).toBe(true);
  });

  it('counts tainted nodes', () => {
    const verdict = checkNodes(
      { taint: { key: 'node.kubernetes.io/unreachable' }, count: 1 },
      nodes,
    );
    expect(verdict).toEqual({
      held: true,
      message:
        '1 of 3 selected node(s) carry taint node.kubernetes.io/unreachable; expected exactly 1',
    });
  });

  it('checks cordoned nodes', () => {
    const cordoned = { ...nodes[0]!, spec: { unschedulable: true } };
    expect(checkNodes({ names: ['a1'], unschedulable: true }, [cordoned]).held).toBe(true);
    expect(checkNodes({ names: ['a1'], unschedulable: true }, nodes).held).toBe(false);
  });
});
