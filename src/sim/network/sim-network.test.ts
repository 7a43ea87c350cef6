// Tests of the simulated network through real clients and the API server, in virtual time.

import { describe, expect, it } from 'vitest';
import { isTransportError } from '../../control/client/errors.js';
import { coreResources } from '../../control/client/resource-client.js';
import type { KubeObject, WatchEvent } from '../../control/client/types.js';
import type { WatchEnd } from '../../control/client/watch-stream.js';
import type { CoreWorld } from '../core-world.js';
import { defaultRequestTimeoutMs } from './sim-network.js';
import { newNetworkWorld, nodeObject, outcome, runScript } from './network-world.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));
const { nodes } = coreResources;

function world(options: Parameters<typeof newNetworkWorld>[1] = {}): Promise<CoreWorld> {
  return newNetworkWorld(drain, options);
}

/** Creates nodes `names` through an unaffected client. */
async function seedNodes(w: CoreWorld, names: readonly string[]): Promise<void> {
  const { client } = w.newClient('seeder');
  await runScript(
    w,
    async () => {
      for (const name of names) await client.create(nodes, '', nodeObject(name));
    },
    1_000,
  );
}

/** Virtual ms each of `count` sequential GETs takes from `client/reader`. */
async function getDurations(w: CoreWorld, count: number): Promise<number[]> {
  await seedNodes(w, ['n1']);
  const { client, clock } = w.newClient('reader');
  return runScript(
    w,
    async () => {
      const durations: number[] = [];
      for (let i = 0; i < count; i++) {
        const startMs = clock.nowMs();
        await client.get(nodes, '', 'n1');
        durations.push(clock.nowMs() - startMs);
      }
      return durations;
    },
    600_000,
  );
}

/** Records a watch's events (names) and its end. */
function watchRecorder() {
  const names: string[] = [];
  const ends: WatchEnd[] = [];
  const handler = {
    onEvent: (event: WatchEvent<KubeObject>) => {
      if (event.type !== 'BOOKMARK' && event.type !== 'ERROR') {
        names.push(`${event.type} ${event.object.metadata.name}`);
      }
    },
    onEnd: (end: WatchEnd) => void ends.push(end),
  };
  return { names, ends, handler };
}

