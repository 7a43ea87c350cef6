// The kubelet registers its Node, renews its Lease and reports node status, in virtual time.

import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import { formatTime, parseMicroTime, parseTime } from '../../src/control/api/values/time.js';
import { gitVersion } from '../../src/control/version.js';
import { createKubeletWorld, epochMs, nodeName, type Status } from './kubelet-world.js';

describe('kubelet registration and heartbeats', () => {
  it('registers its Node with capacity, labels, nodeInfo, addresses, conditions', async () => {
    const world = await createKubeletWorld();
    const node = await world.run(async () => {
      world.startKubelet(1, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
      await world.userClock.sleep(1_000);
      return (await world.user.get(coreResources.nodes, '', nodeName)) as Status;
    }, 2_000);
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': nodeName,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    });
    expect(node.spec.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(node.spec.podCIDR).toBe('10.244.1.0/24');
    expect(node.status.capacity).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node.status.allocatable).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node.status.nodeInfo.kubeletVersion).toBe(gitVersion);
    expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^sim:\/\//);
    expect(node.status.nodeInfo.operatingSystem).toBe('linux');
    expect(node.status.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.0.11' },
      { type: 'Hostname', address: nodeName },
    ]);
    expect(node.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    const types = (node.status.conditions as Status[]).map((c) => [c.type, c.status, c.reason]);
    expect(types).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    const ready = (node.status.conditions as Status[]).find((c) => c.type === 'Ready') as Status;
    expect(ready.message).toBe('kubelet is posting ready status');
  });

  it('renews its Lease every 10 s with renewTime from its clock', async () => {
    const world = await createKubeletWorld();
    const renewals: number[] = [];
    await world.run(async () => {
      world.startKubelet();
      let last = '';
      for (let i = 0; i < 450; i++) {
        await world.userClock.sleep(100);
        try {
          const lease = (await world.user.get(
            coreResources.leases,
            'kube-node-lease',
            nodeName,
          )) as Status;
          if (lease.spec.renewTime !== last) {
            last = lease.spec.renewTime;
            renewals.push((parseMicroTime(last) as number) - epochMs);
            expect(lease.spec.holderIdentity).toBe(nodeName);
            expect(lease.spec.leaseDurationSeconds).toBe(40);
            expect(lease.metadata.ownerReferences[0]).toMatchObject({
              kind: 'Node',
              name: nodeName,
            });
          }
        } catch {
          // not created yet
        }
      }
    }, 46_000);
    expect(renewals.length).toBe(5);
    const gaps = renewals.slice(1).map((t, i) => t - (renewals[i] as number));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThanOrEqual(10_400);
    }
  });

  it('posts node status only on change or after the report period', async () => {
    const world = await createKubeletWorld();
    const { heartbeats, nodeAfter } = await world.run(async () => {
      const kubelet = world.startKubelet(1, {
        nodeStatusUpdateFrequencyMs: 10_000,
        nodeStatusReportFrequencyMs: 60_000,
      });
      await world.userClock.sleep(65_000);
      const node = (await world.user.get(coreResources.nodes, '', nodeName)) as Status;
      return { heartbeats: kubelet.heartbeats, nodeAfter: node };
    }, 70_000);
    // the registration itself, then nothing changes until the report period has passed
    expect(heartbeats.statusReports).toBe(2);
    const ready = (nodeAfter.status.conditions as Status[]).find(
      (c) => c.type === 'Ready',
    ) as Status;
    const heartbeatAtMs = (parseTime(ready.lastHeartbeatTime) as number) - epochMs;
    expect(heartbeatAtMs).toBeGreaterThanOrEqual(60_000);
    expect(ready.lastTransitionTime).toBe(formatTime(epochMs));
  });

  it('adopts an existing Node, restoring its standard labels', async () => {
    const world = await createKubeletWorld();
    const node = await world.run(async () => {
      const existing = {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: nodeName, labels: { keep: 'me' } },
      };
      await world.user.create(coreResources.nodes, '', existing);
      world.startKubelet();
      await world.userClock.sleep(2_000);
      return (await world.user.get(coreResources.nodes, '', nodeName)) as Status;
    }, 3_000);
    expect(node.metadata.labels).toMatchObject({
      keep: 'me',
      'kubernetes.io/hostname': nodeName,
      'kubernetes.io/os': 'linux',
    });
    const ready = (node.status.conditions as Status[]).find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady' });
  });

  it('records the Starting and condition events on its Node', async () => {
    const world = await createKubeletWorld();
    const events = await world.run(async () => {
      world.startKubelet();
      await world.userClock.sleep(1_000);
      return (await world.user.list(coreResources.events, 'default')).items as Status[];
    }, 2_000);
    const mine = events.filter((e) => e.involvedObject.kind === 'Node');
    expect(mine.map((e) => [e.reason, e.message]).sort()).toEqual([
      ['NodeHasNoDiskPressure', `Node ${nodeName} status is now: NodeHasNoDiskPressure`],
      ['NodeHasSufficientMemory', `Node ${nodeName} status is now: NodeHasSufficientMemory`],
      ['NodeHasSufficientPID', `Node ${nodeName} status is now: NodeHasSufficientPID`],
      ['NodeReady', `Node ${nodeName} status is now: NodeReady`],
      ['Starting', 'Starting kubelet.'],
    ]);
    expect(mine[0]).toMatchObject({ source: { component: 'kubelet', host: nodeName } });
  });
});
