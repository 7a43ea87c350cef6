// The Endpoints controller end to end, in virtual time: the real API server (full admission
// chain) on the sim transport, the controller on its own client, and a test client playing the
// user and the kubelet (it binds pods and patches their status with an IP and readiness).

import { describe, expect, it } from 'vitest';
import { isNotFound } from '../../src/control/client/errors.js';
import { KubeClient } from '../../src/control/client/client.js';
import { componentClientOptions } from '../../src/control/controllers/client-defaults.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { EndpointsController } from '../../src/control/controllers/endpoints/endpoints-controller.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import {
  createNamespaceWorld,
  namespace,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

const namespaces = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const services = { group: '', version: 'v1', plural: 'services', namespaced: true };
const endpointsResource = { group: '', version: 'v1', plural: 'endpoints', namespaced: true };

interface Subset {
  addresses?: { ip: string; nodeName?: string; targetRef?: Record<string, string> }[];
  notReadyAddresses?: { ip: string }[];
  ports?: { name?: string; port: number; protocol?: string }[];
}

function startController(world: NamespaceWorld) {
  const { client, clock } = world.newClient('endpoint-controller');
  const log: string[] = [];
  const controller = new EndpointsController({
    client,
    clock,
    rng: world.rng.fork('endpoint-controller'),
    log: (line) => log.push(line),
  });
  controller.start();
  return { controller, log };
}

function webService(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { tier: 'front' } },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
      ...extra,
    },
  };
}

function webPod(name: string, containerPort = 8080): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort }] }],
    },
  };
}

/** What a kubelet would report: the pod's IP and its Ready condition. */
async function reportStatus(client: KubeClient, name: string, ip: string, ready: boolean) {
  const condition = { type: 'Ready', status: ready ? 'True' : 'False' };
  const status = { phase: 'Running', podIP: ip, conditions: [condition] };
  await client.patch(
    pods,
    { namespace: 'shop', name },
    { type: 'merge', body: { status } },
    { subresource: 'status' },
  );
}

async function runPods(client: KubeClient, count: number, containerPort = 8080): Promise<void> {
  for (let i = 0; i < count; i++) {
    await client.create(pods, 'shop', webPod(`web-${i}`, containerPort));
    await client.bind('shop', `web-${i}`, `worker-${i}`);
    await reportStatus(client, `web-${i}`, `10.0.0.${i + 1}`, true);
  }
}

