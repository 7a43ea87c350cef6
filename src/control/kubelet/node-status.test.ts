// Tests of the Node the kubelet registers and of its status reports.

import { describe, expect, it } from 'vitest';
import { formatTime } from '../api/values/time.js';
import type { JsonObject } from '../store/types.js';
import type { NodeIdentity } from './node-status.js';
import { initialNode, nextNodeStatus, nodeImages, nodeStatusChanged } from './node-status.js';

const t0 = 1_767_225_600_000;

const identity: NodeIdentity = {
  nodeName: 'worker-1',
  hostname: 'worker-1',
  nodeIp: '192.168.0.11',
  capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  labels: { 'topology.kubernetes.io/zone': 'a' },
  taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
  podCidr: '10.244.1.0/24',
  nodeInfo: {
    machineID: 'm',
    systemUUID: 's',
    bootID: 'b',
    kernelVersion: '6.8.0',
    osImage: 'miniku',
    containerRuntimeVersion: 'sim://0.1.0',
    kubeletVersion: 'v1.32.0',
    kubeProxyVersion: 'v1.32.0',
    operatingSystem: 'linux',
    architecture: 'arm64',
  },
  kubeletPort: 10250,
};

describe('initialNode', () => {
  it('carries the standard labels, taints, the attach-detach annotation and a Ready status', () => {
    const { node, events } = initialNode(identity, [], t0);
    const meta = node.metadata as JsonObject;
    expect(meta.labels).toEqual({
      'beta.kubernetes.io/arch': 'arm64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/hostname': 'worker-1',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': 'a',
    });
    expect(meta.annotations).toEqual({
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    });
    expect(node.spec).toEqual({
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
    });
    expect(events).toEqual([
      'NodeHasSufficientMemory',
      'NodeHasNoDiskPressure',
      'NodeHasSufficientPID',
      'NodeReady',
    ]);
  });
});

describe('nextNodeStatus', () => {
  it('refreshes heartbeats without changing transition times or counting as a change', () => {
    const first = nextNodeStatus(undefined, identity, [], t0).status;
    const { status, events } = nextNodeStatus(first, identity, [], t0 + 10_000);
    const ready = (status.conditions as JsonObject[]).find((c) => c.type === 'Ready') as JsonObject;
    expect(ready.lastHeartbeatTime).toBe(formatTime(t0 + 10_000));
    expect(ready.lastTransitionTime).toBe(formatTime(t0));
    expect(events).toEqual([]);
    expect(nodeStatusChanged(first, status)).toBe(false);
  });

  it('turns a Ready=Unknown set by the node controller back to True and records NodeReady', () => {
    const first = nextNodeStatus(undefined, identity, [], t0).status;
    const conditions = (first.conditions as JsonObject[]).map((c) =>
      c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c,
    );
    const { status, events } = nextNodeStatus({ ...first, conditions }, identity, [], t0 + 60_000);
    const ready = (status.conditions as JsonObject[]).find((c) => c.type === 'Ready') as JsonObject;
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(ready.lastTransitionTime).toBe(formatTime(t0 + 60_000));
    expect(events).toEqual(['NodeReady']);
  });

  it('counts new images as a change', () => {
    const first = nextNodeStatus(undefined, identity, [], t0).status;
    const image = { ref: 'nginx:1.27', id: 'sha256:1', sizeBytes: 10 };
    const next = nextNodeStatus(first, identity, [image], t0 + 10_000).status;
    expect(nodeStatusChanged(first, next)).toBe(true);
  });
});

describe('nodeImages', () => {
  it('lists the largest images first, at most 50', () => {
    const images = Array.from({ length: 60 }, (_, i) => ({
      ref: `img:${i}`,
      id: `${i}`,
      sizeBytes: i,
    }));
    const listed = nodeImages(images);
    expect(listed).toHaveLength(50);
    expect(listed[0]).toEqual({ names: ['img:59'], sizeBytes: 59 });
  });
});
