// Shutdown of a node's runtime when real mode exits: every running container gets SIGTERM and,
// after min(its pod's terminationGracePeriodSeconds, 5 s), SIGKILL; then containers and sandboxes
// are removed (with them the runtime's mounts and cgroups). Runs after the kubelet stopped, so
// nothing restarts them.

import {
  runtimeLabels,
  type ContainerRuntime,
  type ContainerStatus,
} from '../control/ports/container-runtime.js';

/** The longest a container may take to stop on shutdown, ms. */
export const shutdownGraceMsMax = 5_000;
/** Upstream's default terminationGracePeriodSeconds. */
const defaultGraceSeconds = 30;

/** A pod's terminationGracePeriodSeconds, undefined when unknown. */
export type GraceSecondsOf = (namespace: string, name: string) => Promise<number | undefined>;

export async function drainRuntime(
  runtime: ContainerRuntime,
  graceSecondsOf: GraceSecondsOf,
): Promise<{ stopped: number; removed: number }> {
  const containers = await runtime.listContainers();
  const running = containers.filter((c) => c.state === 'running');
  await Promise.all(
    running.map(async (container) => {
      const timeoutMs = await shutdownTimeoutMs(container, graceSecondsOf);
      await runtime.stopContainer(container.id, timeoutMs).catch(() => undefined);
    }),
  );
  for (const container of containers) {
    await runtime.removeContainer(container.id).catch(() => undefined);
  }
  const sandboxes = await runtime.listPodSandboxes();
  for (const sandbox of sandboxes) {
    await runtime.stopPodSandbox(sandbox.id).catch(() => undefined);
    await runtime.removePodSandbox(sandbox.id).catch(() => undefined);
  }
  return { stopped: running.length, removed: containers.length };
}

async function shutdownTimeoutMs(
  container: ContainerStatus,
  graceSecondsOf: GraceSecondsOf,
): Promise<number> {
  const labels = container.config.labels;
  const namespace = labels[runtimeLabels.podNamespace] ?? '';
  const name = labels[runtimeLabels.podName] ?? '';
  const seconds = await graceSecondsOf(namespace, name).catch(() => undefined);
  const graceMs = (seconds ?? defaultGraceSeconds) * 1000;
  return Math.max(0, Math.min(graceMs, shutdownGraceMsMax));
}

/** graceSecondsOf over any way to read a pod (the API server in-process, or a client). */
export function graceFromPods(
  readPod: (namespace: string, name: string) => Promise<unknown>,
): GraceSecondsOf {
  return async (namespace, name) => {
    const pod = (await readPod(namespace, name).catch(() => undefined)) as
      { spec?: { terminationGracePeriodSeconds?: unknown } } | undefined;
    const seconds = pod?.spec?.terminationGracePeriodSeconds;
    return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0
      ? seconds
      : undefined;
  };
}
