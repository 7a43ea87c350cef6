// `miniku schedule` run in-process: placements, messages, output shapes, stdin, Lists, errors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runScheduleCommand } from '../../src/cli/schedule-command.js';
import type { ScheduleCommandOptions } from '../../src/cli/schedule-command.js';
import type { WhatIfResult } from '../../src/sim/what-if.js';

const dir = 'test/cli/fixtures';
const cluster = `${dir}/cluster.yaml`;
const pending = `${dir}/pending.yaml`;

async function schedule(files: string[], options: ScheduleCommandOptions = {}): Promise<string> {
  let out = '';
  await runScheduleCommand(files, { ...options, write: (text) => void (out += text) });
  return out;
}

async function scheduleJson(files: string[], options: ScheduleCommandOptions = {}) {
  return JSON.parse(await schedule(files, { ...options, output: 'json' })) as WhatIfResult;
}

async function failure(files: string[], options: ScheduleCommandOptions = {}) {
  const error = await schedule(files, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MinikuError);
  return error as MinikuError;
}

const hugeMessage =
  '0/3 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 2 Insufficient cpu. ' +
  'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
  '2 No preemption victims found for incoming pod.';

describe('miniku schedule', () => {
  it('places the fixture pods and prints one row per pod, then the unschedulable message', async () => {
    const out = await schedule([cluster, pending]);
    expect(out).toBe(
      [
        'POD           NODE     SCORE   TOP-3',
        'batch/huge    <none>   -       -',
        'batch/train   gpu      -       gpu (only feasible node)',
        'default/db    medium   -       medium (only feasible node)',
        'default/web   medium   436     medium=436,small=424',
        '',
        `batch/huge: ${hugeMessage}`,
        '',
      ].join('\n'),
    );
  });

  it('explains each decision in the JSON output', async () => {
    const result = await scheduleJson([cluster, pending]);
    expect(Object.keys(result).sort()).toEqual([
      'nodeCount',
      'pods',
      'seed',
      'settled',
      'skipped',
      'virtualMs',
    ]);
    expect(result.nodeCount).toBe(3);
    const byName = new Map(result.pods.map((p) => [p.name, p]));
    expect(byName.get('huge')).toMatchObject({ node: null, message: hugeMessage, top: [] });
    expect(byName.get('huge')?.filtered.map((f) => [f.node, f.plugin])).toEqual([
      ['gpu', 'TaintToleration'],
      ['medium', 'NodeResourcesFit'],
      ['small', 'NodeResourcesFit'],
    ]);
    expect(byName.get('db')).toMatchObject({
      node: 'medium',
      message: null,
      feasibleNodeCount: 1,
      reasons: [
        "1 node(s) didn't match Pod's node affinity/selector",
        '1 node(s) had untolerated taint {gpu: true}',
      ],
    });
    const web = byName.get('web')!;
    expect(web.sampledNodeCount).toBe(3);
    expect(web.top.map((n) => n.node)).toEqual(['medium', 'small']);
    const first = web.top[0]!;
    expect(first.plugins.map((p) => p.plugin)).toContain('NodeResourcesFit');
    for (const score of first.plugins) {
      expect(score.normalized).toBeGreaterThanOrEqual(0);
      expect(score.normalized).toBeLessThanOrEqual(100);
    }
    expect(first.plugins.reduce((sum, p) => sum + p.weighted, 0)).toBe(first.total);
  });

  it('gives the same output for the same seed twice', async () => {
    const a = await schedule([cluster, pending], { output: 'json', seed: '7' });
    const b = await schedule([cluster, pending], { output: 'json', seed: '7' });
    expect(a).toBe(b);
    expect(JSON.parse(a).seed).toBe('7');
  });

  it('prints the whole result as YAML', async () => {
    const out = await schedule([cluster, pending], { output: 'yaml' });
    expect(out).toContain('nodeCount: 3\n');
    expect(out).toContain('  - namespace: batch\n    name: huge\n    node: null\n');
  });

  it('reads manifests from stdin when given "-" or no files', async () => {
    const text = readFileSync(cluster, 'utf8') + '---\n' + readFileSync(pending, 'utf8');
    const readStdin = async () => text;
    const fromDash = await schedule(['-'], { readStdin });
    const fromNothing = await schedule([], { readStdin });
    expect(fromDash).toBe(await schedule([cluster, pending]));
    expect(fromNothing).toBe(fromDash);
  });

  it('reads a kubectl List dump, dropping server fields and finished pods', async () => {
    const result = await scheduleJson([`${dir}/cluster-list.yaml`, pending]);
    expect(result.skipped).toEqual(['Pod default/finished']);
    expect(result.pods.map((p) => [p.name, p.node])).toEqual([
      ['huge', null],
      ['train', 'gpu'],
      ['db', 'medium'],
      ['web', 'medium'],
    ]);
  });

  it('follows a scheduler configuration file (MostAllocated prefers the fuller node)', async () => {
    const fitScores = (result: WhatIfResult) => {
      const web = result.pods.find((p) => p.name === 'web')!;
      return Object.fromEntries(
        web.top.map((n) => [
          n.node,
          n.plugins.find((p) => p.plugin === 'NodeResourcesFit')?.raw ?? -1,
        ]),
      );
    };
    const least = fitScores(await scheduleJson([cluster, pending]));
    const most = fitScores(
      await scheduleJson([cluster, pending], { config: `${dir}/most-allocated.yaml` }),
    );
    expect(least.small).toBeGreaterThan(least.medium ?? 0);
    expect(most.medium).toBeGreaterThan(most.small ?? 0);
  });
});

describe('miniku schedule errors', () => {
  it('names the file, document and field of an unknown kind', async () => {
    const error = await failure([`${dir}/bad-kind.yaml`]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `Cannot read "${dir}/bad-kind.yaml": document 2: line 6: kind: unknown kind "Foo"`,
    );
  });

  it('names the line of a YAML syntax error', async () => {
    const error = await failure([`${dir}/bad-syntax.yaml`]);
    expect(error.message).toMatch(
      /^Cannot read ".*bad-syntax.yaml": document 1: line \d+: invalid YAML: /,
    );
  });

  it('names the field of a List item without a name', async () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {}\n';
    const error = await failure(['-'], { readStdin: async () => text });
    expect(error.message).toBe(
      'Cannot read "<stdin>": document 1: line 6: items[0].metadata.name: required value',
    );
  });

  it('names a missing file', async () => {
    const error = await failure([`${dir}/nope.yaml`]);
    expect(error.message).toBe(`Cannot read "${dir}/nope.yaml": no such file`);
  });

  it('rejects a configuration that fails validation with the field path', async () => {
    const error = await failure([cluster], { config: `${dir}/bad-config.yaml` });
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `Invalid scheduler configuration "${dir}/bad-config.yaml": ` +
        'profiles[0].plugins.score.enabled[0].name: Invalid value: "NoSuchPlugin": unknown plugin',
    );
  });

  it('rejects bad flag values', async () => {
    expect((await failure([cluster], { output: 'wide' })).message).toBe(
      'Invalid value for --output: "wide": use one of table, json, yaml',
    );
    expect((await failure([cluster], { percentageOfNodesToScore: '101' })).code).toBe('E_BAD_FLAG');
  });

  it('reports an object the API server refuses, naming it', async () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  priorityClassName: missing\n' +
      '  containers: [{name: c, image: x}]\n';
    const error = await failure(['-'], { readStdin: async () => text });
    expect(error.message).toMatch(/^Cannot create objects: Pod default\/p: .*missing/);
  });
});
