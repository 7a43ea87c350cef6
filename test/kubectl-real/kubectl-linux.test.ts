// The kubectl compatibility story against `miniku real --runtime linux` (root): containers in
// their own namespaces, so `exec -- hostname` prints the pod's name. Skips visibly when not root
// or when LinuxRuntime cannot run here; with MINIKU_REQUIRE_ROOT=1 (CI) that is a failure.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRuntime } from '../../src/cli/real-runtime.js';
import { spdyUnsupportedMessage } from '../../src/runtime/websocket-exec-protocol.js';
import { rowsOf } from '../kubectl/kubectl-helpers.js';
import {
  deploymentYaml,
  kubectlClients,
  podYaml,
  podsOf,
  speaksWebSocketExec,
  startClusterSession,
  waitFor,
  waitForRunning,
  type ClusterSession,
} from './kubectl-real-helpers.js';

const requireRoot = process.env.MINIKU_REQUIRE_ROOT === '1';
const clients = kubectlClients();

/** Why the linux runtime cannot be tested here, or undefined when it can. */
async function unavailableReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    await prepareRuntime('linux');
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `LinuxRuntime unavailable: ${message}`;
  }
}

const reason = await unavailableReason();

describe('kubectl against miniku real --runtime linux', () => {
  if (reason !== undefined) {
    if (requireRoot) {
      it('runs (MINIKU_REQUIRE_ROOT=1 forbids skipping)', () => {
        expect.fail(`cannot run the linux kubectl tests: ${reason}`);
      });
    } else {
      console.warn(
        `kubectl-linux.test.ts: skipped: ${reason} (MINIKU_REQUIRE_ROOT=1 fails instead)`,
      );
      it.skip(`skipped: ${reason}`, () => undefined);
    }
    return;
  }

  let session: ClusterSession;

  beforeAll(async () => {
    session = await startClusterSession('linux', 'kubectl-linux');
  });

  afterAll(async () => {
    await session?.close();
  });

  for (const client of clients) {
    describe.skipIf(client.path === undefined)(client.label, () => {
      const name = `linux-${client.tag}`;
      const selector = `app=${name}`;
      const script = 'echo "hello from $(hostname)"; exec sleep 3600';
      const manifest = (image: string) => deploymentYaml({ name, replicas: 2, image, script });

      it('applies a Deployment, rolls it out on both nodes and prints its logs', async () => {
        await session.kubectl(
          client,
          'apply',
          '-f',
          session.file(`${name}.yaml`, manifest('busybox:1.36')),
        );
        const status = await session.kubectl(
          client,
          'rollout',
          'status',
          `deployment/${name}`,
          '--timeout=40s',
        );
        expect(status.stdout).toContain('successfully rolled out');
        const pods = await waitForRunning(session, client, selector, 2);
        const rows = rowsOf(
          (await session.kubectl(client, 'get', 'pods', '-l', selector, '-o', 'wide')).stdout,
        );
        expect(rows.map((row) => [row.STATUS, row.NODE]).sort()).toEqual([
          ['Running', 'node-0'],
          ['Running', 'node-1'],
        ]);
        for (const pod of pods) {
          const podName = pod.metadata.name;
          const log = await waitFor('the hello line', async () => {
            const { stdout } = await session.kubectl(client, 'logs', podName, '--tail=1');
            return stdout === '' ? undefined : stdout;
          });
          expect(log).toBe(`hello from ${podName}\n`);
        }
      });

      if (speaksWebSocketExec(client)) {
        it('execs into the container: its hostname is the pod name, exit codes pass through', async () => {
          const [pod] = await podsOf(session, client, selector);
          const podName = pod?.metadata.name ?? '';
          const hostname = await session.kubectl(client, 'exec', podName, '--', 'hostname');
          expect(hostname.stdout).toBe(`${podName}\n`);
          const failed = await session.kubectlAny(client, [
            'exec',
            podName,
            '--',
            'sh',
            '-c',
            'echo hi; exit 3',
          ]);
          expect(failed).toMatchObject({ stdout: 'hi\n', code: 3 });
          const ps = await session.kubectl(client, 'exec', podName, '--', 'ps', '-o', 'pid,comm');
          expect(ps.stdout.split('\n')[1]).toMatch(/^\s*1\s/); // its own PID namespace
        });
      } else {
        it('is refused exec (SPDY only) with a message asking for a WebSocket client', async () => {
          const [pod] = await podsOf(session, client, selector);
          const result = await session.kubectlAny(client, [
            'exec',
            pod?.metadata.name ?? '',
            '--',
            'hostname',
          ]);
          expect(result.code).toBe(1);
          expect(result.stderr).toContain(spdyUnsupportedMessage);
        });
      }

      it('rolls out set image and back with rollout undo', async () => {
        await session.kubectl(client, 'set', 'image', `deployment/${name}`, 'main=busybox:1.37');
        await session.kubectl(client, 'rollout', 'status', `deployment/${name}`, '--timeout=40s');
        await waitForRunning(session, client, selector, 2, (pods) =>
          pods.every((pod) => pod.spec.containers[0]?.image === 'busybox:1.37'),
        );
        const undo = await session.kubectl(client, 'rollout', 'undo', `deployment/${name}`);
        expect(undo.stdout).toBe(`deployment.apps/${name} rolled back\n`);
        await session.kubectl(client, 'rollout', 'status', `deployment/${name}`, '--timeout=40s');
        const pods = await waitForRunning(session, client, selector, 2, (running) =>
          running.every((pod) => pod.spec.containers[0]?.image === 'busybox:1.36'),
        );
        const described = await session.kubectl(
          client,
          'describe',
          'pod',
          pods[0]?.metadata.name ?? '',
        );
        expect(described.stdout).toMatch(/^Status:\s+Running$/m);
        expect(described.stdout).toMatch(/^\s+Image:\s+busybox:1\.36$/m);
      });

      it('drains node-0 (its pods move to node-1), then deletes the Deployment', async () => {
        await session.kubectl(client, 'drain', 'node-0', '--ignore-daemonsets', '--timeout=40s');
        await waitForRunning(session, client, selector, 2, (pods) =>
          pods.every((pod) => pod.spec.nodeName === 'node-1'),
        );
        await session.kubectl(client, 'uncordon', 'node-0');
        const deleted = await session.kubectl(client, 'delete', 'deployment', name);
        expect(deleted.stdout).toBe(`deployment.apps "${name}" deleted\n`);
        await waitFor('no pods left', async () =>
          (await podsOf(session, client, selector)).length === 0 ? true : undefined,
        );
      });
    });
  }

  const first = clients.find((client) => client.path !== undefined);
  describe.skipIf(first === undefined)('a container that exits and restarts', () => {
    it('shows the previous container with logs --previous and is gone after delete', async () => {
      if (first === undefined) return;
      const script = 'echo "boot $(cat /proc/uptime)"; sleep 2; exit 1';
      await session.kubectl(
        first,
        'apply',
        '-f',
        session.file('crasher.yaml', podYaml('crasher', script)),
      );
      await waitFor(
        'a restart',
        async () => {
          const [pod] = await podsOf(session, first, 'app=crasher');
          const status = pod?.status.containerStatuses?.[0];
          return (status?.restartCount ?? 0) >= 1 && status?.state?.running ? true : undefined;
        },
        { timeoutMs: 30_000, stepMs: 100 },
      );
      const previous = await session.kubectl(first, 'logs', 'crasher', '--previous');
      expect(previous.stdout).toMatch(/^boot [\d.]+ [\d.]+\n$/);
      const deleted = await session.kubectl(first, 'delete', 'pod', 'crasher');
      expect(deleted.stdout).toBe('pod "crasher" deleted\n');
      expect((await session.kubectlAny(first, ['get', 'pod', 'crasher'])).code).toBe(1);
    });
  });
});
