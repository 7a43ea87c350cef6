// `kubectl cordon` and `kubectl drain --ignore-daemonsets` against `miniku real --runtime
// process`: the node turns SchedulingDisabled, its pods leave (evictions with kubectl 1.32) and
// their replacements run on the other node; uncordon makes it schedulable again.

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

describe.skipIf(findBusybox() === undefined)(
  'kubectl drain on miniku real (process runtime)',
  () => {
    let session: ClusterSession;

    beforeAll(async () => {
      session = await startClusterSession('process', 'kubectl-drain');
    });

    afterAll(async () => {
      await session?.close();
    });

    for (const client of clients) {
      describe.skipIf(client.path === undefined)(client.label, () => {
        const name = `drain-${client.tag}`;
        const selector = `app=${name}`;

        it('cordons and drains a node; its pods move to the other node', async () => {
          const manifest = deploymentYaml({ name, replicas: 4, script: 'exec sleep 3600' });
          await session.kubectl(client, 'apply', '-f', session.file(`${name}.yaml`, manifest));
          const before = await waitForRunning(session, client, selector, 4);
          const onNode0 = before.filter((pod) => pod.spec.nodeName === 'node-0');
          expect(onNode0.length).toBeGreaterThan(0);

          const cordoned = await session.kubectl(client, 'cordon', 'node-0');
          expect(cordoned.stdout).toBe('node/node-0 cordoned\n');
          const nodes = rowsOf((await session.kubectl(client, 'get', 'nodes')).stdout);
          expect(nodes.find((row) => row.NAME === 'node-0')?.STATUS).toBe(
            'Ready,SchedulingDisabled',
          );

          const drained = await session.kubectl(
            client,
            'drain',
            'node-0',
            '--ignore-daemonsets',
            '--timeout=40s',
          );
          // Both evict: kubectl 1.20 does once discovery lists the policy group.
          for (const pod of onNode0) {
            expect(drained.stdout).toContain(`pod/${pod.metadata.name} evicted`);
          }
          // kubectl 1.20 ends with `node/node-0 evicted`, 1.32 with `node/node-0 drained`.
          const last = client.minor >= 30 ? 'drained' : 'evicted';
          expect(drained.stdout).toContain(`node/node-0 ${last}`);
          expect(drained.stdout).toContain(`evicting pod default/${onNode0[0]?.metadata.name}`);
          const after = await waitForRunning(session, client, selector, 4, (pods) =>
            pods.every((pod) => pod.spec.nodeName === 'node-1'),
          );
          const gone = new Set(onNode0.map((pod) => pod.metadata.name));
          expect(after.some((pod) => gone.has(pod.metadata.name))).toBe(false);
        });

        it('uncordons the node, which then takes new pods again', async () => {
          const uncordoned = await session.kubectl(client, 'uncordon', 'node-0');
          expect(uncordoned.stdout).toBe('node/node-0 uncordoned\n');
          await session.kubectl(client, 'scale', `deployment/${name}`, '--replicas=6');
          const pods = await waitForRunning(session, client, selector, 6);
          expect(pods.some((pod) => pod.spec.nodeName === 'node-0')).toBe(true);
          await session.kubectl(client, 'delete', 'deployment', name);
          await waitFor('no pods left', async () =>
            (await podsOf(session, client, selector)).length === 0 ? true : undefined,
          );
        });
      });
    }
  },
);
