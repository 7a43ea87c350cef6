// Deployments with real kubectl (1.32 on PATH and Debian's 1.20) against `miniku real --runtime
// process`: apply, rollout status, set image, apply a change, rollout undo, get -o wide,
// describe pod, get -w, and delete that waits until the object is gone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import { rowsOf } from '../kubectl/kubectl-helpers.js';
import {
  deploymentYaml,
  kubectlClients,
  podsOf,
  startClusterSession,
  waitFor,
  waitForRunning,
  type ClusterSession,
} from './kubectl-real-helpers.js';

const clients = kubectlClients();
const script = 'echo "up on $HOSTNAME"; exec sleep 3600';

describe.skipIf(findBusybox() === undefined)(
  'kubectl deployments on miniku real (process runtime)',
  () => {
    let session: ClusterSession;

    beforeAll(async () => {
      session = await startClusterSession('process', 'kubectl-workloads');
    });

    afterAll(async () => {
      await session?.close();
    });

    for (const client of clients) {
      describe.skipIf(client.path === undefined)(client.label, () => {
        const name = `web-${client.tag}`;
        const selector = `app=${name}`;
        const manifest = (image: string) => deploymentYaml({ name, replicas: 2, image, script });
        const imagesOf = async () =>
          (await podsOf(session, client, selector)).map((pod) => pod.spec.containers[0]?.image);

        it('applies a Deployment and waits for its rollout', async () => {
          const path = session.file(`${name}.yaml`, manifest('busybox:1.36'));
          const applied = await session.kubectl(client, 'apply', '-f', path);
          expect(applied.stdout).toBe(`deployment.apps/${name} created\n`);
          const status = await session.kubectl(
            client,
            'rollout',
            'status',
            `deployment/${name}`,
            '--timeout=40s',
          );
          expect(status.stdout).toContain(`deployment "${name}" successfully rolled out`);
          await waitForRunning(session, client, selector, 2);
        });

        it('lists the pods Running on both nodes with get pods -o wide', async () => {
          const { stdout } = await session.kubectl(
            client,
            'get',
            'pods',
            '-l',
            selector,
            '-o',
            'wide',
          );
          const rows = rowsOf(stdout);
          expect(rows).toHaveLength(2);
          for (const row of rows) {
            expect(row).toMatchObject({ READY: '1/1', STATUS: 'Running', RESTARTS: '0' });
            expect(row.NAME).toMatch(new RegExp(`^${name}-[a-z0-9]+-[a-z0-9]{5}$`));
            expect(row.IP).toMatch(/^127\.1\.[01]\.\d+$/);
          }
          expect(rows.map((row) => row.NODE).sort()).toEqual(['node-0', 'node-1']);
        });

        it('rolls out set image, then an applied change, and rolls back with rollout undo', async () => {
          const set = await session.kubectl(
            client,
            'set',
            'image',
            `deployment/${name}`,
            'main=busybox:1.37',
          );
          expect(set.stdout).toBe(`deployment.apps/${name} image updated\n`);
          await session.kubectl(client, 'rollout', 'status', `deployment/${name}`, '--timeout=40s');
          await waitForRunning(session, client, selector, 2);
          expect(await imagesOf()).toEqual(['busybox:1.37', 'busybox:1.37']);

          const changed = session.file(`${name}.yaml`, manifest('busybox:1.38'));
          const applied = await session.kubectl(client, 'apply', '-f', changed);
          expect(applied.stdout).toBe(`deployment.apps/${name} configured\n`);
          await session.kubectl(client, 'rollout', 'status', `deployment/${name}`, '--timeout=40s');
          await waitForRunning(session, client, selector, 2);
          expect(await imagesOf()).toEqual(['busybox:1.38', 'busybox:1.38']);

          const undo = await session.kubectl(client, 'rollout', 'undo', `deployment/${name}`);
          expect(undo.stdout).toBe(`deployment.apps/${name} rolled back\n`);
          const status = await session.kubectl(
            client,
            'rollout',
            'status',
            `deployment/${name}`,
            '--timeout=40s',
          );
          expect(status.stdout).toContain('successfully rolled out');
          await waitForRunning(session, client, selector, 2);
          expect(await imagesOf()).toEqual(['busybox:1.37', 'busybox:1.37']);
          const { stdout } = await session.kubectl(client, 'get', 'rs', '-l', selector);
          expect(
            rowsOf(stdout)
              .map((row) => row.DESIRED)
              .sort(),
          ).toEqual(['0', '0', '2']);
        });

        it('describes a pod: node, status, container image and events', async () => {
          const [pod] = await podsOf(session, client, selector);
          const podName = pod?.metadata.name ?? '';
          const { stdout } = await session.kubectl(client, 'describe', 'pod', podName);
          expect(stdout).toMatch(new RegExp(`^Name:\\s+${podName}$`, 'm'));
          expect(stdout).toMatch(/^Node:\s+node-[01]\/\S+$/m);
          expect(stdout).toMatch(/^Status:\s+Running$/m);
          expect(stdout).toMatch(/^\s+Image:\s+busybox:1\.37$/m);
          expect(stdout).toMatch(/^Controlled By:\s+ReplicaSet\/web-/m);
          expect(stdout).toMatch(
            /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned/,
          );
        });

        it('watches pods with get -w until a deleted pod shows Terminating', async () => {
          const [pod] = await podsOf(session, client, selector);
          const podName = pod?.metadata.name ?? '';
          const watch = session.kubectlLong(
            client,
            ['get', 'pods', '-l', selector, '-w', '--no-headers'],
            20_000,
          );
          const initial = await watch.lines(2);
          expect(initial.every((line) => /\s1\/1\s+Running\s/.test(line))).toBe(true);
          const deleted = await session.kubectl(client, 'delete', 'pod', podName, '--wait=false');
          expect(deleted.stdout).toBe(`pod "${podName}" deleted\n`);
          await waitFor('a Terminating line', async () => {
            const seen = await watch.lines(0);
            return seen.some((line) => line.startsWith(podName) && /Terminating/.test(line))
              ? true
              : undefined;
          });
          const { lines } = await watch.stop();
          expect(lines.length).toBeGreaterThanOrEqual(3);
          await waitForRunning(session, client, selector, 2);
        });

        it('deletes a pod and the Deployment, waiting until each is gone', async () => {
          const [pod] = await podsOf(session, client, selector);
          const podName = pod?.metadata.name ?? '';
          const deletedPod = await session.kubectl(client, 'delete', 'pod', podName);
          expect(deletedPod.stdout).toBe(`pod "${podName}" deleted\n`);
          const afterPod = await session.kubectlAny(client, ['get', 'pod', podName]);
          expect(afterPod.code).toBe(1);
          expect(afterPod.stderr).toContain(`pods "${podName}" not found`);

          const deleted = await session.kubectl(client, 'delete', 'deployment', name);
          expect(deleted.stdout).toBe(`deployment.apps "${name}" deleted\n`);
          const afterDeployment = await session.kubectlAny(client, ['get', 'deployment', name]);
          expect(afterDeployment.stderr).toContain(`deployments.apps "${name}" not found`);
          await waitFor('no pods left', async () =>
            (await podsOf(session, client, selector)).length === 0 ? true : undefined,
          );
        });
      });
    }
  },
);
