// Tests of kubelet admission (upstream predicateAdmitHandler): resources, affinity, taints.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../store/types.js';
import type { AdmissionNode } from './admission.js';
import { admitPod, podRequests, resourceAmounts, toleratesTaint } from './admission.js';

function node(extra: Partial<AdmissionNode> = {}): AdmissionNode {
  return {
    name: 'worker-1',
    labels: { 'kubernetes.io/hostname': 'worker-1', zone: 'a' },
    allocatable: resourceAmounts({ cpu: '4', memory: '8Gi', pods: '3' }),
    taints: [],
    ...extra,
  };
}

function pod(
  requests: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): JsonObject {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: { containers: [{ name: 'a', image: 'img', resources: { requests } }], ...spec },
  } as JsonObject;
}

describe('podRequests', () => {
  it('sums app containers, takes the largest init container and adds overhead', () => {
    const p = {
      spec: {
        containers: [
          { name: 'a', resources: { requests: { cpu: '500m', memory: '1Gi' } } },
          { name: 'b', resources: { requests: { cpu: '250m' } } },
        ],
        initContainers: [{ name: 'i', resources: { requests: { cpu: '2', memory: '512Mi' } } }],
        overhead: { cpu: '100m' },
      },
    } as JsonObject;
    expect(podRequests(p)).toEqual(
      new Map([
        ['cpu', 2100n],
        ['memory', 1073741824n],
      ]),
    );
  });
});

describe('admitPod', () => {
  it('admits a pod that fits', () => {
    expect(admitPod(pod({ cpu: '1' }), node(), [pod({ cpu: '2' })])).toEqual({ admit: true });
  });

  it('rejects with OutOfcpu and upstream message when cpu does not fit', () => {
    expect(admitPod(pod({ cpu: '2' }), node(), [pod({ cpu: '1500m' }), pod({ cpu: '1' })])).toEqual(
      {
        admit: false,
        reason: 'OutOfcpu',
        message:
          "Node didn't have enough resource: cpu, requested: 2000, used: 2500, capacity: 4000",
      },
    );
  });

  it('rejects with OutOfmemory in bytes', () => {
    const result = admitPod(pod({ memory: '9Gi' }), node(), []);
    expect(result).toEqual({
      admit: false,
      reason: 'OutOfmemory',
      message:
        "Node didn't have enough resource: memory, requested: 9663676416, used: 0, " +
        'capacity: 8589934592',
    });
  });

  it('checks the pod count first', () => {
    const others = [pod(), pod(), pod()];
    expect(admitPod(pod({ cpu: '100' }), node(), others)).toEqual({
      admit: false,
      reason: 'OutOfpods',
      message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3",
    });
  });

  it('rejects a pod whose node selector or required affinity the node does not match', () => {
    const selected = pod({}, { nodeSelector: { zone: 'b' } });
    expect(admitPod(selected, node(), [])).toEqual({
      admit: false,
      reason: 'NodeAffinity',
      message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    });
    const term = { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] };
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] },
      },
    };
    expect(admitPod(pod({}, { affinity }), node(), [])).toEqual({ admit: true });
  });

  it('rejects a pod that does not tolerate a NoExecute taint, ignoring NoSchedule ones', () => {
    const taints = [
      { key: 'maintenance', value: 'now', effect: 'NoExecute' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ];
    expect(admitPod(pod(), node({ taints }), [])).toEqual({
      admit: false,
      reason: 'TaintToleration',
      message: "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
    });
    const tolerations = [{ key: 'maintenance', operator: 'Exists' }];
    expect(admitPod(pod({}, { tolerations }), node({ taints }), [])).toEqual({ admit: true });
  });

  it('refuses restartable init containers (sidecars are not supported)', () => {
    const sidecar = pod(
      {},
      { initContainers: [{ name: 'log', image: 'img', restartPolicy: 'Always' }] },
    );
    expect(admitPod(sidecar, node(), [])).toEqual({
      admit: false,
      reason: 'InitContainerRestartPolicyForbidden',
      message: 'Init container "log" may not have a non-default restartPolicy',
    });
  });
});

describe('toleratesTaint', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoExecute' };
  it.each([
    [{ key: 'k', operator: 'Equal', value: 'v' }, true],
    [{ key: 'k', value: 'v' }, true],
    [{ key: 'k', value: 'w' }, false],
    [{ key: 'k', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
  ])('%j tolerates k=v:NoExecute: %s', (toleration, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
});
