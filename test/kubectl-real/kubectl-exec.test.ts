// `kubectl exec` against `miniku real --runtime process`: kubectl 1.30+ over WebSocket
// (v5.channel.k8s.io) through the API server to the kubelet and the runtime; kubectl 1.20 (SPDY
// only) gets a clear refusal. The runtime's exec takes no input, so `-i` is refused too. Last,
// the same through a kubelet serving its own HTTP server, as `miniku kubelet` runs it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeletCommand, type RunningNode } from '../../src/cli/kubelet-command.js';
import { findBusybox } from '../../src/runtime/process-busybox.js';
import {
  spdyUnsupportedMessage,
  stdinUnsupportedMessage,
} from '../../src/runtime/websocket-exec-protocol.js';
import { startKubectlSession, type KubectlSession } from '../kubectl/kubectl-helpers.js';
import {
  deploymentYaml,
  kubectlClients,
  speaksWebSocketExec,
  startClusterSession,
  waitFor,
  waitForRunning,
  type ClusterSession,
} from './kubectl-real-helpers.js';

const clients = kubectlClients();
const busybox = findBusybox();

describe.skipIf(busybox === undefined)('kubectl exec against miniku real (process runtime)', () => {
  let session: ClusterSession;
  let pod = '';

  beforeAll(async () => {
    session = await startClusterSession('process', 'kubectl-exec');
    const client = clients.find((c) => c.path !== undefined);
    if (client === undefined) return;
    const manifest = deploymentYaml({ name: 'shell', replicas: 1, script: 'exec sleep 3600' });
    await session.kubectl(client, 'apply', '-f', session.file('shell.yaml', manifest));
    const [running] = await waitForRunning(session, client, 'app=shell', 1);
    pod = running?.metadata.name ?? '';
  });

  afterAll(async () => {
    await session?.close();
  });

  for (const client of clients) {
    if (client.path !== undefined && !speaksWebSocketExec(client)) {
      describe(`${client.label} (SPDY only)`, () => {
        it('is refused with a message asking for a WebSocket client', async () => {
          const result = await session.kubectlAny(client, ['exec', pod, '--', 'echo', 'hi']);
          expect(result.code).toBe(1);
          expect(result.stdout).toBe('');
          expect(result.stderr).toContain(spdyUnsupportedMessage);
        });
      });
      continue;
    }
    describe.skipIf(client.path === undefined)(`${client.label} (WebSocket)`, () => {
      it("prints the command's output and exits with its exit code", async () => {
        const startedAtMs = Date.now();
        const result = await session.kubectlAny(client, [
          'exec',
          pod,
          '--',
          'sh',
          '-c',
          'echo hi; exit 3',
        ]);
        const elapsedMs = Date.now() - startedAtMs;
        expect(result.stdout).toBe('hi\n');
        expect(result.stderr).toContain('command terminated with exit code 3');
        expect(result.code).toBe(3);
        expect(elapsedMs).toBeLessThan(5_000);
      });

      it('passes every argument intact and keeps stderr apart from stdout', async () => {
        const script = 'echo "$HOSTNAME|$1|$2"; echo oops >&2';
        const result = await session.kubectl(
          client,
          'exec',
          pod,
          '-c',
          'main',
          '--',
          'sh',
          '-c',
          script,
          'zero',
          'two words',
          '',
        );
        expect(result.stdout).toBe(`${pod}|two words|\n`);
        expect(result.stderr).toBe('oops\n');
      });

      it('carries output larger than one WebSocket frame', async () => {
        const result = await session.kubectl(client, 'exec', pod, '--', 'seq', '1', '20000');
        const lines = result.stdout.split('\n');
        expect(lines).toHaveLength(20001);
        expect(lines[19999]).toBe('20000');
      });

      it('reports a missing executable with exit code 127', async () => {
        const result = await session.kubectlAny(client, ['exec', pod, '--', 'no-such-command']);
        expect(result.code).toBe(127);
        expect(result.stderr).toContain('no-such-command');
      });

      it('refuses an unknown container and -i (stdin) with messages saying why', async () => {
        const container = await session.kubectlAny(client, [
          'exec',
          pod,
          '-c',
          'nope',
          '--',
          'true',
        ]);
        expect(container.code).toBe(1);
        expect(container.stderr).toContain(`container nope is not valid for pod ${pod}`);
        const stdin = await session.kubectlAny(client, ['exec', '-i', pod, '--', 'cat'], 'input\n');
        expect(stdin.code).toBe(1);
        expect(stdin.stderr).toContain(stdinUnsupportedMessage);
      });
    });
  }
});

const current = clients.find((client) => client.path !== undefined && speaksWebSocketExec(client));

describe.skipIf(busybox === undefined || current === undefined)(
  'kubectl exec through a kubelet with its own HTTP server (miniku apiserver + miniku kubelet)',
  () => {
    let api: KubectlSession;
    let node: RunningNode | undefined;
    let dataDir = '';

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'miniku-kubectl-exec-remote-'));
      api = await startKubectlSession(current?.path ?? '', 'kubectl-exec-remote');
      node = await startKubeletCommand(
        {
          server: api.url,
          nodeName: 'remote',
          runtime: 'process',
          dataDir,
          kubeletPort: '0',
          seed: 'remote',
        },
        () => undefined,
      );
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'far' },
        spec: {
          nodeName: 'remote',
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }],
        },
      };
      expect((await api.api('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
      await waitFor('pod far Running', async () => {
        const reply = await api.api('GET', '/api/v1/namespaces/default/pods/far');
        return reply.json.status?.phase === 'Running' ? true : undefined;
      });
    });

    afterAll(async () => {
      node?.killAll();
      await node?.close();
      await api?.close();
      if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs the command on the remote kubelet and passes its exit code back', async () => {
      const ok = await api.kubectl(
        'exec',
        'far',
        '--',
        'sh',
        '-c',
        'echo "$HOSTNAME:$1"',
        'x',
        'y z',
      );
      expect(ok.stdout).toBe('far:y z\n');
      const failed = await api.kubectlFails('exec', 'far', '--', 'sh', '-c', 'echo hi; exit 3');
      expect(failed.stdout).toBe('hi\n');
      expect(failed.stderr).toContain('command terminated with exit code 3');
    });
  },
);
