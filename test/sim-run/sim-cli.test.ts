// `miniku sim run` end to end: every library scenario passes and is byte-identical per seed.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MinikuError } from '../../src/cli/errors.js';
import { runSimRunCommand, runSimValidateCommand } from '../../src/cli/sim-command.js';

const reportFiles = ['report.json', 'trace.jsonl', 'report.md', 'report.html'];

/** Every scenario under scenarios/, except the scale ones and manifest folders. */
async function libraryScenarios(dir = 'scenarios'): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'scale' && entry.name !== 'manifests')
        out.push(...(await libraryScenarios(path)));
    } else if (entry.name.endsWith('.yaml')) out.push(path);
  }
  return out.sort();
}

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function runInto(file: string, extra: { seed?: string } = {}): Promise<Map<string, string>> {
  const out = await mkdtemp(join(tmpdir(), 'miniku-sim-'));
  temp.push(out);
  const lines: string[] = [];
  await runSimRunCommand([file], {
    out,
    trace: 'summary',
    format: 'text',
    write: (t) => lines.push(t),
    ...extra,
  });
  const files = new Map<string, string>();
  for (const name of reportFiles) files.set(name, await readFile(join(out, name), 'utf8'));
  files.set('stdout', lines.join('').replace(out, '<out>'));
  return files;
}

describe('miniku sim run', () => {
  // Byte-identical reproduction, in separate processes, is determinism.test.ts's job.
  it('runs every library scenario to a pass and writes its four report files', async () => {
    const scenarios = await libraryScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(2);
    for (const file of scenarios) {
      const run = await runInto(file);
      for (const name of reportFiles) expect(run.get(name), `${file}: ${name}`).not.toBe('');
      expect(run.get('stdout'), file).toMatch(/^PASS /);
    }
  }, 120_000);

  it('writes a self-contained report.html with its six charts', async () => {
    const files = await runInto('scenarios/examples/node-crash.yaml');
    const html = files.get('report.html') ?? '';
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
    expect(html.match(/<svg/g)?.length).toBe(6);
    expect(html).not.toContain('<script');
    const report = JSON.parse(files.get('report.json') ?? '{}');
    expect(report.faults[0]).toMatchObject({ label: 'crashNode worker-2', injectedAtMs: 120_000 });
  }, 60_000);

  it('gives another run for another seed', async () => {
    const base = await runInto('scenarios/examples/replicaset-basics.yaml');
    const other = await runInto('scenarios/examples/replicaset-basics.yaml', { seed: '43' });
    expect(other.get('trace.jsonl')).not.toBe(base.get('trace.jsonl'));
  }, 60_000);

  it('refuses a bad scenario with file, line and field, exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miniku-bad-'));
    temp.push(dir);
    const file = join(dir, 'bad.yaml');
    const text = [
      'apiVersion: miniku.dev/v1alpha1',
      'kind: Scenario',
      'metadata: { name: bad }',
      'spec:',
      '  seed: 1',
      "  startTime: '2026-01-01T00:00:00Z'",
      '  duration: 1m',
      '  nodePools:',
      '    - { name: worker, count: 2, capacity: { cpu: 2, memory: 4Gi } }',
      '  faults:',
      '    - at: 10s',
      '      crashNode: { node: worker-9 }',
      '',
    ].join('\n');
    await writeFile(file, text);
    const error = await runSimValidateCommand([file], { write: () => undefined }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MinikuError);
    expect((error as MinikuError).exitCode).toBe(2);
    expect((error as MinikuError).message).toMatch(
      new RegExp(`^${file}:12: spec\\.faults\\[0\\]\\.crashNode\\.node: unknown node "worker-9"`),
    );
  });
});
