// Each built-in invariant that a cluster world can break is caught when a test breaks it on
// purpose: a pod written straight into the store over a node's capacity, a pod's containers
// started on a second node, a pod moved to another node, a binding the scheduler never chose.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { Decision } from '../../src/control/scheduler/explain.js';
import { deepFreeze } from '../../src/control/api/values/canonical-json.js';
import type { JsonObject } from '../../src/control/store/types.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import { InvariantChecker } from '../../src/sim/run/invariants.js';
import type { InvariantName } from '../../src/sim/run/invariants.js';
import { newCluster, nodeNameOf, replicaSet, runIn, waitFor } from '../cluster/cluster-fixtures.js';

const capacity = { cpu: '2', memory: '4Gi', pods: '110' };

async function checkedCluster(): Promise<{ world: ClusterWorld; checker: InvariantChecker }> {
  const world = await newCluster([
    { name: 'worker-0', capacity },
    { name: 'worker-1', capacity },
  ]);
  const checker = new InvariantChecker({ world });
  checker.start();
  world.start();
  return { world, checker };
}

function invariantsBroken(checker: InvariantChecker): InvariantName[] {
  return [...new Set(checker.violations().map((v) => v.invariant))];
}

function messages(checker: InvariantChecker, invariant: InvariantName): string[] {
  return checker
    .violations()
    .filter((v) => v.invariant === invariant)
    .map((v) => v.message);
}

/** A pod as the API server would store it, written by the test straight into the store. */
function storedPod(name: string, cpu: string, nodeName?: string): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {
      ...(nodeName === undefined ? {} : { nodeName }),
      containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu } } }],
    },
    status: { phase: 'Pending' },
  };
}

async function runningPod(world: ClusterWorld): Promise<KubeObject> {
  const { client, clock } = world.userClient('test');
  await client.create(coreResources.replicaSets, 'default', replicaSet('web', 1));
  return waitFor(
    clock,
    'a running pod',
    async () => {
      const pods = (await client.list(coreResources.pods, 'default')).items;
      const pod = pods.find((p) => (p.status as { phase?: string }).phase === 'Running');
      return pod;
    },
    60_000,
  );
}