async function endpointsOf(client: KubeClient, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(endpointsResource, 'shop', name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Polls every 100 ms (at most 100 times) until `test` holds for the Endpoints `name`. */
async function waitFor(
  client: KubeClient,
  clock: VirtualClock,
  name: string,
  test: (endpoints: KubeObject | undefined) => boolean,
): Promise<KubeObject | undefined> {
  for (let i = 0; i < 100; i++) {
    const endpoints = await endpointsOf(client, name);
    if (test(endpoints)) return endpoints;
    await clock.sleep(100);
  }
  throw new Error(`endpoints ${name} never reached the expected state`);
}

function subsetsOf(endpoints: KubeObject | undefined): Subset[] {
  return (endpoints?.subsets as Subset[] | undefined) ?? [];
}

function readyIps(endpoints: KubeObject | undefined): string[] {
  return subsetsOf(endpoints).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
}

function notReadyIps(endpoints: KubeObject | undefined): string[] {
  return subsetsOf(endpoints).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
}

async function newWorld() {
  const world = await createNamespaceWorld();
  const user = world.newClient('user');
  await world.call('POST', '/api/v1/namespaces', namespace('shop'));
  return { world, ...user };
}

describe('the Endpoints controller', () => {
  it('publishes the ready pods a service selects, with node, target and port', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const endpoints = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await runPods(client, 3);
      const found = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 3);
      controller.stop();
      await controller.whenStopped();
      return found;
    }, 60_000);
    const pod0 = await world.call('GET', '/api/v1/namespaces/shop/pods/web-0');
    expect(subsetsOf(endpoints)).toEqual([
      {
        addresses: [0, 1, 2].map((i) => ({
          ip: `10.0.0.${i + 1}`,
          nodeName: `worker-${i}`,
          targetRef: expect.objectContaining({ kind: 'Pod', namespace: 'shop', name: `web-${i}` }),
        })),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    const address0 = subsetsOf(endpoints)[0]?.addresses?.[0];
    expect(address0?.targetRef?.uid).toBe(pod0.json.metadata.uid);
    expect(address0?.targetRef?.resourceVersion).toBeUndefined();
    expect(endpoints?.metadata.labels).toEqual({
      tier: 'front',
      'service.kubernetes.io/headless': '',
    });
    expect(endpoints?.metadata.annotations).toHaveProperty(
      ['endpoints.kubernetes.io/last-change-trigger-time'],
      expect.stringMatching(/^2026-01-01T00:00:\d\dZ$/),
    );
  });

  it('moves a pod that turns unready to notReadyAddresses, and drops a deleted pod', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const outcome = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await runPods(client, 3);
      await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 3);
      await reportStatus(client, 'web-1', '10.0.0.2', false);
      const unready = await waitFor(client, clock, 'web', (ep) => notReadyIps(ep).length === 1);
      await client.delete(pods, 'shop', 'web-2', { gracePeriodSeconds: 0 });
      const afterDelete = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 1);
      controller.stop();
      return { unready, afterDelete };
    }, 60_000);
    expect(readyIps(outcome.unready)).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(notReadyIps(outcome.unready)).toEqual(['10.0.0.2']);
    expect(readyIps(outcome.afterDelete)).toEqual(['10.0.0.1']);
    expect(notReadyIps(outcome.afterDelete)).toEqual(['10.0.0.2']);
  });

  it('resolves a named targetPort per pod, grouping pods by the port they offer', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const endpoints = await world.run(async () => {
      const named = webService('web', { ports: [{ port: 80, targetPort: 'http' }] });
      await client.create(services, 'shop', named);
      await runPods(client, 2, 8080);
      await client.create(pods, 'shop', webPod('web-odd', 9090));
      await reportStatus(client, 'web-odd', '10.0.0.9', true);
      const found = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 3);
      controller.stop();
      return found;
    }, 60_000);
    const summary = subsetsOf(endpoints).map((s) => ({
      ips: (s.addresses ?? []).map((a) => a.ip),
      ports: (s.ports ?? []).map((p) => p.port),
    }));
    expect(summary).toEqual([
      { ips: ['10.0.0.1', '10.0.0.2'], ports: [8080] },
      { ips: ['10.0.0.9'], ports: [9090] },
    ]);
  });

  it('deletes the Endpoints of a deleted service', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const gone = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await runPods(client, 1);
      await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 1);
      await client.delete(services, 'shop', 'web');
      const after = await waitFor(client, clock, 'web', (ep) => ep === undefined);
      controller.stop();
      return after;
    }, 60_000);
    expect(gone).toBeUndefined();
  });

  it('leaves a service without a selector and its hand-made Endpoints alone', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const manual = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external' },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }],
    };
    const outcome = await world.run(async () => {
      const noSelector = webService('external', { selector: undefined, ports: [{ port: 5432 }] });
      await client.create(services, 'shop', noSelector);
      const created = await client.create(endpointsResource, 'shop', manual as KubeObject);
      await runPods(client, 2);
      await client.create(services, 'shop', webService('web'));
      await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 2);
      await clock.sleep(5_000);
      const after = await endpointsOf(client, 'external');
      controller.stop();
      return { created, after };
    }, 60_000);
    expect(outcome.after?.metadata.resourceVersion).toBe(outcome.created.metadata.resourceVersion);
    expect(readyIps(outcome.after)).toEqual(['192.0.2.10']);
  });

  it('writes nothing when a pod or service changes in a way Endpoints do not show', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const outcome = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await runPods(client, 2);
      const before = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 2);
      const annotate = { metadata: { annotations: { note: 'x' } } };
      await client.patch(
        pods,
        { namespace: 'shop', name: 'web-0' },
        { type: 'merge', body: annotate },
      );
      await reportStatus(client, 'web-1', '10.0.0.2', true);
      const touch = { metadata: { annotations: { owner: 'shop-team' } } };
      await client.patch(
        services,
        { namespace: 'shop', name: 'web' },
        { type: 'merge', body: touch },
      );
      await clock.sleep(5_000);
      const after = await endpointsOf(client, 'web');
      controller.stop();
      return { before, after };
    }, 60_000);
    expect(outcome.after?.metadata.resourceVersion).toBe(outcome.before?.metadata.resourceVersion);
  });

  it('publishes unready pods as ready when the service asks for not-ready addresses', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const endpoints = await world.run(async () => {
      await client.create(services, 'shop', webService('web', { publishNotReadyAddresses: true }));
      await client.create(pods, 'shop', webPod('web-0'));
      await reportStatus(client, 'web-0', '10.0.0.1', false);
      const found = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 1);
      controller.stop();
      return found;
    }, 60_000);
    expect(notReadyIps(endpoints)).toEqual([]);
  });

  it('removes Endpoints left by a service deleted while it was down, sparing locks', async () => {
    const { world, client, clock } = await newWorld();
    const lock = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'lock', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } },
    };
    const outcome = await world.run(async () => {
      await client.create(endpointsResource, 'shop', { ...lock, metadata: { name: 'orphan' } });
      await client.create(endpointsResource, 'shop', lock);
      const { controller } = startController(world);
      const orphan = await waitFor(client, clock, 'orphan', (ep) => ep === undefined);
      const kept = await endpointsOf(client, 'lock');
      controller.stop();
      await controller.whenStopped();
      return { orphan, kept };
    }, 60_000);
    expect(outcome.orphan).toBeUndefined();
    expect(outcome.kept?.metadata.name).toBe('lock');
  });

  it('stops cleanly: whenStopped resolves and later changes are not acted on', async () => {
    const { world, client, clock } = await newWorld();
    const { controller } = startController(world);
    const outcome = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await waitFor(client, clock, 'web', (ep) => ep !== undefined);
      controller.stop();
      await controller.whenStopped();
      await runPods(client, 1);
      await clock.sleep(5_000);
      return endpointsOf(client, 'web');
    }, 60_000);
    expect(readyIps(outcome)).toEqual([]);
  });
});

