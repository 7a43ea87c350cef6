// Tests for PodLog: stable pod identities, one placement per pod, disruption counting.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../control/client/types.js';
import { PodLog } from './pod-log.js';

interface PodFields {
  name: string;
  uid?: string;
  owner?: string;
  created?: string;
  rv: number;
  node?: string;
  disrupted?: boolean;
}

function pod(f: PodFields): KubeObject {
  return {
    metadata: {
      name: f.name,
      namespace: 'default',
      uid: f.uid ?? `uid-${f.name}`,
      resourceVersion: String(f.rv),
      creationTimestamp: f.created ?? '2026-01-01T00:00:00Z',
      ...(f.owner === undefined
        ? {}
        : {
            ownerReferences: [
              { apiVersion: 'v1', kind: 'Other', name: 'not-the-controller' },
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: f.owner, controller: true },
            ],
          }),
    },
    spec: f.node === undefined ? {} : { nodeName: f.node },
    status: f.disrupted
      ? {
          conditions: [
            { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' },
          ],
        }
      : {},
  };
}

describe('PodLog', () => {
  it('names pods by controller owner and creation ordinal, not by generated name', () => {
    const log = new PodLog();
    // Seen out of creation order: the later-created pod first (as after a relist).
    log.observe(
      pod({ name: 'web-zzz', owner: 'web-1', rv: 9, created: '2026-01-01T00:00:05Z' }),
      0,
    );
    log.observe(pod({ name: 'web-aaa', owner: 'web-1', rv: 7, node: 'n2' }), 1_000);
    log.observe(pod({ name: 'web-bbb', owner: 'web-1', rv: 3, node: 'n1' }), 1_000);
    log.observe(pod({ name: 'web-zzz', owner: 'web-1', rv: 12, node: 'n3' }), 2_000);
    expect(log.placements(10_000)).toEqual([
      { atMs: 1_000, pod: 'ReplicaSet/default/web-1#0', name: 'default/web-bbb', node: 'n1' },
      { atMs: 1_000, pod: 'ReplicaSet/default/web-1#1', name: 'default/web-aaa', node: 'n2' },
      { atMs: 2_000, pod: 'ReplicaSet/default/web-1#2', name: 'default/web-zzz', node: 'n3' },
    ]);
  });

  it('gives a pod without a controller owner its own name as identity', () => {
    const log = new PodLog();
    log.observe(pod({ name: 'solo', rv: 4, node: 'n1' }), 500);
    expect(log.placements(10_000)).toEqual([
      { atMs: 500, pod: 'Pod/default/solo', name: 'default/solo', node: 'n1' },
    ]);
  });

  it('records only the first binding seen, clamps bindings before the start to 0', () => {
    const log = new PodLog();
    log.observe(pod({ name: 'early', rv: 1, node: 'n1' }), -3_000);
    log.observe(pod({ name: 'early', rv: 5, node: 'n1' }), 4_000);
    log.observe(pod({ name: 'late', rv: 6, node: 'n2' }), 20_000);
    expect(log.placements(10_000)).toEqual([
      { atMs: 0, pod: 'Pod/default/early', name: 'default/early', node: 'n1' },
    ]);
  });

  it('keeps ordinals of deleted pods, so a replacement gets the next one', () => {
    const log = new PodLog();
    log.observe(pod({ name: 'a', owner: 'rs', rv: 1, node: 'n1' }), 0);
    log.observe(pod({ name: 'b', owner: 'rs', rv: 2, node: 'n2', disrupted: true }), 0);
    log.observe(pod({ name: 'c', owner: 'rs', rv: 3, node: 'n1' }), 60_000);
    const pods = log.placements(120_000).map((p) => `${p.pod}@${p.node}`);
    expect(pods).toEqual([
      'ReplicaSet/default/rs#0@n1',
      'ReplicaSet/default/rs#1@n2',
      'ReplicaSet/default/rs#2@n1',
    ]);
    expect(log.disruptedCount()).toBe(1);
  });

  it('stops logging past podCountMax and says so', () => {
    const log = new PodLog({ podCountMax: 2 });
    for (let i = 0; i < 3; i++) log.observe(pod({ name: `p${i}`, rv: i + 1, node: 'n' }), 0);
    expect(log.placements(1_000)).toHaveLength(2);
    expect(log.truncated).toBe(true);
  });
});
