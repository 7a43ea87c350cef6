// `miniku demo`: a short scripted session of the control-plane core in virtual time — clients
// writing through the API server, an informer watching, a write conflict — with its digest.
import { coreResources } from '../control/client/resource-client.js';
import { isConflict } from '../control/client/errors.js';
import { Informer } from '../control/client/informer.js';
import type { KubeObject } from '../control/client/types.js';
import { sha256Hex } from '../control/util/sha256.js';
import type { CoreWorld } from './core-world.js';
import { createCoreWorld } from './core-world.js';

export interface DemoOptions {
  seed: string | number;
  drain: () => Promise<void>;
}

export interface DemoResult {
  lines: string[];
  /** SHA-256 of the transcript: the same seed always gives the same digest. */
  digest: string;
}

const startMs = Date.UTC(2026, 0, 1);
const durationMs = 120_000;
const nodeNames = ['worker-1', 'worker-2', 'worker-3'];
const { pods, nodes } = coreResources;

type Log = (actor: string, text: string) => void;

function metaOf(object: KubeObject): {
  name: string;
  namespace?: string;
  resourceVersion?: string;
} {
  return object.metadata as { name: string; namespace?: string; resourceVersion?: string };
}

function describePod(object: KubeObject): string {
  const meta = metaOf(object);
  const spec = (object as { spec?: { nodeName?: string } }).spec ?? {};
  const deleting = (object.metadata as { deletionTimestamp?: string }).deletionTimestamp;
  const where = spec.nodeName === undefined ? 'unscheduled' : `on ${spec.nodeName}`;
  return `${meta.namespace}/${meta.name} rv=${meta.resourceVersion} ${where}${deleting === undefined ? '' : ' terminating'}`;
}

function startObserver(world: CoreWorld, log: Log): void {
  const { client, clock, rng } = world.newClient('observer');
  const informer = new Informer({ client, resource: pods, clock, rng });
  informer.addEventHandler({
    onAdd: (pod) => log('observer', `ADDED    ${describePod(pod)}`),
    onUpdate: (_old, pod) => log('observer', `MODIFIED ${describePod(pod)}`),
    onDelete: (pod) => log('observer', `DELETED  ${describePod(pod)}`),
  });
  informer.start();
}

async function alice(world: CoreWorld, log: Log): Promise<string[]> {
  const { client, clock, rng } = world.newClient('alice');
  for (const name of nodeNames) {
    await client.create(nodes, '', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
    });
  }
  log('alice', `registered nodes ${nodeNames.join(', ')}`);
  const created: string[] = [];
  for (let i = 0; i < 6; i++) {
    await clock.sleep(1_000 + rng.intBelow(9_000));
    const pod = await client.create(pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'web-', labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            resources: { requests: { cpu: '250m', memory: '64Mi' } },
          },
        ],
      },
    });
    created.push(metaOf(pod).name);
  }
  return created;
}

/** Binds unbound pods to random nodes: a stand-in until the scheduler exists. */
async function binder(world: CoreWorld, log: Log): Promise<void> {
  const { client, clock, rng } = world.newClient('binder');
  for (let t = 5_000; t <= 70_000; t += 5_000) {
    await clock.sleep(5_000);
    const pending = await client.list(pods, 'default', { fieldSelector: 'spec.nodeName=' });
    for (const pod of pending.items) {
      const node = rng.pick(nodeNames);
      await client.bind('default', metaOf(pod).name, node);
      log(
        'binder',
        `bound default/${metaOf(pod).name} to ${node} (random choice; no scheduler yet)`,
      );
    }
  }
}

/** Two writers update the same pod from the same read: one wins, one gets 409 and retries. */
async function conflictingWriters(world: CoreWorld, log: Log, podName: string): Promise<void> {
  const writers = ['bob', 'carol'].map((name) => ({ name, ...world.newClient(name) }));
  const reads = await Promise.all(writers.map((w) => w.client.get(pods, 'default', podName)));
  await Promise.all(
    writers.map(async (w, i) => {
      let current = reads[i] as KubeObject;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const labels = {
          ...((current.metadata as { labels?: Record<string, string> }).labels ?? {}),
          [`edited-by-${w.name}`]: 'yes',
        };
        try {
          const updated = await w.client.update(pods, 'default', {
            ...current,
            metadata: { ...current.metadata, labels },
          });
          log(
            w.name,
            `updated default/${podName} on attempt ${attempt} (rv=${metaOf(updated).resourceVersion})`,
          );
          return;
        } catch (error) {
          if (!isConflict(error)) throw error;
          log(w.name, `409 Conflict on default/${podName}: re-reading and retrying`);
          current = await w.client.get(pods, 'default', podName);
        }
      }
    }),
  );
}

async function script(world: CoreWorld, log: Log): Promise<void> {
  const names = await alice(world, log);
  const { clock } = world.newClient('script');
  const first = names[0] as string;
  const second = names[1] as string;
  await clock.sleep(Math.max(0, startMs + 75_000 - clock.nowMs()));
  await conflictingWriters(world, log, first);
  await clock.sleep(5_000);
  const { client } = world.newClient('alice-delete');
  await client.delete(pods, 'default', second);
  log('alice', `deleted default/${second}: bound, so it terminates gracefully (30 s)`);
  await clock.sleep(10_000);
  await client.delete(pods, 'default', second, { gracePeriodSeconds: 0 });
  log('alice', `force-deleted default/${second} (grace period 0)`);
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const world = await createCoreWorld({ seed: options.seed, startMs, drain: options.drain });
  const lines: string[] = [];
  const log: Log = (actor, text) => {
    const seconds = ((world.engine.nowMs() - startMs) / 1000).toFixed(3).padStart(8, ' ');
    lines.push(`[+${seconds}s] ${actor.padEnd(8, ' ')} ${text}`);
  };
  let failure: unknown;
  world.engine.schedule({
    atMs: startMs,
    phase: 'timer',
    endpoint: 'demo',
    run: async () => {
      startObserver(world, log);
      await Promise.all([script(world, log), binder(world, log)]).catch((error: unknown) => {
        failure = error;
      });
    },
  });
  await world.engine.runUntil(startMs + durationMs);
  if (failure !== undefined) throw failure;
  const listed = world.store.list('/pods/');
  const count = listed.ok ? listed.value.items.length : 0;
  lines.push(
    `store revision ${world.store.revision}; ${count} pods remain; ${world.engine.eventCount} engine events`,
  );
  const digest = sha256Hex(lines.join('\n'));
  return { lines, digest };
}
