// The cluster demo reaches its milestones at plausible virtual times, and is deterministic.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runClusterDemo } from './cluster-demo.js';
import type { ClusterDemoResult } from './cluster-demo.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(resolve));

/** One run per seed, shared by the tests of this file (each run takes about a second). */
const runs = new Map<string, Promise<ClusterDemoResult>>();
function run(seed: string): Promise<ClusterDemoResult> {
  const existing = runs.get(seed);
  if (existing !== undefined) return existing;
  const started = runClusterDemo({ seed, drain });
  runs.set(seed, started);
  return started;
}

/** Virtual seconds of the first line containing `text`; fails the test if there is none. */
function secondsAt(lines: readonly string[], text: string): number {
  const line = lines.find((l) => l.includes(text));
  expect(line, `a line containing "${text}"`).toBeDefined();
  const match = /^\+(\d\d):(\d\d) {2}/.exec(line ?? '');
  expect(match).not.toBeNull();
  return Number(match?.[1]) * 60 + Number(match?.[2]);
}

describe('cluster demo', () => {
  it('prints a short transcript of time-stamped lines whose times never go back', async () => {
    const { lines } = await run('42');
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.length).toBeLessThanOrEqual(60);
    const times = lines.map((line) => secondsAt([line], ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('makes the Deployment Available and spreads its six pods two per node', async () => {
    const { lines } = await run('42');
    expect(secondsAt(lines, 'Deployment web Available: ')).toBeLessThanOrEqual(60);
    expect(lines).toContainEqual(
      expect.stringContaining('All 6 pods Ready: node-a 2, node-b 2, node-c 2'),
    );
    expect(lines).toContainEqual(expect.stringContaining('Endpoints web: 6 ready, 0 not ready'));
  });

  it('completes the rolling update to revision 2 without dropping below five endpoints', async () => {
    const { lines } = await run('42');
    const updateS = secondsAt(lines, 'User sets the image to nginx:1.28');
    const completeS = secondsAt(
      lines,
      'Rollout complete: 6/6 updated and available, old ReplicaSet at 0, revision 2',
    );
    expect(completeS - updateS).toBeGreaterThan(0);
    expect(completeS - updateS).toBeLessThanOrEqual(120);
    expect(lines).toContainEqual(expect.stringContaining('never fell below 5 ready addresses'));
  });

  it('taints the crashed node 50-70 s after the crash and replaces its pods 300 s later', async () => {
    const { lines } = await run('42');
    const crashS = secondsAt(lines, 'Crash: the kubelet on node-c stops');
    const unknownS = secondsAt(lines, 'Node node-c Ready: True → Unknown');
    const taintS = secondsAt(lines, 'Node node-c tainted node.kubernetes.io/unreachable:NoExecute');
    expect(unknownS - crashS).toBeGreaterThanOrEqual(40);
    expect(taintS - crashS).toBeGreaterThanOrEqual(50);
    expect(taintS - crashS).toBeLessThanOrEqual(70);
    expect(secondsAt(lines, 'Endpoints web: 4 ready')).toBeGreaterThanOrEqual(unknownS);
    const evicted = lines.filter((l) => l.includes('terminating (DeletionByTaintManager)'));
    expect(evicted.length).toBe(2);
    expect(secondsAt(evicted, '')).toBeGreaterThanOrEqual(taintS + 300);
    const replacedS = secondsAt(lines, 'All 6 Ready again off node-c');
    expect(replacedS).toBeGreaterThanOrEqual(taintS + 300);
    expect(replacedS).toBeLessThanOrEqual(taintS + 360);
  });

  it('brings node-c back Ready and untainted, with the replicas left on the other nodes', async () => {
    const { lines } = await run('42');
    const restartS = secondsAt(lines, 'The kubelet on node-c starts again');
    expect(secondsAt(lines, 'Node node-c Ready: Unknown → True')).toBeGreaterThanOrEqual(restartS);
    const untaintS = secondsAt(
      lines,
      'Node node-c untainted node.kubernetes.io/unreachable:NoExecute',
    );
    expect(untaintS - restartS).toBeLessThanOrEqual(60);
    expect(lines.filter((l) => /Pod \S+ deleted \(was on node-c\)/.test(l)).length).toBe(2);
    expect(lines).toContainEqual(
      expect.stringContaining('Summary: 6/6 pods Ready; per node: node-a 3, node-b 3, node-c 0'),
    );
    expect(lines).toContainEqual(expect.stringContaining('container restarts: 0'));
  });

  it('gives the same transcript and digest for the same seed, and a digest of its lines', async () => {
    const first = await run('42');
    const second = await runClusterDemo({ seed: '42', drain });
    expect(second.lines).toEqual(first.lines);
    expect(second.digest).toBe(first.digest);
    const digest = createHash('sha256').update(first.lines.join('\n')).digest('hex');
    expect(first.digest).toBe(digest);
  });

  it('changes with the seed', async () => {
    const [a, b] = await Promise.all([run('42'), run('7')]);
    expect(b.digest).not.toBe(a.digest);
  });

  it('fails with a clear error when the session does not finish within its virtual-time bound', async () => {
    await expect(runClusterDemo({ seed: '42', drain, durationMsMax: 100_000 })).rejects.toThrow(
      'The cluster demo did not finish within 100 s (virtual)',
    );
  });
});
