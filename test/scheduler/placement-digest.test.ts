// Pins the placements of a fixed seeded workload so performance work cannot change decisions.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchesLabels, selectorFromSet } from '../../src/control/api/values/labels.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import { SchedulerCache } from '../../src/control/scheduler/cache.js';
import { resolveSchedulerConfig } from '../../src/control/scheduler/config.js';
import { fullFields } from '../../src/control/scheduler/explain.js';
import { podInfoOf } from '../../src/control/scheduler/framework/pod-info.js';
import { inTreeRegistry } from '../../src/control/scheduler/framework/registry.js';
import { Framework } from '../../src/control/scheduler/framework/runtime.js';
import type { FrameworkHandle } from '../../src/control/scheduler/framework/types.js';
import { success } from '../../src/control/scheduler/framework/types.js';
import type { JsonObject, JsonValue } from '../../src/control/store/types.js';

const zones = ['zone-a', 'zone-b', 'zone-c'];

function node(i: number): JsonObject {
  const name = `node-${String(i).padStart(3, '0')}`;
  const allocatable = { cpu: String(2 + (i % 4) * 2), memory: `${4 + (i % 3) * 4}Gi`, pods: '110' };
  const spec: Record<string, JsonValue> = {};
  if (i % 17 === 0) {
    spec.taints = [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }];
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'topology.kubernetes.io/zone': zones[i % 3] as string,
      },
    },
    spec,
    status: { allocatable, capacity: allocatable },
  };
}

function pod(i: number): JsonObject {
  const app = `app-${i % 7}`;
  const spec: Record<string, JsonValue> = {
    containers: [
      {
        name: 'c',
        image: `image-${i % 5}`,
        resources: {
          requests: { cpu: `${100 + (i % 6) * 150}m`, memory: `${128 + (i % 4) * 256}Mi` },
        },
      },
    ],
  };
  if (i % 5 === 1) {
    spec.affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
  } else if (i % 5 === 2) {
    spec.affinity = {
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            podAffinityTerm: {
              labelSelector: { matchLabels: { app: 'app-3' } },
              topologyKey: 'topology.kubernetes.io/zone',
            },
          },
        ],
      },
    };
  } else if (i % 5 === 3) {
    spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'infra' }];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app } },
    spec,
  };
}

function handle(batched: boolean): FrameworkHandle {
  return {
    ...(batched ? { hasNominatedPods: () => false } : {}),
    bindPod: async () => success,
    deletePod: async () => success,
    setNominatedNodeName: async () => success,
    selectorsFor: (p) => {
      const selector = selectorFromSet({ app: p.labels.app ?? '' });
      return matchesLabels(selector, p.labels) ? [selector] : [];
    },
    nominatedPods: () => [],
    nowMs: () => 0,
  };
}

async function placements(seed: number, batched = true): Promise<string[]> {
  return (await run(seed, batched)).placements;
}

/** Placements and every decision's full record (filter outcomes, score table, sample size). */
async function run(seed: number, batched: boolean) {
  const resolved = resolveSchedulerConfig({});
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  const fw = new Framework({
    profile: resolved.config.profiles[0]!,
    registry: inTreeRegistry(),
    handle: handle(batched),
    percentageOfNodesToScore: 0,
    rng: createRng(seed, 'select-host'),
    sampling: { nextStartNodeIndex: 0 },
  });
  const cache = new SchedulerCache();
  for (let i = 0; i < 300; i++) cache.addNode(node(i));
  const out: string[] = [];
  const decisions: string[] = [];
  for (let i = 0; i < 700; i++) {
    const info = podInfoOf(pod(i));
    const outcome = await fw.schedulePod(info, cache.updateSnapshot());
    decisions.push(JSON.stringify(fullFields(outcome.decision)));
    if (outcome.kind !== 'scheduled') {
      out.push(`${info.key}:${outcome.kind}`);
      continue;
    }
    cache.assumePod(info, outcome.nodeName);
    out.push(`${info.key}:${outcome.nodeName}`);
  }
  return { placements: out, decisions };
}

describe('placement digest', () => {
  it('a seeded mixed workload over 300 nodes lands on the same nodes as when it was pinned', async () => {
    const lines = await placements(42);
    const digest = createHash('sha256').update(lines.join('\n')).digest('hex');
    expect(lines.filter((l) => l.endsWith(':scheduled')).length).toBe(0);
    expect(lines.filter((l) => l.endsWith(':unschedulable')).length).toBe(0);
    expect(digest).toBe('fa3723ca11deb68fb5b39d05215dfcbd1114cfec5c87a0b604a26e43331dd849');
  });

  it('batch filters and scores decide exactly as node-by-node ones, record for record', async () => {
    const batched = await run(7, true);
    const single = await run(7, false);
    expect(batched.decisions.length).toBe(700);
    for (let i = 0; i < batched.decisions.length; i++) {
      expect(batched.decisions[i], `decision ${i}`).toBe(single.decisions[i]);
    }
  });
});
