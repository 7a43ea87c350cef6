import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import { SchedulerCache } from '../../src/control/scheduler/cache.js';
import { resolveSchedulerConfig } from '../../src/control/scheduler/config.js';
import { inTreeRegistry } from '../../src/control/scheduler/framework/registry.js';
import { Framework } from '../../src/control/scheduler/framework/runtime.js';
import { nodeObject, podInfo, stubHandle } from './scheduler-fixtures.js';
import { withoutPreemption } from './scheduler-world.js';

describe('scheduling at scale', () => {
  it('schedules 100 pods over 5,000 nodes with the default plugins, sampling 500 per cycle', async () => {
    const resolved = resolveSchedulerConfig(withoutPreemption);
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const sampling = { nextStartNodeIndex: 0 };
    const fw = new Framework({
      profile: resolved.config.profiles[0]!,
      registry: inTreeRegistry(),
      handle: stubHandle(),
      percentageOfNodesToScore: 0,
      rng: createRng(7),
      sampling,
    });
    const cache = new SchedulerCache();
    for (let i = 0; i < 5000; i++) {
      cache.addNode(nodeObject(`node-${String(i).padStart(4, '0')}`, { cpu: '8' }));
    }
    const chosen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const pod = podInfo(`p${i}`, { cpu: '500m', memory: '256Mi' });
      const outcome = await fw.schedulePod(pod, cache.updateSnapshot());
      expect(outcome.kind).toBe('scheduled');
      if (outcome.kind !== 'scheduled') return;
      expect(outcome.decision.sampledNodeCount).toBe(500);
      cache.assumePod(pod, outcome.nodeName);
      chosen.add(outcome.nodeName);
    }
    // Round-robin sampling walks the cluster: 100 cycles × 500 nodes cover it ten times.
    expect(sampling.nextStartNodeIndex).toBe(0);
    expect(chosen.size).toBe(100);
  });
});