describe('SimNetwork latency', () => {
  it('delays a GET by exactly the configured one-way latency', async () => {
    const w = await world();
    w.network.setLatency({ from: 'client/reader', to: 'apiserver', oneWay: true, latency: 25 });
    expect(await getDurations(w, 3)).toEqual([25, 25, 25]);
  });

  it('delays a GET by the latency both ways when the rule is symmetric', async () => {
    const w = await world();
    w.network.setLatency({ from: 'apiserver', to: 'client/*', latency: 7 });
    expect(await getDurations(w, 2)).toEqual([14, 14]);
  });

  it('applies the default latency to links no rule selects', async () => {
    const w = await world({ network: { defaultLatency: 3 } });
    expect(await getDurations(w, 1)).toEqual([6]);
  });

  it('draws a uniform latency reproducibly for a seed, and differently for another', async () => {
    const run = async (seed: number) => {
      const w = await world({ seed });
      const latency = { uniform: [1, 50] } as const;
      w.network.setLatency({ from: 'client/reader', to: 'apiserver', oneWay: true, latency });
      return getDurations(w, 20);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    expect(first.every((ms) => ms >= 1 && ms <= 50)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(5);
  });

  it('keeps a watch stream in order under random per-event latency', async () => {
    const w = await world();
    const latency = { exponential: 40 };
    w.network.setLatency({ from: 'apiserver', to: 'client/watcher', oneWay: true, latency });
    const { client } = w.newClient('watcher');
    const { client: writer, clock } = w.newClient('writer');
    const recorder = watchRecorder();
    const expected = Array.from({ length: 30 }, (_, i) => `ADDED n${i}`);
    const lastAt = await runScript(
      w,
      async () => {
        client.watch(nodes, '', { resourceVersion: '0' }, recorder.handler);
        for (let i = 0; i < 30; i++) await writer.create(nodes, '', nodeObject(`n${i}`));
        const writtenAtMs = clock.nowMs();
        while (recorder.names.length < 30) await clock.sleep(1);
        return clock.nowMs() - writtenAtMs;
      },
      60_000,
    );
    expect(recorder.names).toEqual(expected);
    expect(lastAt).toBeGreaterThan(0);
    expect(w.network.stats().delivered).toBeGreaterThan(30);
  });
});

describe('SimNetwork partitions', () => {
  it('drops responses but not requests one way: the write commits, the client times out', async () => {
    const w = await world();
    const { client, clock } = w.newClient('writer');
    w.network.partition({ from: 'apiserver', to: 'client/writer', oneWay: true });
    const result = await runScript(
      w,
      async () => {
        const startMs = clock.nowMs();
        const settled = await outcome(client.create(nodes, '', nodeObject('n1')));
        return { settled, tookMs: clock.nowMs() - startMs };
      },
      60_000,
    );
    expect('error' in result.settled && isTransportError(result.settled.error)).toBe(true);
    expect(String((result.settled as { error: unknown }).error)).toMatch(/timed out/);
    expect(result.tookMs).toBe(defaultRequestTimeoutMs);
    expect(w.store.get('/nodes/n1')).toBeDefined();
    expect(w.network.stats().partitioned).toBe(1);
  });

  it('drops requests one way: nothing commits and the client times out', async () => {
    const w = await world();
    const { client } = w.newClient('writer', { requestTimeoutMs: 5_000 });
    w.network.partition({ from: 'client/writer', to: 'apiserver', oneWay: true });
    const settled = await runScript(
      w,
      () => outcome(client.create(nodes, '', nodeObject('n1'))),
      6_000,
    );
    expect('error' in settled && isTransportError(settled.error)).toBe(true);
    expect(w.store.get('/nodes/n1')).toBeUndefined();
  });

  it('cuts only the selected endpoints, and heal(id) restores them', async () => {
    const w = await world();
    const id = w.network.partition({ from: ['node/*'], to: 'apiserver' });
    w.network.partition({ from: 'client/other', to: 'apiserver' });
    expect(w.network.isCut('node/a', 'apiserver')).toBe(true);
    expect(w.network.isCut('apiserver', 'node/b')).toBe(true);
    expect(w.network.isCut('client/x', 'apiserver')).toBe(false);
    const kubelet = w.newClient('kubelet-a', { endpoint: 'node/a', requestTimeoutMs: 1_000 });
    const user = w.newClient('user');
    const before = await runScript(
      w,
      async () => ({
        kubelet: await outcome(kubelet.client.create(nodes, '', nodeObject('a'))),
        user: await outcome(user.client.create(nodes, '', nodeObject('u'))),
      }),
      2_000,
    );
    expect('error' in before.kubelet).toBe(true);
    expect('value' in before.user).toBe(true);
    w.network.heal(id);
    expect(w.network.isCut('node/a', 'apiserver')).toBe(false);
    expect(w.network.isCut('client/other', 'apiserver')).toBe(true);
    const after = await runScript(
      w,
      () => outcome(kubelet.client.create(nodes, '', nodeObject('a'))),
      1_000,
    );
    expect('value' in after).toBe(true);
  });

  it('breaks an open watch stream when a partition starts', async () => {
    const w = await world();
    await seedNodes(w, ['n1']);
    const { client, clock } = w.newClient('watcher');
    const recorder = watchRecorder();
    await runScript(
      w,
      async () => {
        client.watch(nodes, '', { resourceVersion: '0' }, recorder.handler);
        await clock.sleep(10);
        w.network.partition({ from: 'apiserver', to: 'client/watcher', oneWay: true });
      },
      1_000,
    );
    expect(recorder.names).toEqual(['ADDED n1']);
    expect(recorder.ends.length).toBe(1);
    const end = recorder.ends[0];
    expect(end?.kind).toBe('broken');
    expect(end?.kind === 'broken' && end.error.message).toMatch(/network partition/);
    expect(w.network.stats().streamsBroken).toBe(1);
  });

  it('fails a watch whose headers never arrive after the request timeout', async () => {
    const w = await world({ network: { requestTimeoutMs: 2_000 } });
    const { client, clock } = w.newClient('watcher');
    w.network.partition({ from: 'client/watcher', to: 'apiserver' });
    const recorder = watchRecorder();
    let endedAtMs = 0;
    const startMs = await runScript(
      w,
      async () => {
        client.watch(
          nodes,
          '',
          {},
          {
            onEvent: recorder.handler.onEvent,
            onEnd: (end) => {
              endedAtMs = clock.nowMs();
              recorder.handler.onEnd(end);
            },
          },
        );
        return clock.nowMs();
      },
      3_000,
    );
    expect(recorder.ends.map((end) => end.kind)).toEqual(['broken']);
    expect(endedAtMs - startMs).toBe(2_000);
  });
});

describe('SimNetwork loss', () => {
  it('loses every message at 1,000,000 per million and none at 0', async () => {
    const w = await world({ network: { requestTimeoutMs: 1_000 } });
    const { client } = w.newClient('writer');
    const selector = { from: 'client/writer', to: 'apiserver' };
    w.network.setLoss({ ...selector, perMillion: 1_000_000 });
    const attempt = (name: string) =>
      runScript(w, () => outcome(client.create(nodes, '', nodeObject(name))), 2_000);
    const lost = await Promise.all([attempt('a')]);
    expect('error' in (lost[0] ?? {})).toBe(true);
    expect(w.store.get('/nodes/a')).toBeUndefined();
    w.network.setLoss({ ...selector, perMillion: 0 });
    expect('value' in (await attempt('b'))).toBe(true);
    expect(w.network.stats().lost).toBe(1);
  });

  it('loses a reproducible share of messages at a partial rate', async () => {
    const run = async (seed: number) => {
      const w = await world({ seed, network: { requestTimeoutMs: 1_000 } });
      await seedNodes(w, ['n1']);
      const { client } = w.newClient('reader');
      const selector = { from: 'client/reader', to: 'apiserver', oneWay: true };
      w.network.setLoss({ ...selector, perMillion: 300_000 });
      const results = await runScript(
        w,
        () => Promise.all(Array.from({ length: 100 }, () => outcome(client.get(nodes, '', 'n1')))),
        2_000,
      );
      expect(w.network.stats().lost).toBe(results.filter((r) => 'error' in r).length);
      return results.map((result) => ('value' in result ? 'ok' : 'lost')).join(',');
    };
    const first = await run(5);
    const lostCount = first.split(',').filter((r) => r === 'lost').length;
    expect(lostCount).toBeGreaterThan(15);
    expect(lostCount).toBeLessThan(45);
    expect(await run(5)).toBe(first);
    expect(await run(6)).not.toBe(first);
  });
});

describe('SimNetwork holds', () => {
  it('queues requests while held and delivers them in send order on release', async () => {
    const w = await world();
    const { client, clock } = w.newClient('writer');
    const names = ['e', 'b', 'd', 'a', 'c'];
    const id = w.network.hold({ from: 'client/writer', to: 'apiserver', oneWay: true });
    const revision = w.store.revision;
    const creations = await runScript(
      w,
      async () => {
        const pending = names.map((name) => client.create(nodes, '', nodeObject(name)));
        await clock.sleep(1_000);
        expect(w.store.revision).toBe(revision);
        expect(w.network.stats().held).toBe(5);
        w.network.release(id);
        return Promise.all(pending);
      },
      2_000,
    );
    const versions = creations.map((node) => Number(node.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(w.network.stats().held).toBe(0);
  });

  it('holds watch events without breaking the stream and releases them in order', async () => {
    const w = await world();
    const { client } = w.newClient('watcher');
    const { client: writer, clock } = w.newClient('writer');
    const recorder = watchRecorder();
    await runScript(
      w,
      async () => {
        client.watch(nodes, '', { resourceVersion: '0' }, recorder.handler);
        await clock.sleep(10);
        w.network.hold({ from: 'apiserver', to: 'client/watcher', oneWay: true });
        for (const name of ['x', 'y', 'z']) await writer.create(nodes, '', nodeObject(name));
        await clock.sleep(100_000);
        expect(recorder.names).toEqual([]);
        w.network.setLatency({ from: 'apiserver', to: 'client/watcher', latency: 5 });
        w.network.release();
        await clock.sleep(10);
      },
      200_000,
    );
    expect(recorder.names).toEqual(['ADDED x', 'ADDED y', 'ADDED z']);
    expect(recorder.ends).toEqual([]);
  });

  it('fails the run when the hold queue overflows', async () => {
    const w = await world({ network: { heldMessageCountMax: 3 } });
    const { client } = w.newClient('writer');
    w.network.hold({ from: 'client/writer', to: 'apiserver' });
    const script = async () => {
      for (let i = 0; i < 4; i++) void outcome(client.create(nodes, '', nodeObject(`n${i}`)));
    };
    await expect(runScript(w, script, 1_000)).rejects.toThrow(
      /hold queue is full: heldMessageCountMax \(3\)/,
    );
    expect(w.network.failure?.message).toMatch(/hold queue is full/);
    expect(w.network.stats().overflowed).toBe(1);
  });
});

describe('SimNetwork rules', () => {
  it('refuses to heal or release an id that is not in force', async () => {
    const w = await world();
    const hold = w.network.hold({ from: 'a', to: 'b' });
    expect(() => w.network.heal(hold)).toThrow(/No partition/);
    w.network.removeRule(hold);
    expect(() => w.network.release(hold)).toThrow(/No hold/);
    expect(() => w.network.removeRule('partition-99')).toThrow(/No network rule/);
  });

  it('rejects bad latencies, loss rates and endpoint patterns', async () => {
    const w = await world();
    expect(() => w.network.setLatency({ from: 'a', to: 'b', latency: -1 })).toThrow();
    expect(() => w.network.setLatency({ from: 'a', to: 'b', latency: 1.5 })).toThrow();
    expect(() =>
      w.network.setLatency({ from: 'a', to: 'b', latency: { uniform: [5, 2] } }),
    ).toThrow();
    expect(() => w.network.setLoss({ from: 'a', to: 'b', perMillion: 1_000_001 })).toThrow();
    expect(() => w.network.partition({ from: 'a b', to: 'c' })).toThrow();
    expect(() => w.network.partition({ from: [], to: 'c' })).toThrow();
  });
});
