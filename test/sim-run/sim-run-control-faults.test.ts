// `miniku sim run` end to end with the control-plane and node fault verbs: the scenario passes,
// and two runs with one seed give identical bytes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimRunCommand } from '../../src/cli/sim-command.js';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const scenario = [
  'apiVersion: miniku.dev/v1alpha1',
  'kind: Scenario',
  'metadata: { name: control-faults }',
  'spec:',
  '  seed: 3',
  "  startTime: '2026-01-01T00:00:00Z'",
  '  duration: 6m',
  '  nodePools:',
  '    - { name: worker, count: 2, capacity: { cpu: 4, memory: 8Gi, pods: 110 } }',
  '  workloads:',
  '    - at: 0s',
  '      manifest:',
  '        apiVersion: apps/v1',
  '        kind: ReplicaSet',
  '        metadata: { name: web, namespace: default }',
  '        spec:',
  '          replicas: 3',
  '          selector: { matchLabels: { app: web } }',
  '          template:',
  '            metadata: { labels: { app: web } }',
  '            spec: { containers: [{ name: web, image: nginx }] }',
  '  faults:',
  '    - { at: 30s, restartComponent: { component: scheduler, downFor: 10s } }',
  '    - { at: 45s, restartComponent: { component: controller-manager, downFor: 10s } }',
  '    - { at: 1m, restartApiServer: { downFor: 10s } }',
  '    - { at: 90s, addNodes: { pool: worker, count: 1 } }',
  '    - { at: 2m, stopHeartbeats: { node: worker-0 } }',
  '    - { at: 3m30s, heal: {} }',
  '    - { at: 4m, removeNodes: { nodes: [worker-1] } }',
  '  expectations:',
  '    - name: web is ready before the faults',
  '      by: 30s',
  '      pods: { namespace: default, selector: app=web, ready: true, count: 3 }',
  '    - name: worker-0 goes Unknown while its heartbeats are lost',
  '      by: 3m20s',
  '      nodes: { names: [worker-0], condition: { type: Ready, status: Unknown } }',
  '    - name: worker-0 is Ready again after the heal',
  '      eventually: true',
  "      nodes: { names: [worker-0], condition: { type: Ready, status: 'True' }, count: 1 }",
  '    - name: the added node registered and is Ready',
  '      eventually: true',
  "      nodes: { names: [worker-2], condition: { type: Ready, status: 'True' }, count: 1 }",
  '    - name: web runs its 3 replicas off the removed node',
  '      eventually: true',
  '      pods:',
  '        namespace: default',
  '        selector: app=web',
  '        phase: Running',
  '        ready: true',
  '        notOnNode: worker-1',
  '        count: 3',
  '',
].join('\n');

async function run(file: string): Promise<{ stdout: string; trace: string }> {
  const out = await mkdtemp(join(tmpdir(), 'miniku-faults-'));
  temp.push(out);
  const lines: string[] = [];
  await runSimRunCommand([file], {
    out,
    trace: 'summary',
    format: 'text',
    write: (t) => lines.push(t),
  });
  return { stdout: lines.join(''), trace: await readFile(join(out, 'trace.jsonl'), 'utf8') };
}

describe('miniku sim run with control-plane and node faults', () => {
  it('passes a scenario using every one of them, twice with identical traces', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miniku-scenario-'));
    temp.push(dir);
    const file = join(dir, 'control-faults.yaml');
    await writeFile(file, scenario);
    const first = await run(file);
    expect(first.stdout, first.stdout).toMatch(/^PASS /);
    expect(first.stdout).toContain('fault restartApiServer at 60s');
    expect(first.stdout).toContain('fault removeNodes worker-1 at 240s');
    const second = await run(file);
    expect(second.trace).toBe(first.trace);
  }, 60_000);
});
