// `miniku sim explain` on real runs of zone-spread (a full trace, and a summary trace that it
// re-runs), its bad inputs, and the progress bar `sim run` draws on a terminal.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimRunCommand } from '../../src/cli/sim-command.js';
import type { SimExplainOptions } from '../../src/cli/sim-explain-command.js';
import { runSimExplainCommand } from '../../src/cli/sim-explain-command.js';
import type { Explanation } from '../../src/cli/sim-explain-render.js';
import { renderExplanationText } from '../../src/cli/sim-explain-render.js';
import type { ExplainAttempt } from '../../src/cli/sim-explain-trace.js';
import { attemptOf, filterNodeNamesMax } from '../../src/cli/sim-explain-trace.js';

const scenarioFile = 'scenarios/zone-spread.yaml';

interface SummaryDecision {
  pod: string;
  chosen: string | null;
  feasibleNodeCount: number;
  reasons: string[];
}

const runs = { summary: '', full: '', frames: [] as string[], ciFrames: [] as string[] };
const temp: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

beforeAll(async () => {
  runs.summary = await tempDir('miniku-explain-summary-');
  runs.full = await tempDir('miniku-explain-full-');
  const quiet = { format: 'text', write: () => undefined };
  const tty = (frames: string[]) => ({ isTTY: true, write: (t: string) => frames.push(t) });
  await runSimRunCommand([scenarioFile], {
    ...quiet,
    out: runs.summary,
    trace: 'summary',
    progressStream: tty(runs.frames),
    env: {},
  });
  await runSimRunCommand([scenarioFile], {
    ...quiet,
    out: runs.full,
    trace: 'full',
    progressStream: tty(runs.ciFrames),
    env: { CI: 'true' },
  });
}, 60_000);

afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function summaryDecisions(dir: string): Promise<SummaryDecision[]> {
  const text = await readFile(join(dir, 'trace.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.includes('"scheduler.decision"') && line.includes('"summary"'))
    .map((line) => (JSON.parse(line) as { fields: SummaryDecision }).fields);
}

/** A pod the filters narrowed and the scorers then chose among. */
async function narrowedPod(): Promise<SummaryDecision> {
  const decisions = await summaryDecisions(runs.summary);
  const pod = decisions.find((d) => d.reasons.length > 0 && d.feasibleNodeCount > 1);
  expect(pod).toBeDefined();
  return pod as SummaryDecision;
}

async function explain(dir: string, options: SimExplainOptions): Promise<string> {
  const out: string[] = [];
  await runSimExplainCommand(dir, { ...options, write: (t) => out.push(t) });
  return out.join('');
}

async function explainJson(dir: string, options: SimExplainOptions): Promise<Explanation> {
  return JSON.parse(await explain(dir, { ...options, format: 'json' })) as Explanation;
}

async function failure(run: Promise<unknown>): Promise<MinikuError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MinikuError);
  return error as MinikuError;
}