describe('the Endpoints controller under kube-controller-manager client limits', () => {
  it('converges on 40 pods with its client held to 20 qps, burst 30', async () => {
    const { world, client, clock } = await newWorld();
    const controllerClock = world.engine.clock('endpoint-controller');
    const limited = new KubeClient({
      transport: world.transport,
      clock: controllerClock,
      ...componentClientOptions('kube-controller-manager'),
    });
    const controller = new EndpointsController({
      client: limited,
      clock: controllerClock,
      rng: world.rng.fork('endpoint-controller'),
    });
    controller.start();
    const endpoints = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      for (let i = 0; i < 40; i++) {
        await client.create(pods, 'shop', webPod(`web-${i}`));
        await reportStatus(client, `web-${i}`, `10.0.1.${i}`, true);
      }
      const found = await waitFor(client, clock, 'web', (ep) => readyIps(ep).length === 40);
      controller.stop();
      await controller.whenStopped();
      return found;
    }, 60_000);
    expect(new Set(readyIps(endpoints)).size).toBe(40);
  });
});

describe('the Endpoints controller against a namespace being deleted', () => {
  it('does not retry creating Endpoints in a terminating namespace', async () => {
    const { world, client, clock } = await newWorld();
    const outcome = await world.run(async () => {
      await client.create(services, 'shop', webService('web'));
      await client.delete(namespaces, '', 'shop');
      const { controller, log } = startController(world);
      await clock.sleep(5_000);
      const pending = controller.pendingCount;
      controller.stop();
      return { pending, log, endpoints: await endpointsOf(client, 'web') };
    }, 60_000);
    expect(outcome.endpoints).toBeUndefined();
    expect(outcome.pending).toBe(0);
    expect(outcome.log).toEqual([]);
  });
});
