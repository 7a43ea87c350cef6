// The same kubelet scenario with the same seed produces byte-identical API history.

import { describe, expect, it } from 'vitest';
import { canonicalStringify } from '../../src/control/api/values/canonical-json.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { JsonValue } from '../../src/control/store/types.js';
import { boundPod, createKubeletWorld, createPod, observePod } from './kubelet-world.js';

async function scenario(seed: number): Promise<string> {
  const world = await createKubeletWorld({
    seed,
    images: {
      'crash:1': { exitAfterMs: 1_500, exitCode: 2 },
      'missing:1': { failPull: true },
      'job:1': { exitAfterMs: 3_000 },
    },
  });
  const watched = ['crash', 'pull', 'job', 'web'].map((name) => observePod(world, name));
  await world.run(async () => {
    world.startKubelet();
    await createPod(
      world.user,
      boundPod('crash', { containers: [{ name: 'app', image: 'crash:1' }] }),
    );
    await createPod(
      world.user,
      boundPod('pull', { containers: [{ name: 'app', image: 'missing:1' }] }),
    );
    const job = { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'job:1' }] };
    await createPod(world.user, boundPod('job', job));
    await createPod(world.user, boundPod('web'));
    await world.userClock.sleep(30_000);
    await world.user.delete(coreResources.pods, 'default', 'web');
    await world.userClock.sleep(30_000);
  }, 61_000);
  const history = watched.flatMap((w) =>
    w.seen.map((o) => ({ at: o.atMs, type: o.type, pod: o.pod })),
  );
  return canonicalStringify(history as unknown as JsonValue);
}

describe('kubelet determinism', () => {
  it('replays the same pod history for the same seed', async () => {
    const first = await scenario(11);
    const second = await scenario(11);
    expect(first.length).toBeGreaterThan(1_000);
    expect(second).toBe(first);
  });
});
