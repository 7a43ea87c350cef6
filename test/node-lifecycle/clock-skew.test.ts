// Property: a kubelet whose clock is skewed by up to ±10 minutes but renews its Lease every 10 s
// never goes Unknown, because the node lifecycle controller judges staleness from its own
// observation times, never from the kubelet's timestamps. And skew does not save a dead node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLifecycleWorld,
  getNode,
  readyOf,
  taintNames,
  waitFor,
} from './node-lifecycle-world.js';

const skewMsMax = 600_000;

describe('a kubelet with a skewed clock', () => {
  it('never goes Unknown while it keeps renewing its Lease every 10 s', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -skewMsMax, max: skewMsMax }),
        fc.integer({ min: 0, max: 9_999 }),
        async (skewMs, startDelayMs) => {
          const world = await createLifecycleWorld();
          world.controller.start();
          const { client, clock } = world.user;
          const statuses = await world.run(async () => {
            await world.kubelet('steady').register();
            await clock.sleep(startDelayMs);
            await world.kubelet('skewed', { skewMs }).register();
            const seen: string[] = [];
            for (let i = 0; i < 60; i++) {
              await clock.sleep(5_000);
              const node = await getNode(client, 'skewed');
              seen.push(`${readyOf(node)?.status} ${taintNames(node).join(',')}`.trim());
            }
            world.controller.stop();
            await world.controller.whenStopped();
            return seen;
          }, 400_000);
          expect(statuses).toEqual(Array<string>(60).fill('True'));
        },
      ),
      {
        numRuns: 8,
        examples: [
          [-skewMsMax, 0],
          [skewMsMax, 9_999],
        ],
      },
    );
  });

  it('still goes Unknown about 50 s after it stops renewing', async () => {
    const world = await createLifecycleWorld();
    world.controller.start();
    const { client, clock } = world.user;
    const silentSeconds = await world.run(async () => {
      await world.kubelet('steady').register();
      const skewed = world.kubelet('skewed', { skewMs: skewMsMax });
      await skewed.register();
      await clock.sleep(20_000);
      skewed.kill();
      const killedAt = world.seconds();
      const unknownAt = await waitFor(
        clock,
        async () => {
          const node = await getNode(client, 'skewed');
          return readyOf(node)?.status === 'Unknown' ? world.seconds() : undefined;
        },
        { maxMs: 120_000, what: 'Unknown' },
      );
      world.controller.stop();
      await world.controller.whenStopped();
      return unknownAt - killedAt;
    }, 200_000);
    expect(silentSeconds).toBeGreaterThan(50);
    expect(silentSeconds).toBeLessThanOrEqual(61);
  });
});