describe('miniku sim explain', () => {
  it('reads the whole decision table from a full trace', async () => {
    const target = await narrowedPod();
    const result = await explainJson(runs.full, { pod: target.pod });
    expect(result.source).toEqual({ kind: 'trace', traceFile: join(runs.full, 'trace.jsonl') });
    expect(result.scenario.name).toBe('zone-spread');
    expect(result.seed).toBe(9);
    expect(result.attempts).toHaveLength(1);
    const attempt = result.attempts[0] as ExplainAttempt;
    expect(attempt.chosen).toBe(target.chosen);
    expect(attempt.feasibleNodeCount).toBe(target.feasibleNodeCount);
    const rejected = attempt.filtered.reduce((n, g) => n + g.nodeCount, 0);
    expect(rejected).toBe(attempt.nodeCount - attempt.feasibleNodeCount);
    expect(attempt.filtered.map((g) => g.plugin)).toEqual(['PodTopologySpread']);
    expect(attempt.filtered[0]?.reason).toBe(
      "node(s) didn't match pod topology spread constraints",
    );
    expect(attempt.scoredNodeCount).toBe(attempt.feasibleNodeCount);
    expect(attempt.top.map((n) => n.node)).toContain(target.chosen);
    for (const node of attempt.top) {
      const byName = new Map(node.plugins.map((p) => [p.plugin, p]));
      expect(byName.get('NodeResourcesFit')?.raw).toBeGreaterThan(0);
      const taints = byName.get('TaintToleration');
      expect(taints?.weighted).toBe(3 * (taints?.normalized ?? -1));
      expect(node.total).toBe(node.plugins.reduce((sum, p) => sum + p.weighted, 0));
    }
  });

  it('re-runs a summary trace with full records and agrees with the full trace', async () => {
    const target = await narrowedPod();
    const [namespace, name] = target.pod.split('/') as [string, string];
    // No --scenario: the file is found under scenarios/ by the hash report.json keeps.
    const rerun = await explainJson(runs.summary, { pod: name, namespace });
    const fromTrace = await explainJson(runs.full, { pod: target.pod });
    expect(rerun.source).toEqual({ kind: 'rerun', scenarioFile, traceLevel: 'summary' });
    expect(rerun.attempts).toEqual(fromTrace.attempts);
    expect(rerun.attempts[0]?.chosen).toBe(target.chosen);
  }, 30_000);

  it('prints every attempt with its time, filters, scores and chosen node as text', async () => {
    const target = await narrowedPod();
    const text = await explain(runs.full, { pod: target.pod });
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      `Pod ${target.pod} in scenario zone-spread (seed 9): 1 scheduling attempt`,
    );
    expect(text).toContain(
      `Attempt 1 at 0s (2026-01-01T00:00:00.000Z): scheduled on ${target.chosen}`,
    );
    expect(text).toMatch(
      / {4}1 node\(s\) by PodTopologySpread \[Unschedulable\]: node\(s\) didn't/,
    );
    expect(text).toMatch(/scores: 3 of \d scored nodes, best first/);
    expect(lines.filter((l) => l.endsWith('← chosen'))).toHaveLength(1);
    expect(text).toMatch(/ {6}NodeResourcesFit +raw +\d+ +normalized +\d+ +weighted +\d+/);
  });

  it('says when a single feasible node left nothing to score', async () => {
    const decisions = await summaryDecisions(runs.summary);
    const lone = decisions.find((d) => d.feasibleNodeCount === 1);
    expect(lone).toBeDefined();
    const text = await explain(runs.full, { pod: lone?.pod ?? '' });
    expect(text).toContain(`scores: none (${lone?.chosen} was the only feasible node)`);
    expect(text).toMatch(/ 5 node\(s\) by PodTopologySpread \[Unschedulable\]: /);
  });

  it('refuses a re-run whose decisions differ from the stored summary trace, exit code 3', async () => {
    const target = await narrowedPod();
    const dir = await tempDir('miniku-explain-tampered-');
    const trace = await readFile(join(runs.summary, 'trace.jsonl'), 'utf8');
    const tampered = trace
      .split('\n')
      .map((l) =>
        l.includes(`"pod":"${target.pod}"`) ? l.replace('"chosen":"', '"chosen":"x') : l,
      )
      .join('\n');
    expect(tampered).not.toBe(trace);
    await writeFile(join(dir, 'trace.jsonl'), tampered);
    await writeFile(join(dir, 'report.json'), await readFile(join(runs.summary, 'report.json')));
    const error = await failure(explain(dir, { pod: target.pod, scenario: scenarioFile }));
    expect(error.code).toBe('E_DIVERGED');
    expect(error.exitCode).toBe(3);
  }, 30_000);
});

describe('miniku sim explain with bad input', () => {
  async function expectBadInput(run: Promise<unknown>, code: string, text: RegExp): Promise<void> {
    const error = await failure(run);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(text);
  }

  it('refuses a directory that does not exist', async () => {
    const missing = join(tmpdir(), 'miniku-explain-no-such-dir');
    await expectBadInput(explain(missing, { pod: 'a' }), 'E_NO_REPORT', /no such directory/);
  });

  it('refuses a directory without report.json', async () => {
    const dir = await tempDir('miniku-explain-empty-');
    await expectBadInput(explain(dir, { pod: 'a' }), 'E_NO_REPORT', /no report\.json/);
  });

  it('refuses a report.json that is not a report', async () => {
    const dir = await tempDir('miniku-explain-badreport-');
    await writeFile(join(dir, 'report.json'), '{"scenario":{"name":"x"}}');
    await expectBadInput(explain(dir, { pod: 'a' }), 'E_BAD_REPORT', /scenario\.hash/);
  });

  it('names pods that have decisions when the pod has none, without re-running', async () => {
    const decisions = await summaryDecisions(runs.summary);
    for (const dir of [runs.summary, runs.full]) {
      await expectBadInput(
        explain(dir, { pod: 'no-such-pod' }),
        'E_NO_DECISION',
        new RegExp(`"default/no-such-pod" has no scheduling decision.*${decisions[0]?.pod}`),
      );
    }
  });

  it('refuses a scenario file that is not the one the run read', async () => {
    const target = await narrowedPod();
    await expectBadInput(
      explain(runs.summary, { pod: target.pod, scenario: 'scenarios/drain-node.yaml' }),
      'E_SCENARIO_MISMATCH',
      /is not the one the report was made from: sha256 [0-9a-f]{12}/,
    );
  });

  it('asks for --scenario when no file has the hash of the run', async () => {
    const target = await narrowedPod();
    const empty = await tempDir('miniku-explain-search-');
    await mkdir(join(empty, 'nested'));
    await writeFile(join(empty, 'nested', 'other.yaml'), 'kind: Scenario\n');
    await expectBadInput(
      explain(runs.summary, { pod: target.pod, scenarioSearchDir: empty }),
      'E_NO_SCENARIO',
      /pass --scenario FILE/,
    );
  });

  it('refuses a missing pod flag, a bad pod name and a bad format', async () => {
    await expectBadInput(explain(runs.full, {}), 'E_BAD_FLAG', /Missing --pod/);
    await expectBadInput(explain(runs.full, { pod: 'a/b/c' }), 'E_BAD_FLAG', /--pod: "a\/b\/c"/);
    const format = explain(runs.full, { pod: 'a', format: 'yaml' });
    await expectBadInput(format, 'E_BAD_FLAG', /--format: "yaml"/);
  });
});

