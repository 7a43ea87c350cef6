// Tests of single probe attempts against a SimRuntime: outputs, errors and retries.

import { describe, expect, it } from 'vitest';
import { newTestEngine } from '../support/sim-base.js';
import { SimRuntime, type SimImageScript } from '../../src/sim/sim-runtime.js';
import type { ProbeAddress } from '../../src/control/ports/container-runtime.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { JsonObject } from '../../src/control/store/types.js';
import {
  runProbe,
  runProbeWithRetries,
  type ProbeTarget,
} from '../../src/control/kubelet/prober/probe-runner.js';
import type { ProbeHandler } from '../../src/control/kubelet/prober/probe-spec.js';

class RecordingRuntime extends SimRuntime {
  readonly commands: string[][] = [];
  tcpCalls = 0;

  override exec(containerId: string, command: string[], timeoutMs: number) {
    this.commands.push(command);
    if (command[0] === 'explode') throw new Error('a bug, not an operating error');
    return super.exec(containerId, command, timeoutMs);
  }

  override probeTcp(sandboxId: string, address: ProbeAddress, timeoutMs: number) {
    this.tcpCalls += 1;
    return super.probeTcp(sandboxId, address, timeoutMs);
  }
}

async function newTarget(images: Record<string, SimImageScript>, container: JsonObject = {}) {
  const engine = newTestEngine();
  const runtime = new RecordingRuntime({
    clock: engine.clock('node/worker-1'),
    rng: createRng(3, 'runtime'),
    nodeName: 'worker-1',
    behavior: { imagePullMs: 0, containerStartMs: 0, images },
  });
  const sandboxId = await runtime.runPodSandbox({
    name: 'web-1',
    namespace: 'default',
    uid: 'uid-1',
    attempt: 0,
    hostname: 'web-1',
    labels: {},
  });
  const pull = runtime.pullImage('app:1');
  await engine.runUntil(engine.nowMs());
  await pull;
  const containerId = await runtime.createContainer(sandboxId, {
    name: 'app',
    image: 'app:1',
    command: [],
    args: [],
    env: [],
    workingDir: '',
    attempt: 0,
    labels: {},
    limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
  });
  const start = runtime.startContainer(containerId);
  await engine.runUntil(engine.nowMs());
  await start;
  const podIp = (await runtime.listPodSandboxes())[0]?.ip ?? '';
  const target: ProbeTarget = {
    pod: { metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' } },
    container: { name: 'app', ...container },
    containerId,
    sandboxId,
    podIp,
  };
  return { engine, runtime, target };
}

describe('runProbe', () => {
  it('passes exec output (stdout then stderr) and expands $(VAR) from the env', async () => {
    const { runtime, target } = await newTarget(
      { 'app:1': { exec: { exitCode: 2, stdout: 'out;', stderr: 'err' } } },
      { env: [{ name: 'FILE', value: '/tmp/ok' }] },
    );
    const handler: ProbeHandler = { type: 'exec', command: ['cat', '$(FILE)'] };
    expect(await runProbe(runtime, handler, target, 1_000)).toEqual({
      result: 'failure',
      output: 'out;err',
    });
    expect(runtime.commands).toEqual([['cat', '/tmp/ok']]);
  });

  it('prefixes HTTP client errors with the request URL as Go does', async () => {
    const { runtime, target } = await newTarget({});
    const handler: ProbeHandler = {
      type: 'httpGet',
      path: '/healthz',
      port: 81,
      host: '',
      scheme: 'HTTP',
      headers: [],
    };
    const url = `http://${target.podIp}:81/healthz`;
    expect(await runProbe(runtime, handler, target, 1_000)).toEqual({
      result: 'failure',
      output: `Get "${url}": dial tcp ${target.podIp}:81: connect: connection refused`,
    });
  });

  it('errors for gRPC and handler-less probes without calling the runtime', async () => {
    const { runtime, target } = await newTarget({});
    const grpc = await runProbe(runtime, { type: 'grpc', port: 9000, service: '' }, target, 1_000);
    expect(grpc).toEqual({
      result: 'unknown',
      output: '',
      error: 'gRPC probes are not supported by miniku',
    });
    expect(await runProbe(runtime, { type: 'none' }, target, 1_000)).toEqual({
      result: 'unknown',
      output: '',
      error: 'missing probe handler for web-1_default(uid-1):app',
    });
    expect(runtime.commands).toEqual([]);
  });

  it('rethrows what is not a RuntimeError: a programmer error', async () => {
    const { runtime, target } = await newTarget({});
    const handler: ProbeHandler = { type: 'exec', command: ['explode'] };
    await expect(runProbe(runtime, handler, target, 1_000)).rejects.toThrow(/a bug/);
  });
});

describe('runProbeWithRetries', () => {
  const tcp: ProbeHandler = { type: 'tcpSocket', port: 80, host: '' };

  it('tries three times while the probe errors, then returns the error', async () => {
    const { runtime, target } = await newTarget({});
    await runtime.stopPodSandbox(target.sandboxId);
    const attempt = await runProbeWithRetries(runtime, tcp, {
      target,
      timeoutMs: 1_000,
      isCancelled: () => false,
    });
    expect(attempt).toMatchObject({ result: 'unknown', error: expect.stringMatching(/not ready/) });
    expect(runtime.tcpCalls).toBe(3);
  });

  it('stops retrying once cancelled, and does not retry plain failures', async () => {
    const { runtime, target } = await newTarget({});
    const options = { target, timeoutMs: 1_000, isCancelled: () => true };
    const refused = await runProbeWithRetries(runtime, tcp, options);
    expect(refused.result).toBe('failure');
    expect(runtime.tcpCalls).toBe(1);
    await runtime.stopPodSandbox(target.sandboxId);
    await runProbeWithRetries(runtime, tcp, options);
    expect(runtime.tcpCalls).toBe(2);
  });
});
