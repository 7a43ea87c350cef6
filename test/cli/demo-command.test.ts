// `miniku demo` run in-process: the core demo's output is unchanged without --cluster, and
// --cluster prints the cluster transcript with two identical digests.
import { describe, expect, it } from 'vitest';
import { hostDrain, runDemoCommand } from '../../src/cli/demo-command.js';
import { MinikuError } from '../../src/cli/errors.js';
import { runDemo } from '../../src/sim/demo.js';

async function demoOutput(options: { seed: string; cluster?: boolean }): Promise<string> {
  let out = '';
  await runDemoCommand({ ...options, write: (text) => void (out += text) });
  return out;
}

describe('miniku demo', () => {
  it('without --cluster prints the core transcript and its digest, twice the same', async () => {
    const out = await demoOutput({ seed: '42' });
    const core = await runDemo({ seed: '42', drain: hostDrain });
    const expected = [
      ...core.lines,
      '',
      `seed 42: transcript sha256 ${core.digest}`,
      `second run with the same seed: sha256 ${core.digest} (identical)`,
      '',
    ].join('\n');
    expect(out).toBe(expected);
  });

  it('with --cluster prints the cluster transcript and two identical digests', async () => {
    const out = await demoOutput({ seed: '42', cluster: true });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^\+00:00 {2}Cluster: node-a \(zone-a\), node-b \(zone-b\)/);
    expect(out).toContain('Rollout complete: 6/6 updated and available');
    expect(out).toContain('Node node-c tainted node.kubernetes.io/unreachable:NoExecute');
    const digest = /seed 42: transcript sha256 ([0-9a-f]{64})/.exec(out)?.[1];
    expect(digest).toBeDefined();
    expect(out).toContain(`second run with the same seed: sha256 ${digest} (identical)`);
  });

  it('refuses an empty seed with a flag error', async () => {
    const error = await demoOutput({ seed: '', cluster: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinikuError);
    expect((error as MinikuError).code).toBe('E_BAD_FLAG');
  });
});
