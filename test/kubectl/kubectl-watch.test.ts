// `kubectl get -w` and `kubectl delete`'s wait against `miniku apiserver`: Table rows per watch
// event, a bounded watch, and a delete that returns only once the object is really gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindPod, nodeYaml, podYaml } from './kubectl-fixtures.js';
import { kubectlVersions, startKubectlSession, type KubectlSession } from './kubectl-helpers.js';

const podsPath = '/api/v1/namespaces/default/pods';

/** The pod as stored, or undefined once it is gone. */
async function storedPod(session: KubectlSession, name: string): Promise<any> {
  const reply = await session.api('GET', `${podsPath}/${name}`);
  return reply.status === 404 ? undefined : reply.json;
}

describe.each(kubectlVersions())('$label: watch and delete', ({ path }) => {
  let session: KubectlSession;
  const kc = (...args: string[]) => session.kubectl(...args);

  beforeAll(async () => {
    if (path === undefined) return;
    session = await startKubectlSession(path, 'kubectl-watch');
    await kc('apply', '-f', session.file('node.yaml', nodeYaml('node-1')));
    await kc('apply', '-f', session.file('first.yaml', podYaml('first')));
  }, 30_000);

  afterAll(async () => {
    await session?.close();
  });

  it.skipIf(path === undefined)(
    'ends get -w at --request-timeout after the current rows',
    async () => {
      const started = Date.now();
      const { stdout } = await kc('get', 'pods', '-w', '--request-timeout=2s');
      const lines = stdout.trim().split('\n');
      expect(lines[0]?.trim().split(/\s{2,}/)).toEqual([
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
      ]);
      expect(lines[1]).toMatch(/^first\s+0\/1\s+Pending\s+0\s+\d+s$/);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
  );

  it.skipIf(path === undefined)(
    'prints a row per watch event: a new pod, its binding, its graceful deletion',
    async () => {
      const watch = session.kubectlLines(['get', 'pods', '-w'], 5, 15_000);
      expect(await watch.linesAtLeast(2)).toHaveLength(2);
      await kc('apply', '-f', session.file('second.yaml', podYaml('second')));
      await watch.linesAtLeast(3);
      await bindPod(session, 'second', 'node-1');
      await watch.linesAtLeast(4);
      await kc('delete', 'pod', 'second', '--wait=false');
      const { lines } = await watch.done;
      const rows = lines.slice(1).map((line) => line.trim().split(/\s+/).slice(0, 3));
      expect(rows.slice(0, 4)).toEqual([
        ['first', '0/1', 'Pending'],
        ['second', '0/1', 'Pending'],
        ['second', '0/1', 'Pending'],
        ['second', '0/1', 'Terminating'],
      ]);
      expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      expect(lines.slice(1).every((line) => !line.startsWith('NAME'))).toBe(true);
    },
  );

  it.skipIf(path === undefined)(
    'waits in delete until the kubelet finishes a graceful deletion',
    async () => {
      await kc('apply', '-f', session.file('third.yaml', podYaml('third')));
      await bindPod(session, 'third', 'node-1');
      const deletion = session.kubectlLines(
        ['delete', 'pod', 'third', '--timeout=20s'],
        99,
        25_000,
      );
      let pod: any;
      for (let i = 0; i < 100; i++) {
        pod = await storedPod(session, 'third');
        if (pod?.metadata?.deletionTimestamp !== undefined) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(pod.metadata.deletionGracePeriodSeconds).toBe(30);
      await new Promise((r) => setTimeout(r, 500));
      let finished = false;
      void deletion.done.then(() => (finished = true));
      await new Promise((r) => setTimeout(r, 0));
      expect(finished).toBe(false);
      // What the kubelet does once the containers stopped: delete with grace period 0.
      const body = { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 };
      expect((await session.api('DELETE', `${podsPath}/third`, body)).status).toBe(200);
      const { lines, code } = await deletion.done;
      expect(code).toBe(0);
      expect(lines).toContain('pod "third" deleted');
      expect(await storedPod(session, 'third')).toBeUndefined();
    },
    30_000,
  );

  it.skipIf(path === undefined)('deletes an unscheduled pod at once', async () => {
    await kc('apply', '-f', session.file('fourth.yaml', podYaml('fourth')));
    const { stdout } = await kc('delete', 'pod', 'fourth');
    expect(stdout.trim()).toBe('pod "fourth" deleted');
    expect(await storedPod(session, 'fourth')).toBeUndefined();
  });
});
