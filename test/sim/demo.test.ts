// The demo is deterministic: one seed, one transcript; another seed, another transcript.
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/sim/demo.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(resolve));

describe('core demo', () => {
  it('produces byte-identical transcripts for the same seed', async () => {
    const a = await runDemo({ seed: 7, drain });
    const b = await runDemo({ seed: 7, drain });
    expect(b.lines).toEqual(a.lines);
    expect(b.digest).toBe(a.digest);
    expect(a.lines.some((l) => l.includes('409 Conflict'))).toBe(true);
    expect(a.lines.filter((l) => l.includes('observer ADDED')).length).toBe(6);
  });

  it('changes with the seed', async () => {
    const a = await runDemo({ seed: 1, drain });
    const b = await runDemo({ seed: 2, drain });
    expect(b.digest).not.toBe(a.digest);
  });
});
