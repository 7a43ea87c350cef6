import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/sim/engine/run-script.js';
import { newTestEngine } from '../support/sim-base.js';

describe('runScript', () => {
  it('returns the value of a script that finishes in time', async () => {
    const engine = newTestEngine();
    const clock = engine.clock('t');
    const value = await runScript(engine, { endpoint: 't', forMs: 10_000 }, async () => {
      await clock.sleep(5_000);
      return clock.nowMs();
    });
    expect(value - engine.nowMs()).toBe(-5_000);
  });

  it('names the script that did not finish, and passes errors through', async () => {
    const engine = newTestEngine();
    const clock = engine.clock('t');
    const slow = runScript(engine, { endpoint: 't', forMs: 1_000, what: 'the slow one' }, () =>
      clock.sleep(5_000),
    );
    await expect(slow).rejects.toThrow('the slow one did not finish within 1000 ms');
    const failing = runScript(engine, { endpoint: 't', forMs: 1_000 }, async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
  });
});