describe('built-in invariants broken on purpose in a cluster world', () => {
  it('node-overcommit: a bound pod written into the store past the node’s cpu', async () => {
    const { world, checker } = await checkedCluster();
    await runIn(world, 30_000, async () => {
      const { clock } = world.userClient('test');
      await clock.sleep(5_000);
      const key = '/pods/default/hog';
      const created = world.store.create(key, deepFreeze(storedPod('hog', '3')));
      expect(created.ok).toBe(true);
      const bound = world.store.update(key, deepFreeze(storedPod('hog', '3', 'worker-0')));
      expect(bound.ok).toBe(true);
      await clock.sleep(5_000);
    });
    expect(invariantsBroken(checker)).toEqual(['node-overcommit']);
    const [first] = messages(checker, 'node-overcommit');
    expect(first).toMatch(
      /^node worker-0 is over-committed after revision \d+ \(pod default\/hog\): /,
    );
    expect(first).toMatch(/: cpu 3\d{3}m requested of 2000m allocatable \(\d+ pods counted\)$/);
  }, 20_000);

  it('pod-on-two-nodes: the pod’s containers started on a second node', async () => {
    const { world, checker } = await checkedCluster();
    await runIn(world, 90_000, async () => {
      const pod = await runningPod(world);
      const other = nodeNameOf(pod) === 'worker-0' ? 'worker-1' : 'worker-0';
      // Its kubelet would remove a sandbox of a pod it does not run: the node crashed, say.
      await world.stopKubelet(other);
      const runtime = world.nodes.get(other)?.runtime;
      expect(runtime).toBeDefined();
      if (runtime === undefined) return;
      const uid = pod.metadata.uid ?? '';
      const labels = { 'io.kubernetes.pod.uid': uid };
      const sandbox = await runtime.runPodSandbox({
        name: pod.metadata.name ?? '',
        namespace: 'default',
        uid,
        attempt: 0,
        hostname: 'copy',
        labels,
      });
      await runtime.pullImage('nginx:1.27');
      const id = await runtime.createContainer(sandbox, {
        name: 'web',
        image: 'nginx:1.27',
        command: [],
        args: [],
        env: [],
        workingDir: '',
        attempt: 0,
        labels,
        limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
      });
      await runtime.startContainer(id);
    });
    expect(invariantsBroken(checker)).toEqual(['pod-on-two-nodes']);
    const found = messages(checker, 'pod-on-two-nodes');
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/started a container on worker-\d while running on worker-\d/);
    expect(found[1]).toMatch(/started a container on worker-\d but is bound to worker-\d/);
  }, 20_000);

  it('pod-on-two-nodes: a pod moved to another node by a direct store write', async () => {
    const { world, checker } = await checkedCluster();
    await runIn(world, 90_000, async () => {
      const pod = await runningPod(world);
      const other = nodeNameOf(pod) === 'worker-0' ? 'worker-1' : 'worker-0';
      const key = `/pods/default/${pod.metadata.name ?? ''}`;
      const stored = world.store.get(key) as JsonObject;
      const moved = world.store.update(
        key,
        deepFreeze({ ...stored, spec: { ...(stored.spec as JsonObject), nodeName: other } }),
      );
      expect(moved.ok).toBe(true);
    });
    const found = messages(checker, 'pod-on-two-nodes');
    expect(found[0]).toMatch(
      /^pod default\/web-\w+ \(uid [\w-]+\) moved from worker-\d to worker-\d/,
    );
  }, 20_000);

  it('binding-passed-filters: the scheduler chose a node its filters rejected', async () => {
    const { world, checker } = await checkedCluster();
    await runIn(world, 30_000, async () => {
      const { client, clock } = world.userClient('test');
      await clock.sleep(5_000);
      // The default scheduler leaves pods of another scheduler alone; the test plays one.
      const pod = storedPod('manual', '100m');
      const spec = { ...(pod.spec as JsonObject), schedulerName: 'test-scheduler' };
      await client.create(coreResources.pods, 'default', { ...pod, spec } as unknown as KubeObject);
      const decision: Decision = {
        pod: 'default/manual',
        profile: 'test-scheduler',
        nodeCount: 2,
        sampledNodeCount: 2,
        feasibleNodeCount: 1,
        filtered: [
          {
            node: 'worker-1',
            plugin: 'NodeResourcesFit',
            code: 'Unschedulable',
            reasons: ['Insufficient cpu'],
          },
        ],
        chosen: 'worker-0',
      };
      world.scheduler.onDecision?.(decision);
      world.scheduler.onDecision?.({ ...decision, chosen: 'worker-1' });
      await client.bind('default', 'manual', 'worker-1');
      await clock.sleep(1_000);
    });
    expect(invariantsBroken(checker)).toEqual(['binding-passed-filters']);
    expect(messages(checker, 'binding-passed-filters')).toEqual([
      'the scheduler chose worker-1 for pod default/manual although filter NodeResourcesFit ' +
        'rejected it in the same cycle: Insufficient cpu',
    ]);
  }, 20_000);

  it('binding-passed-filters: a binding to another node than the scheduler chose', async () => {
    const { world, checker } = await checkedCluster();
    await runIn(world, 30_000, async () => {
      const { client, clock } = world.userClient('test');
      await clock.sleep(5_000);
      const pod = storedPod('manual', '100m');
      const spec = { ...(pod.spec as JsonObject), schedulerName: 'test-scheduler' };
      await client.create(coreResources.pods, 'default', { ...pod, spec } as unknown as KubeObject);
      world.scheduler.onDecision?.({
        pod: 'default/manual',
        profile: 'test-scheduler',
        nodeCount: 2,
        sampledNodeCount: 2,
        feasibleNodeCount: 2,
        filtered: [],
        chosen: 'worker-0',
      });
      await client.bind('default', 'manual', 'worker-1');
      await clock.sleep(1_000);
    });
    expect(messages(checker, 'binding-passed-filters')).toEqual([
      expect.stringMatching(/^pod default\/manual was bound to worker-1 at revision \d+, but /),
    ]);
    expect(messages(checker, 'binding-passed-filters')[0]).toMatch(/the scheduler chose worker-0/);
  }, 20_000);
});
