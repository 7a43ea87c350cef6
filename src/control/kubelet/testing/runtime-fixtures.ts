// Test helpers for the kubelet's pure parts: pods and runtime sandboxes/containers as the
// SimRuntime would list them, labelled for one pod UID.

import type { ContainerStatus, PodSandbox } from '../../ports/container-runtime.js';
import { runtimeLabels } from '../../ports/container-runtime.js';
import type { JsonObject } from '../../store/types.js';
import type { PodRuntimeState } from '../runtime-view.js';
import { podRuntimeState } from '../runtime-view.js';

export const fixtureUid = 'uid-1';

export function fixturePod(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
  status: Record<string, unknown> = {},
): JsonObject {
  const meta = { name: 'p', namespace: 'default', uid: fixtureUid, ...metadata };
  return { metadata: meta, spec, status } as JsonObject;
}

export function fixtureSandbox(
  id: string,
  state: 'ready' | 'notready',
  options: { attempt?: number; createdAtMs?: number; ip?: string } = {},
): PodSandbox {
  const labels = { [runtimeLabels.podUid]: fixtureUid };
  const attempt = options.attempt ?? 0;
  const config = {
    name: 'p',
    namespace: 'default',
    uid: fixtureUid,
    attempt,
    hostname: 'p',
    labels,
  };
  const ip = state === 'ready' ? (options.ip ?? '10.244.0.2') : '';
  return { id, config, state, createdAtMs: options.createdAtMs ?? 0, ip };
}

export interface FixtureContainerOptions {
  attempt?: number;
  exitCode?: number;
  reason?: string;
  image?: string;
  createdAtMs?: number;
  startedAtMs?: number;
  finishedAtMs?: number;
}

/** A container of the fixture pod; createdAtMs defaults to 1 s per attempt after the epoch. */
export function fixtureContainer(
  name: string,
  state: ContainerStatus['state'],
  options: FixtureContainerOptions = {},
): ContainerStatus {
  const attempt = options.attempt ?? 0;
  const createdAtMs = options.createdAtMs ?? 1_767_225_600_000 + attempt * 1_000;
  const exitCode = options.exitCode ?? 0;
  const startedAtMs = options.startedAtMs ?? (state === 'created' ? 0 : createdAtMs);
  const finishedAtMs = options.finishedAtMs ?? (state === 'exited' ? startedAtMs + 500 : 0);
  return {
    id: `${name}-${attempt}`,
    sandboxId: 's1',
    config: {
      name,
      image: options.image ?? 'img:1',
      command: [],
      args: [],
      env: [],
      workingDir: '',
      attempt,
      labels: {
        [runtimeLabels.podUid]: fixtureUid,
        [runtimeLabels.containerName]: name,
        [runtimeLabels.attempt]: String(attempt),
      },
      limits: { memoryBytes: 0, cpuMillis: 0, pidsMax: 0 },
    },
    state,
    createdAtMs,
    startedAtMs,
    finishedAtMs,
    exitCode,
    reason: options.reason ?? (state === 'exited' ? (exitCode === 0 ? 'Completed' : 'Error') : ''),
    message: '',
    imageRef: 'sha256:1',
  };
}

export function fixtureState(
  sandboxes: readonly PodSandbox[],
  containers: readonly ContainerStatus[],
): PodRuntimeState {
  return podRuntimeState(fixtureUid, sandboxes, containers);
}
