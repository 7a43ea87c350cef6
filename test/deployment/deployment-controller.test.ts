// The Deployment controller end to end, in virtual time: the real API server on the sim
// transport, the real ReplicaSet controller creating pods, and a kubelet stand-in marking them
// Ready, while the Deployment controller rolls Deployments forward and back.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import { isControlledBy } from '../../src/control/controllers/replicaset/controller-ref.js';
import {
  annotation,
  conditionOf,
  createDeploymentWorld,
  deploymentManifest,
  deployments,
  events,
  getDeployment,
  listPods,
  pods,
  replicaSets,
  listReplicaSets,
  setImage,
  waitForRollout,
  waitUntil,
} from './deployment-world.js';

const revision = 'deployment.kubernetes.io/revision';

function imageOf(object: KubeObject): string {
  const spec = object.spec as { template: { spec: { containers: { image: string }[] } } };
  return spec.template.spec.containers[0]?.image ?? '';
}

function replicasOf(object: KubeObject): number {
  return (object.spec as { replicas: number }).replicas;
}

describe('the deployment controller', () => {
  it('creates a hashed, owned ReplicaSet whose pods become available', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      await user.create(deployments, 'default', deploymentManifest('web', { replicas: 3 }));
      const elapsedMs = await waitForRollout(user, clock, 'web');
      const d = await getDeployment(user, 'web');
      const sets = await listReplicaSets(user);
      const pods = await listPods(user);
      const recorded = (await user.list(events, 'default')).items;
      await world.stop();
      return { elapsedMs, d, sets, pods, recorded };
    }, 120_000);
    const { d, sets, pods } = outcome;
    expect(sets).toHaveLength(1);
    const rs = sets[0] as KubeObject;
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[456789bcdf]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const spec = rs.spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(spec.template.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({
      [revision]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(annotation(d, revision)).toBe('1');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(isControlledBy(pod, rs)).toBe(true);
      expect(pod.metadata.labels?.['pod-template-hash']).toBe(hash);
    }
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    expect(conditionOf(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    expect(conditionOf(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    const scaling = outcome.recorded.filter((e) => e.reason === 'ScalingReplicaSet');
    expect(scaling.map((e) => e.message)).toEqual([
      `Scaled up replica set web-${hash} from 0 to 3`,
    ]);
    expect(outcome.elapsedMs).toBeLessThan(5_000);
  });

  it('rolls a template change out: the new ReplicaSet at full scale, the old one at 0', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      await user.create(deployments, 'default', deploymentManifest('web', { replicas: 4 }));
      await waitForRollout(user, clock, 'web');
      const [first] = await listReplicaSets(user);
      await setImage(user, 'web', 'nginx:2');
      const elapsedMs = await waitForRollout(user, clock, 'web');
      const d = await getDeployment(user, 'web');
      const sets = await listReplicaSets(user);
      const pods = await listPods(user);
      const recorded = (await user.list(events, 'default')).items;
      await world.stop();
      return { elapsedMs, d, first, sets, pods, recorded };
    }, 300_000);
    const { d, first, sets, pods } = outcome;
    expect(world.log).toEqual([]);
    expect(sets).toHaveLength(2);
    const old = sets.find((rs) => rs.metadata.uid === first?.metadata.uid) as KubeObject;
    const fresh = sets.find((rs) => rs.metadata.uid !== first?.metadata.uid) as KubeObject;
    expect(replicasOf(old)).toBe(0);
    expect(replicasOf(fresh)).toBe(4);
    expect(imageOf(fresh)).toBe('nginx:2');
    expect(annotation(old, revision)).toBe('1');
    expect(annotation(fresh, revision)).toBe('2');
    expect(annotation(d, revision)).toBe('2');
    expect(pods).toHaveLength(4);
    for (const pod of pods) expect(isControlledBy(pod, fresh)).toBe(true);
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    expect(conditionOf(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    const scaling = outcome.recorded
      .filter((e) => e.reason === 'ScalingReplicaSet')
      .map((e) => e.message as string);
    // 4 replicas at 25%/25%: surge 1, unavailable 1, so one pod at a time each way.
    expect(scaling).toEqual([
      `Scaled up replica set ${old.metadata.name} from 0 to 4`,
      `Scaled up replica set ${fresh.metadata.name} from 0 to 1`,
      `Scaled down replica set ${old.metadata.name} from 4 to 3`,
      `Scaled up replica set ${fresh.metadata.name} from 1 to 2`,
      `Scaled down replica set ${old.metadata.name} from 3 to 2`,
      `Scaled up replica set ${fresh.metadata.name} from 2 to 3`,
      `Scaled down replica set ${old.metadata.name} from 2 to 1`,
      `Scaled up replica set ${fresh.metadata.name} from 3 to 4`,
      `Scaled down replica set ${old.metadata.name} from 1 to 0`,
    ]);
    expect(outcome.elapsedMs).toBeLessThan(20_000);
  });

  it('recreates: scales the old ReplicaSet to 0 and waits for its pods before creating new ones', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const seen: string[] = [];
    const outcome = await world.run(async () => {
      const manifest = deploymentManifest('web', { replicas: 3, strategy: { type: 'Recreate' } });
      await user.create(deployments, 'default', manifest);
      await waitForRollout(user, clock, 'web');
      const [first] = await listReplicaSets(user);
      const watch = user.watch(
        pods,
        'default',
        { resourceVersion: '0' },
        {
          onEvent: (event) => {
            if (event.type !== 'ADDED' && event.type !== 'DELETED') return;
            const owner = event.object.metadata.ownerReferences?.[0]?.uid;
            seen.push(`${event.type} ${owner === first?.metadata.uid ? 'old' : 'new'}`);
          },
          onEnd: () => undefined,
        },
      );
      await setImage(user, 'web', 'nginx:2');
      await waitForRollout(user, clock, 'web');
      watch.stop();
      const sets = await listReplicaSets(user);
      await world.stop();
      return { first, sets };
    }, 300_000);
    expect(seen.filter((line) => line === 'ADDED old')).toHaveLength(3);
    const rollout = seen.slice(3);
    expect(rollout).toEqual([
      'DELETED old',
      'DELETED old',
      'DELETED old',
      'ADDED new',
      'ADDED new',
      'ADDED new',
    ]);
    const fresh = outcome.sets.find((rs) => rs.metadata.uid !== outcome.first?.metadata.uid);
    expect(replicasOf(fresh as KubeObject)).toBe(3);
    expect(annotation(fresh as KubeObject, 'deployment.kubernetes.io/max-replicas')).toBe('3');
  });

  it('rolls back by reusing the ReplicaSet of the old template under a new revision', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      await user.create(deployments, 'default', deploymentManifest('web', { replicas: 2 }));
      await waitForRollout(user, clock, 'web');
      const [first] = await listReplicaSets(user);
      await setImage(user, 'web', 'nginx:2');
      await waitForRollout(user, clock, 'web');
      await setImage(user, 'web', 'nginx:1');
      await waitForRollout(user, clock, 'web');
      const sets = await listReplicaSets(user);
      const d = await getDeployment(user, 'web');
      await world.stop();
      return { first, sets, d };
    }, 300_000);
    const { first, sets, d } = outcome;
    expect(sets).toHaveLength(2);
    const reused = sets.find((rs) => rs.metadata.uid === first?.metadata.uid) as KubeObject;
    const second = sets.find((rs) => rs.metadata.uid !== first?.metadata.uid) as KubeObject;
    expect(reused.metadata.name).toBe(first?.metadata.name);
    expect(replicasOf(reused)).toBe(2);
    expect(replicasOf(second)).toBe(0);
    expect(annotation(reused, revision)).toBe('3');
    expect(annotation(reused, 'deployment.kubernetes.io/revision-history')).toBe('1');
    expect(annotation(second, revision)).toBe('2');
    expect(annotation(d, revision)).toBe('3');
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      const manifest = deploymentManifest('web', { replicas: 2, progressDeadlineSeconds: 30 });
      await user.create(deployments, 'default', manifest);
      await waitForRollout(user, clock, 'web');
      world.setReadyDelay(() => undefined);
      await setImage(user, 'web', 'nginx:broken');
      let lastProgressAt = '';
      const timedOut = async () => {
        const condition = conditionOf(await getDeployment(user, 'web'), 'Progressing');
        if (condition?.reason === 'ReplicaSetUpdated')
          lastProgressAt = condition.lastUpdateTime ?? '';
        return condition?.reason === 'ProgressDeadlineExceeded';
      };
      await waitUntil(clock, timedOut, 120_000);
      const d = await getDeployment(user, 'web');
      await world.stop();
      return { lastProgressAt, d };
    }, 300_000);
    expect(conditionOf(outcome.d, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(conditionOf(outcome.d, 'Progressing')?.message).toMatch(
      /^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/,
    );
    // Judged 30 s after the last progress, looked at 1 s later (requeueStuckDeployment).
    const timedOutAt = conditionOf(outcome.d, 'Progressing')?.lastTransitionTime ?? '';
    const waitedMs = Date.parse(timedOutAt) - Date.parse(outcome.lastProgressAt);
    expect(waitedMs).toBeGreaterThanOrEqual(30_000);
    expect(waitedMs).toBeLessThanOrEqual(32_000);
    expect(conditionOf(outcome.d, 'Available')?.status).toBe('True');
  });

  it('does not roll a paused Deployment, and rolls it once resumed', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      await user.create(deployments, 'default', deploymentManifest('web', { replicas: 2 }));
      await waitForRollout(user, clock, 'web');
      const target = { namespace: 'default', name: 'web' };
      const pause = (paused: boolean) =>
        user.patch(deployments, target, { type: 'merge', body: { spec: { paused } } });
      await pause(true);
      await setImage(user, 'web', 'nginx:2');
      await clock.sleep(10_000);
      const whilePaused = await listReplicaSets(user);
      const pausedDeployment = await getDeployment(user, 'web');
      await pause(false);
      await waitForRollout(user, clock, 'web');
      const resumed = await listReplicaSets(user);
      await world.stop();
      return { whilePaused, pausedDeployment, resumed };
    }, 300_000);
    expect(outcome.whilePaused).toHaveLength(1);
    expect(conditionOf(outcome.pausedDeployment, 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    expect(outcome.pausedDeployment.status?.observedGeneration).toBe(3);
    expect(outcome.resumed).toHaveLength(2);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const sets = await world.run(async () => {
      const manifest = deploymentManifest('web', { replicas: 1, revisionHistoryLimit: 1 });
      await user.create(deployments, 'default', manifest);
      await waitForRollout(user, clock, 'web');
      for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
        await setImage(user, 'web', image);
        await waitForRollout(user, clock, 'web');
      }
      await waitUntil(clock, async () => (await listReplicaSets(user)).length === 2, 30_000);
      const result = await listReplicaSets(user);
      await world.stop();
      return result;
    }, 300_000);
    expect(
      sets.map((rs) => [imageOf(rs), annotation(rs, revision), replicasOf(rs)]).sort(),
    ).toEqual([
      ['nginx:3', '3', 0],
      ['nginx:4', '4', 1],
    ]);
    const deleted = world.log.filter((line) => line.includes('deleted old replica set'));
    expect(deleted).toHaveLength(2);
  });

  it('scales a stalled rollout proportionally when spec.replicas changes', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const sizes = await world.run(async () => {
      await user.create(deployments, 'default', deploymentManifest('web', { replicas: 10 }));
      await waitForRollout(user, clock, 'web');
      world.setReadyDelay(() => undefined);
      await setImage(user, 'web', 'nginx:2');
      // 10 replicas, 25%/25%: the new set grows to 5 while 8 old ones stay, then it stalls.
      const total = async () =>
        (await listReplicaSets(user)).map((rs) => replicasOf(rs)).sort((a, b) => a - b);
      await waitUntil(clock, async () => (await total()).join() === '5,8', 10_000);
      await clock.sleep(5_000);
      const stalled = await total();
      await user.patch(
        deployments,
        { namespace: 'default', name: 'web' },
        { type: 'merge', body: { spec: { replicas: 20 } } },
      );
      await waitUntil(clock, async () => (await total()).reduce((a, b) => a + b) === 25, 10_000);
      const scaled = await total();
      await world.stop();
      return { stalled, scaled };
    }, 300_000);
    expect(world.log).toEqual([]);
    expect(sizes.stalled).toEqual([5, 8]);
    // max 13 → 25: old round(8×25/13) = 15, new round(5×25/13) = 10.
    expect(sizes.scaled).toEqual([10, 15]);
  });

  it('adopts a matching orphan ReplicaSet and reuses it as the new one', async () => {
    const world = await createDeploymentWorld();
    const { user, clock } = world;
    const outcome = await world.run(async () => {
      const manifest = deploymentManifest('web', { replicas: 2 });
      const template = manifest.spec.template as { metadata: { labels: Record<string, string> } };
      const labels = { ...template.metadata.labels, 'pod-template-hash': 'orphan' };
      const orphan = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web-orphan', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { ...manifest.spec.template, metadata: { labels } },
        },
      };
      await user.create(replicaSets, 'default', orphan);
      await clock.sleep(2_000);
      await user.create(deployments, 'default', manifest);
      await waitForRollout(user, clock, 'web');
      const sets = await listReplicaSets(user);
      const d = await getDeployment(user, 'web');
      await world.stop();
      return { sets, d };
    }, 120_000);
    expect(outcome.sets).toHaveLength(1);
    const adopted = outcome.sets[0] as KubeObject;
    expect(adopted.metadata.name).toBe('web-orphan');
    expect(adopted.metadata.ownerReferences).toMatchObject([
      { kind: 'Deployment', name: 'web', uid: outcome.d.metadata.uid, controller: true },
    ]);
    expect(replicasOf(adopted)).toBe(2);
    expect(annotation(adopted, revision)).toBe('1');
    expect(conditionOf(outcome.d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('replays a rollout identically for the same seed', async () => {
    const trace = async (seed: number) => {
      const world = await createDeploymentWorld({
        seed,
        readyDelay: (_pod, rng) => rng.intBelow(3_000),
      });
      const { user, clock } = world;
      const lines: string[] = [];
      await world.run(async () => {
        const watch = user.watch(
          replicaSets,
          'default',
          { resourceVersion: '0' },
          {
            onEvent: (event) => {
              if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
              const rs = event.object;
              const status = (rs.status ?? {}) as { availableReplicas?: number };
              const size = `${replicasOf(rs)}/${status.availableReplicas ?? 0}`;
              lines.push(`${clock.nowMs()} ${event.type} ${rs.metadata.name} ${size}`);
            },
            onEnd: () => undefined,
          },
        );
        await user.create(deployments, 'default', deploymentManifest('web', { replicas: 5 }));
        await waitForRollout(user, clock, 'web');
        await setImage(user, 'web', 'nginx:2');
        await waitForRollout(user, clock, 'web');
        watch.stop();
        await world.stop();
      }, 300_000);
      return lines;
    };
    const first = await trace(5);
    expect(first.length).toBeGreaterThan(10);
    expect(await trace(5)).toEqual(first);
  });
});
