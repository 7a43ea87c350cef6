import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import { podObject } from './scheduler-fixtures.js';
import { createSchedulerWorld, type SchedulerWorld } from './scheduler-world.js';

function nodeOf(pod: KubeObject): string | undefined {
  return (pod.spec as { nodeName?: string }).nodeName;
}

function byName(pods: KubeObject[]): Map<string, KubeObject> {
  return new Map(pods.map((p) => [p.metadata.name ?? '', p]));
}

let world: SchedulerWorld | undefined;
afterEach(() => world?.scheduler.stop());

describe('Scheduler end to end', () => {
  it('binds every pod to a node that has room for it', async () => {
    world = await createSchedulerWorld();
    for (const name of ['n1', 'n2', 'n3']) await world.addNode(name, { cpu: '2' });
    world.scheduler.start();
    for (let i = 0; i < 6; i++) await world.addPod(`p${i}`, { cpu: '1' });
    await world.advance(5_000);
    const pods = await world.pods();
    const perNode = new Map<string, number>();
    for (const pod of pods) {
      const node = nodeOf(pod);
      expect(node).toBeDefined();
      perNode.set(node!, (perNode.get(node!) ?? 0) + 1);
    }
    expect([...perNode.values()].sort()).toEqual([2, 2, 2]);
    const events = await world.events();
    const scheduled = events.filter((e) => e.reason === 'Scheduled');
    expect(scheduled).toHaveLength(6);
    const p0 = byName(pods).get('p0')!;
    expect(scheduled.map((e) => e.message)).toContain(
      `Successfully assigned default/p0 to ${nodeOf(p0)}`,
    );
    const first = scheduled.find((e) => String(e.message).includes(`default/p0 `))!;
    const annotations = (first.metadata as { annotations?: Record<string, string> }).annotations;
    const summary = JSON.parse(annotations?.['scheduler.miniku.dev/decision'] ?? '{}');
    expect(summary.chosen).toBe(nodeOf(p0));
    expect(summary.sampledNodeCount).toBe(3);
  });

  it('marks a pod that fits nowhere Unschedulable and emits FailedScheduling', async () => {
    world = await createSchedulerWorld();
    for (const name of ['n1', 'n2', 'n3']) await world.addNode(name, { cpu: '2' });
    world.scheduler.start();
    await world.addPod('huge', { cpu: '3' });
    await world.advance(5_000);
    const pod = byName(await world.pods()).get('huge')!;
    expect(nodeOf(pod)).toBeUndefined();
    const conditions = (pod.status as { conditions?: Record<string, unknown>[] }).conditions ?? [];
    const scheduled = conditions.find((c) => c.type === 'PodScheduled');
    const message =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: ' +
      '3 No preemption victims found for incoming pod.';
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const events = (await world.events()).filter((e) => e.reason === 'FailedScheduling');
    expect(events.map((e) => [e.type, e.message])).toEqual([['Warning', message]]);
    const annotations = (events[0]?.metadata as { annotations?: Record<string, string> })
      .annotations;
    const summary = JSON.parse(annotations?.['scheduler.miniku.dev/decision'] ?? '{}');
    expect(summary).toMatchObject({ reasons: ['3 Insufficient cpu'], chosen: null });
  });

  it('schedules an unschedulable pod once a node with room arrives', async () => {
    world = await createSchedulerWorld();
    await world.addNode('small', { cpu: '1' });
    world.scheduler.start();
    await world.addPod('big', { cpu: '2' });
    await world.advance(2_000);
    expect(world.scheduler.queue.whereIs('default/big')).toBe('unschedulable');
    await world.addNode('large', { cpu: '4' });
    await world.advance(15_000);
    expect(nodeOf(byName(await world.pods()).get('big')!)).toBe('large');
  });

  it('assumed pods prevent double booking before the bindings are observed', async () => {
    world = await createSchedulerWorld({ bindDelayMs: 3_000 });
    await world.addNode('n1', { cpu: '1' });
    await world.addNode('n2', { cpu: '1' });
    world.scheduler.start();
    await world.advance(1_000);
    // All three pods arrive at once, so cycles run back to back before any watch event.
    await world.run(async () => {
      const { coreResources } = await import('../../src/control/client/resource-client.js');
      const { podObject } = await import('./scheduler-fixtures.js');
      await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          world!.client.create(
            coreResources.pods,
            'default',
            podObject(name, { cpu: '1' }) as never,
          ),
        ),
      );
    });
    await world.advance(1_000);
    // Every cycle has run, no binding has reached the server yet.
    expect(world.scheduler.stats().attempts).toBeGreaterThanOrEqual(3);
    expect((await world.pods()).filter((p) => nodeOf(p) !== undefined)).toHaveLength(0);
    await world.advance(5_000);
    const pods = byName(await world.pods());
    const nodes = ['a', 'b', 'c'].map((n) => nodeOf(pods.get(n)!));
    const bound = nodes.filter((n) => n !== undefined);
    expect(bound).toHaveLength(2);
    expect(new Set(bound).size).toBe(2);
    expect(world.scheduler.stats().bindFailures).toBe(0);
  });

  it('records a decision trace per cycle', async () => {
    world = await createSchedulerWorld();
    await world.addNode('n1', { cpu: '2' });
    await world.addNode('n2', { cpu: '2' });
    world.scheduler.start();
    await world.addPod('p', { cpu: '1' });
    await world.advance(2_000);
    const summary = world.traces.find(
      (t) => t.type === 'scheduler.decision' && t.level === 'summary',
    );
    expect(summary?.fields).toMatchObject({ pod: 'default/p', nodeCount: 2, sampledNodeCount: 2 });
    expect(['n1', 'n2']).toContain(summary?.fields.chosen);
  });

  it('preempts a lower-priority pod for a higher-priority one', async () => {
    world = await createSchedulerWorld();
    const w = world;
    await w.addNode('n1', { cpu: '2' });
    w.scheduler.start();
    await w.addPod('low', { cpu: '2' });
    await w.advance(2_000);
    const priorityClasses = {
      group: 'scheduling.k8s.io',
      version: 'v1',
      plural: 'priorityclasses',
      namespaced: false,
    };
    await w.run(async () => {
      await w.client.create(priorityClasses, '', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'high' },
        value: 1000,
      });
      const pod = podObject('high', { cpu: '2' });
      const spec = { ...(pod.spec as object), priorityClassName: 'high' };
      await w.client.create(coreResources.pods, 'default', { ...pod, spec } as never);
    });
    await w.advance(60_000);
    const pods = byName(await w.pods());
    const low = pods.get('low');
    // Without a kubelet the victim stays terminating, marked as upstream marks it.
    expect(low?.metadata.deletionTimestamp).toBeDefined();
    const conditions = (low?.status as { conditions?: Record<string, string>[] }).conditions;
    expect(conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    const preempted = (await w.events()).find((e) => e.reason === 'Preempted');
    expect(String(preempted?.message)).toMatch(/^Preempted by pod .+ on node n1$/);
    const high = pods.get('high')!;
    const nominated = (high.status as { nominatedNodeName?: string }).nominatedNodeName;
    expect(nodeOf(high) ?? nominated).toBe('n1');
    const failed = (await w.events()).find((e) => e.reason === 'FailedScheduling');
    // A successful PostFilter adds no preemption suffix.
    expect(String(failed?.message)).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('forgets and retries a pod whose binding failed', async () => {
    world = await createSchedulerWorld({ failBindings: 1 });
    await world.addNode('n1', { cpu: '2' });
    world.scheduler.start();
    await world.addPod('p', { cpu: '1' });
    await world.advance(500);
    expect(world.scheduler.stats().bindFailures).toBe(1);
    expect(world.scheduler.cache.nodeOf('default/p')).toBeUndefined();
    expect(world.scheduler.queue.whereIs('default/p')).toBe('backoff');
    await world.advance(5_000);
    expect(nodeOf(byName(await world.pods()).get('p')!)).toBe('n1');
    const reasons = (await world.events()).map((e) => e.reason);
    expect(reasons).toEqual(['FailedScheduling', 'Scheduled']);
  });

  it('makes the same choices for the same seed', async () => {
    const placements = async (seed: number) => {
      const w = await createSchedulerWorld({ seed });
      for (let i = 0; i < 5; i++) await w.addNode(`n${i}`, { cpu: '4' });
      w.scheduler.start();
      for (let i = 0; i < 8; i++) await w.addPod(`p${i}`, { cpu: '100m' });
      await w.advance(5_000);
      const out = (await w.pods()).map((p) => `${p.metadata.name}@${nodeOf(p)}`);
      w.scheduler.stop();
      return out.join(',');
    };
    const first = await placements(11);
    expect(await placements(11)).toBe(first);
    expect(first).not.toContain('undefined');
  });

  it('schedules only pods whose schedulerName is one of its profiles (YAML config)', async () => {
    const yaml = [
      'apiVersion: kubescheduler.config.k8s.io/v1',
      'kind: KubeSchedulerConfiguration',
      'profiles:',
      '  - schedulerName: default-scheduler',
      '  - schedulerName: packer',
      '    plugins:',
      '      score:',
      '        disabled: [{name: NodeResourcesBalancedAllocation}]',
    ].join('\n');
    world = await createSchedulerWorld({ config: yaml });
    const w = world;
    await w.addNode('n1');
    w.scheduler.start();
    await w.run(async () => {
      for (const [name, schedulerName] of [
        ['a', 'packer'],
        ['b', 'someone-else'],
      ] as const) {
        const pod = podObject(name);
        const spec = { ...(pod.spec as object), schedulerName };
        await w.client.create(coreResources.pods, 'default', { ...pod, spec } as never);
      }
    });
    await w.advance(3_000);
    const pods = byName(await w.pods());
    expect(nodeOf(pods.get('a')!)).toBe('n1');
    expect(nodeOf(pods.get('b')!)).toBeUndefined();
  });

  it('refuses an invalid configuration with field paths', async () => {
    await expect(
      createSchedulerWorld({
        config: { profiles: [{ plugins: { filter: { enabled: [{ name: 'Nope' }] } } }] },
      }),
    ).rejects.toThrow(
      'Invalid scheduler configuration: profiles[0].plugins.filter.enabled[0].name: ' +
        'Invalid value: "Nope": unknown plugin',
    );
  });

  it('holds a pod with scheduling gates until the gates are removed', async () => {
    world = await createSchedulerWorld();
    const w = world;
    await w.addNode('n1');
    w.scheduler.start();
    await w.run(async () => {
      const pod = podObject('gated');
      const spec = { ...(pod.spec as object), schedulingGates: [{ name: 'example.com/wait' }] };
      await w.client.create(coreResources.pods, 'default', { ...pod, spec } as never);
    });
    await w.advance(3_000);
    expect(w.scheduler.stats().attempts).toBe(0);
    await w.run(async () => {
      const patch = { type: 'merge' as const, body: { spec: { schedulingGates: null } } };
      await w.client.patch(coreResources.pods, { namespace: 'default', name: 'gated' }, patch);
    });
    await w.advance(3_000);
    expect(nodeOf(byName(await w.pods()).get('gated')!)).toBe('n1');
  });
});
