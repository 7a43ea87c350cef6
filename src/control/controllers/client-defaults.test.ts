// Tests of the per-component client rate limits: the upstream table, overrides, and the limits
// in effect on a KubeClient in virtual time (a hand-driven clock, then the simulated world).

import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/client/manual-clock.js';
import { createNamespaceWorld } from '../../../test/namespaces/namespace-world.js';
import { KubeClient } from '../client/client.js';
import type { Transport, TransportRequest, TransportResponse } from '../ports/transport.js';
import { componentClientOptions, upstreamClientRateLimits } from './client-defaults.js';

const nodes = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
const namespaces = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };

/** Answers every request at once with an empty object, recording when each arrived. */
class InstantTransport implements Transport {
  readonly arrivalsMs: number[] = [];
  constructor(private readonly clock: ManualClock) {}
  request(_request: TransportRequest): Promise<TransportResponse> {
    this.arrivalsMs.push(this.clock.nowMs());
    return Promise.resolve({ status: 200, headers: {}, body: '{"metadata":{}}' });
  }
  stream(): never {
    throw new Error('not used');
  }
}

describe('upstream client rate limits', () => {
  it('match the v1.32 component defaults', () => {
    expect(upstreamClientRateLimits).toEqual({
      'kube-controller-manager': { qps: 20, burst: 30 },
      'kube-scheduler': { qps: 50, burst: 100 },
      kubelet: { qps: 50, burst: 100 },
      'kubelet-events': { qps: 50, burst: 100 },
      'kubelet-heartbeat': { qps: 0, burst: 0 },
      'kube-proxy': { qps: 5, burst: 10 },
      'client-go': { qps: 5, burst: 10 },
    });
  });

  it('take overrides field by field, and qps 0 switches limiting off', () => {
    expect(componentClientOptions('kube-scheduler')).toEqual({ qps: 50, burst: 100 });
    expect(componentClientOptions('kube-scheduler', { qps: 10 })).toEqual({ qps: 10, burst: 100 });
    expect(componentClientOptions('kubelet', { qps: 0 })).toEqual({ qps: 0, burst: 0 });
    expect(componentClientOptions('kubelet-heartbeat', { burst: 7 })).toEqual({ qps: 0, burst: 0 });
  });

  it('refuse a limited client that cannot hold a token', () => {
    expect(() => componentClientOptions('kube-proxy', { burst: 0 })).toThrow(
      'kube-proxy client burst must be an integer of at least 1 when qps > 0, got 0',
    );
  });
});

describe('a KubeClient with a component’s limits', () => {
  it('spreads 100 requests at qps 20 burst 30 over 3.5 s of virtual time', async () => {
    const clock = new ManualClock();
    const transport = new InstantTransport(clock);
    const options = componentClientOptions('kube-controller-manager');
    const client = new KubeClient({ transport, clock, ...options });
    const calls = Array.from({ length: 100 }, () => client.get(nodes, '', 'n'));
    await settle();
    expect(transport.arrivalsMs).toHaveLength(30);
    for (let stepMs = 0; stepMs < 3_500; stepMs += 50) {
      clock.advance(50);
      await settle();
    }
    await Promise.all(calls);
    expect(transport.arrivalsMs).toHaveLength(100);
    expect(transport.arrivalsMs[30]).toBe(50);
    expect(transport.arrivalsMs[99]).toBe(3_500);
  });

  it('paces sequential requests in the simulated world, and not when switched off', async () => {
    const world = await createNamespaceWorld();
    const clock = world.engine.clock('kube-controller-manager');
    const limited = new KubeClient({
      transport: world.transport,
      clock,
      ...componentClientOptions('kube-controller-manager'),
    });
    const unlimited = new KubeClient({
      transport: world.transport,
      clock,
      ...componentClientOptions('kube-controller-manager', { qps: 0 }),
    });
    const elapsed = async (client: KubeClient): Promise<number> => {
      const startMs = clock.nowMs();
      for (let i = 0; i < 100; i++) await client.get(namespaces, '', 'default');
      return clock.nowMs() - startMs;
    };
    const outcome = await world.run(
      async () => ({ limitedMs: await elapsed(limited), unlimitedMs: await elapsed(unlimited) }),
      10_000,
    );
    expect(outcome).toEqual({ limitedMs: 3_500, unlimitedMs: 0 });
  });
});
