// `kubectl logs` (plain, -f, --tail, --since, --previous) with kubectl 1.32 and Debian's 1.20
// against `miniku real --runtime process`: a pod that keeps printing, and one that prints and
// exits so the kubelet restarts it and its previous container's log can be read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import {
  kubectlClients,
  podYaml,
  podsOf,
  startClusterSession,
  waitFor,
  waitForRunning,
  type ClusterSession,
} from './kubectl-real-helpers.js';

const clients = kubectlClients();
/** `early`, a pause, then `tick-0`, `tick-1`, … every 0.2 s. */
const tickerScript =
  'echo early; sleep 2; i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done';
/** A distinct first line per run (the host's uptime), then a pause and a failing exit. */
const crasherScript = 'echo "boot $(cat /proc/uptime)"; echo line-2; sleep 3; exit 1';

describe.skipIf(findBusybox() === undefined)(
  'kubectl logs on miniku real (process runtime)',
  () => {
    let session: ClusterSession;
    const first = clients.find((client) => client.path !== undefined);

    beforeAll(async () => {
      session = await startClusterSession('process', 'kubectl-logs');
      if (first === undefined) return;
      await session.kubectl(
        first,
        'apply',
        '-f',
        session.file('ticker.yaml', podYaml('ticker', tickerScript)),
      );
      await session.kubectl(
        first,
        'apply',
        '-f',
        session.file('crasher.yaml', podYaml('crasher', crasherScript)),
      );
      await waitForRunning(session, first, 'app=ticker', 1);
      // Past the first tick, so that --since=1s leaves `early` out.
      await waitFor('ticks', async () => {
        const { stdout } = await session.kubectl(first, 'logs', 'ticker');
        return stdout.includes('tick-3') ? true : undefined;
      });
    });

    afterAll(async () => {
      await session?.close();
    });

    for (const client of clients) {
      describe.skipIf(client.path === undefined)(client.label, () => {
        it('prints the log, the last lines with --tail and the recent ones with --since', async () => {
          const all = (await session.kubectl(client, 'logs', 'ticker')).stdout.split('\n');
          expect(all.slice(0, 3)).toEqual(['early', 'tick-0', 'tick-1']);
          const tail = await session.kubectl(client, 'logs', 'ticker', '--tail=2');
          expect(tail.stdout).toMatch(/^tick-\d+\ntick-\d+\n$/);
          const recent = await session.kubectl(client, 'logs', 'ticker', '--since=1s');
          expect(recent.stdout).toMatch(/^tick-\d+\n/);
          expect(recent.stdout).not.toContain('early');
          const hour = await session.kubectl(client, 'logs', 'ticker', '--since=1h');
          expect(hour.stdout.startsWith('early\ntick-0\n')).toBe(true);
        });

        it('follows the log with -f until it is stopped after the expected lines', async () => {
          const backlog = (await session.kubectl(client, 'logs', 'ticker')).stdout.split('\n');
          const follow = session.kubectlLong(client, ['logs', '-f', 'ticker'], 15_000);
          // Three lines more than were written when it started: they arrived while following.
          const seen = await follow.lines(backlog.length + 2);
          await follow.stop();
          expect(seen.length).toBeGreaterThanOrEqual(backlog.length + 2);
          expect(seen[0]).toBe('early');
          const ticks = seen.slice(1).map((line) => Number(/^tick-(\d+)$/.exec(line)?.[1]));
          expect(ticks.every(Number.isInteger)).toBe(true);
          ticks.forEach((tick, index) => expect(tick).toBe(index));
        });

        it('refuses --previous before any restart', async () => {
          const result = await session.kubectlAny(client, ['logs', 'ticker', '--previous']);
          expect(result.code).toBe(1);
          expect(result.stderr).toContain(
            'previous terminated container "main" in pod "ticker" not found',
          );
        });

        it('prints the previous container with --previous after a restart', async () => {
          // While the restarted container runs, the current and previous logs are different runs.
          await waitFor(
            'crasher restarted and running',
            async () => {
              const [pod] = await podsOf(session, client, 'app=crasher');
              const status = pod?.status.containerStatuses?.[0];
              return status !== undefined && status.restartCount >= 1 && status.state?.running
                ? true
                : undefined;
            },
            { timeoutMs: 30_000, stepMs: 100 },
          );
          const previous = await session.kubectl(client, 'logs', 'crasher', '--previous');
          const current = await session.kubectl(client, 'logs', 'crasher');
          expect(previous.stdout).toMatch(/^boot [\d.]+ [\d.]+\nline-2\n$/);
          expect(current.stdout).toMatch(/^boot [\d.]+ [\d.]+\n/);
          expect(current.stdout.split('\n')[0]).not.toBe(previous.stdout.split('\n')[0]);
        });
      });
    }
  },
);