describe('explain attempts', () => {
  const node = (name: string, total: number) => ({
    node: name,
    total,
    plugins: { NodeResourcesFit: { raw: total, normalized: total, weighted: total } },
  });

  it('groups rejected nodes by plugin and reason, most first, naming a bounded few', () => {
    const many = Array.from({ length: filterNodeNamesMax + 3 }, (_, k) => ({
      node: `n-${String(k).padStart(2, '0')}`,
      plugin: 'NodeResourcesFit',
      code: 'Unschedulable',
      reasons: ['Insufficient cpu', 'Insufficient memory'],
    }));
    const tainted = { node: 't-0', plugin: 'TaintToleration', code: 'x', reasons: ['taint'] };
    const attempt = attemptOf(
      {
        atMs: 5,
        profile: 'p',
        nodeCount: many.length + 1,
        sampledNodeCount: many.length + 1,
        feasibleNodeCount: 0,
        chosen: null,
        message: '0/12 nodes are available: ...',
        filtered: [tainted, ...many],
        scored: [],
      },
      'test',
    );
    expect(attempt.filtered.map((g) => [g.plugin, g.reason, g.nodeCount])).toEqual([
      ['NodeResourcesFit', 'Insufficient cpu', many.length],
      ['NodeResourcesFit', 'Insufficient memory', many.length],
      ['TaintToleration', 'taint', 1],
    ]);
    expect(attempt.filtered[0]?.nodes).toHaveLength(filterNodeNamesMax);
    expect(attempt.filtered[0]?.nodes[0]).toBe('n-00');
    expect(attempt.message).toBe('0/12 nodes are available: ...');
  });

  it('lists the best three nodes and adds the chosen one when it tied beyond them', () => {
    const scored = [node('a', 5), node('b', 9), node('c', 9), node('d', 9), node('e', 9)];
    const attempt = attemptOf(
      {
        atMs: 0,
        profile: 'p',
        nodeCount: 5,
        sampledNodeCount: 5,
        feasibleNodeCount: 5,
        chosen: 'e',
        filtered: [],
        scored,
      },
      'test',
    );
    expect(attempt.top.map((n) => n.node)).toEqual(['b', 'c', 'd', 'e']);
    expect(attempt.bestTotalNodeCount).toBe(4);
    const text = renderExplanationText({
      pod: 'default/p',
      scenario: { name: 's', hash: '0'.repeat(64) },
      seed: 1,
      virtualStartMs: 0,
      source: { kind: 'trace', traceFile: 't' },
      attempts: [attempt],
    });
    expect(text).toContain('    e  total 9  ← chosen\n');
    expect(text).toContain("4 nodes tie at the best total 9: the scheduler's seeded RNG picked e");
  });

  it('refuses a decision record with a malformed field', () => {
    const bad = { atMs: 'soon', profile: 'p', filtered: [], scored: [], chosen: null };
    expect(() => attemptOf(bad, 'trace.jsonl')).toThrow(/field "atMs" is malformed/);
  });

  it('shows the first and the last attempts of a long history as text', () => {
    const attempt = attemptOf(
      {
        atMs: 1_000,
        profile: 'p',
        nodeCount: 1,
        sampledNodeCount: 1,
        feasibleNodeCount: 0,
        chosen: null,
        message: 'no',
        filtered: [],
        scored: [],
      },
      'test',
    );
    const text = renderExplanationText({
      pod: 'default/p',
      scenario: { name: 's', hash: '0'.repeat(64) },
      seed: 1,
      virtualStartMs: 0,
      source: { kind: 'trace', traceFile: 't' },
      attempts: Array.from({ length: 60 }, () => attempt),
    });
    expect(text).toContain('Attempt 10 at 1s');
    expect(text).not.toContain('Attempt 11 ');
    expect(text).toContain('… 10 attempts not shown');
    expect(text).toContain('Attempt 21 at 1s');
    expect(text).toContain('Attempt 60 at 1s');
  });
});

describe('miniku sim run progress', () => {
  it('draws a bar with the scenario name and virtual time on a terminal, then erases it', () => {
    expect(runs.frames.length).toBeGreaterThan(0);
    expect(runs.frames[0]).toBe('\r[          ] zone-spread 0s/120s\x1b[K');
    for (const frame of runs.frames.slice(0, -1)) {
      expect(frame).toMatch(/^\r\[[# ]{10}\] zone-spread \d+s\/120s\x1b\[K$/);
    }
    expect(runs.frames.at(-1)).toBe('\r\x1b[K');
  });

  it('draws nothing when CI is set', () => {
    expect(runs.ciFrames).toEqual([]);
  });
});
