// One story, two worlds: the same manifests and steps (a Deployment of 4 busybox pods on 2 nodes,
// a scale to 6, then deleting a node) run in the simulator and in `miniku real`, and both
// converge to the same shape: how many pods run where, and their statuses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRealCluster, type RealCluster } from '../../src/cli/real-command.js';
import { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import { HttpTransport } from '../../src/runtime/http-transport.js';
import { WallClock } from '../../src/runtime/wall-clock.js';
import { newCluster, runIn } from '../cluster/cluster-fixtures.js';
import { deployment } from './real-helpers.js';

/** What both worlds are compared on, after each step. */
interface Shape {
  step: string;
  /** Running and Ready pods per node, by node name. */
  readyByNode: Record<string, number>;
  /** Phase of every pod not being deleted, sorted. */
  phases: string[];
}

interface World {
  client: KubeClient;
  sleep: (ms: number) => Promise<void>;
}

const pollMs = 500;
/** Most polls per step: 150 s of (virtual or wall) time, enough for PodGC's 40 s quarantine. */
const pollCountMax = 300;

function isReady(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as {
    phase?: string;
    conditions?: { type: string; status: string }[];
  };
  return (
    status.phase === 'Running' &&
    (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

async function shapeOf(world: World, step: string): Promise<Shape> {
  const pods = (
    await world.client.list(coreResources.pods, 'default', { labelSelector: 'app=web' })
  ).items;
  const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
  const readyByNode: Record<string, number> = {};
  for (const pod of live.filter(isReady)) {
    const node = (pod.spec as { nodeName?: string }).nodeName ?? '';
    readyByNode[node] = (readyByNode[node] ?? 0) + 1;
  }
  const phases = live.map((p) => (p.status as { phase?: string }).phase ?? 'Pending').sort();
  return { step, readyByNode, phases };
}

/** Polls until the shape satisfies `done`; the last shape seen either way. */
async function settle(world: World, step: string, done: (s: Shape) => boolean): Promise<Shape> {
  let shape = await shapeOf(world, step);
  for (let i = 0; i < pollCountMax && !done(shape); i++) {
    await world.sleep(pollMs);
    shape = await shapeOf(world, step);
  }
  return shape;
}

const total = (s: Shape) => Object.values(s.readyByNode).reduce((a, b) => a + b, 0);

/** The story, through the API only: the same calls in both worlds. */
async function story(world: World): Promise<Shape[]> {
  const { client } = world;
  const manifest = deployment('web', 4, 'exec sleep 3600') as KubeObject;
  await client.create(coreResources.deployments, 'default', manifest);
  const created = await settle(world, 'created', (s) => total(s) === 4 && s.phases.length === 4);
  await client.patch(
    coreResources.deployments,
    { namespace: 'default', name: 'web' },
    { type: 'merge', body: { spec: { replicas: 6 } } },
  );
  const scaled = await settle(world, 'scaled', (s) => total(s) === 6 && s.phases.length === 6);
  await client.delete(coreResources.nodes, '', 'node-1');
  const moved = await settle(
    world,
    'node-1 deleted',
    (s) => s.readyByNode['node-0'] === 6 && s.phases.length === 6,
  );
  return [created, scaled, moved];
}

const expected: Shape[] = [
  { step: 'created', readyByNode: { 'node-0': 2, 'node-1': 2 }, phases: Array(4).fill('Running') },
  { step: 'scaled', readyByNode: { 'node-0': 3, 'node-1': 3 }, phases: Array(6).fill('Running') },
  { step: 'node-1 deleted', readyByNode: { 'node-0': 6 }, phases: Array(6).fill('Running') },
];

describe('one scenario, two worlds', () => {
  const temp: string[] = [];
  let cluster: RealCluster | undefined;
  afterAll(async () => {
    if (cluster !== undefined) {
      cluster.killAll();
      await cluster.close();
    }
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  it('the simulator converges to the expected shape', async () => {
    const world = await newCluster([{ name: 'node-0' }, { name: 'node-1' }]);
    world.start();
    const { client, clock } = world.userClient('kubectl');
    const shapes = await runIn(world, 400_000, () =>
      story({ client, sleep: (ms) => clock.sleep(ms) }),
    );
    expect(shapes).toEqual(expected);
  }, 60_000);

  it.skipIf(findBusybox() === undefined)(
    'miniku real converges to the same shape as the simulator',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'miniku-two-worlds-'));
      temp.push(dir);
      const runtime = process.getuid?.() === 0 ? 'linux' : 'process';
      cluster = await startRealCluster(
        { nodes: '2', dataDir: join(dir, 'data'), port: '0', runtime, seed: 'two-worlds' },
        () => undefined,
      );
      const clock = new WallClock({ unrefTimers: true });
      const transport = new HttpTransport({ baseUrl: cluster.url });
      const client = new KubeClient({ transport, clock, userAgent: 'two-worlds' });
      try {
        const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
        const nodesReady = async () => {
          for (let i = 0; i < 100; i++) {
            const nodes = (await client.list(coreResources.nodes, '')).items;
            if (nodes.length === 2) return;
            await sleep(100);
          }
        };
        await nodesReady();
        expect(await story({ client, sleep })).toEqual(expected);
      } finally {
        transport.close();
      }
    },
    180_000,
  );
});
