// Property: during a rolling update, pods turning Ready after random delays, every state of the
// pod set the API server goes through keeps at least spec.replicas − maxUnavailable pods
// available and at most spec.replicas + maxSurge pods in existence.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import { podIsAvailable } from '../../src/control/controllers/replicaset/pod-availability.js';
import {
  createDeploymentWorld,
  deploymentManifest,
  deployments,
  pods,
  setImage,
  waitForRollout,
} from './deployment-world.js';

type IntOrPercent = number | string;

/** The bound as the Deployment documentation states it, computed independently of the code. */
function bounds(replicas: number, surge: IntOrPercent, unavailable: IntOrPercent) {
  const scaled = (value: IntOrPercent, up: boolean) => {
    if (typeof value === 'number') return value;
    const exact = (Number(value.slice(0, -1)) * replicas) / 100;
    return up ? Math.ceil(exact) : Math.floor(exact);
  };
  const maxSurge = scaled(surge, true);
  let maxUnavailable = scaled(unavailable, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  maxUnavailable = Math.min(maxUnavailable, replicas);
  return { minAvailable: replicas - maxUnavailable, maxTotal: replicas + maxSurge };
}

interface Scenario {
  seed: number;
  replicas: number;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  readyDelayMaxMs: number;
}

const scenarios = fc
  .record({
    seed: fc.nat(1_000_000),
    replicas: fc.integer({ min: 1, max: 6 }),
    maxSurge: fc.constantFrom<IntOrPercent>('0%', '25%', '50%', 1, 2),
    maxUnavailable: fc.constantFrom<IntOrPercent>('0%', '25%', '50%', 0, 1),
    readyDelayMaxMs: fc.integer({ min: 0, max: 4_000 }),
  })
  // Validation rejects both fields resolving to a literal 0 (0, '0%').
  .filter(
    (s) =>
      !(parseInt(String(s.maxSurge), 10) === 0 && parseInt(String(s.maxUnavailable), 10) === 0),
  );

async function checkRollout(scenario: Scenario): Promise<void> {
  const world = await createDeploymentWorld({
    seed: scenario.seed,
    readyDelay: (_pod, rng) => rng.intBelow(scenario.readyDelayMaxMs + 1),
  });
  const { user, clock } = world;
  const { minAvailable, maxTotal } = bounds(
    scenario.replicas,
    scenario.maxSurge,
    scenario.maxUnavailable,
  );
  const violations: string[] = [];
  let checks = 0;
  const state = new Map<string, KubeObject>();
  const check = () => {
    checks += 1;
    const alive = [...state.values()].filter((pod) => pod.metadata.deletionTimestamp === undefined);
    const available = alive.filter((pod) => podIsAvailable(pod, 0, clock.nowMs())).length;
    const at = `at ${clock.nowMs()} ms`;
    if (available < minAvailable)
      violations.push(`${at}: ${available} available < ${minAvailable}`);
    if (alive.length > maxTotal) violations.push(`${at}: ${alive.length} pods > ${maxTotal}`);
  };
  await world.run(async () => {
    const strategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: scenario.maxSurge, maxUnavailable: scenario.maxUnavailable },
    };
    const manifest = deploymentManifest('web', { replicas: scenario.replicas, strategy });
    await user.create(deployments, 'default', manifest);
    await waitForRollout(user, clock, 'web');
    const listed = await user.list(pods, 'default');
    for (const pod of listed.items) state.set(pod.metadata.name ?? '', pod);
    const watch = user.watch(
      pods,
      'default',
      { resourceVersion: listed.metadata.resourceVersion },
      {
        onEvent: (event) => {
          if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
          const name = event.object.metadata.name ?? '';
          if (event.type === 'DELETED') state.delete(name);
          else state.set(name, event.object);
          check();
        },
        onEnd: () => undefined,
      },
    );
    await setImage(user, 'web', 'nginx:2');
    await waitForRollout(user, clock, 'web', 300_000);
    watch.stop();
    await world.stop();
  }, 600_000);
  expect(violations).toEqual([]);
  expect(checks).toBeGreaterThan(0);
}

describe('a rolling update', () => {
  it('keeps availability and the pod count within maxUnavailable and maxSurge at every step', async () => {
    await fc.assert(fc.asyncProperty(scenarios, checkRollout), { numRuns: 8 });
  }, 60_000);
});
