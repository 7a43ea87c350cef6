// When scenario expectations are checked: after every store commit, not only at whole seconds,
// so a violation shorter than a second is caught and `by` reports the first instant it held.
import { describe, expect, it } from 'vitest';
import { hostDrain } from '../../src/cli/demo-command.js';
import { runScenario } from '../../src/sim/run/run-scenario.js';
import { parseScenario } from '../../src/sim/scenario/index.js';

/** Two workers, a 2-replica Deployment whose pods stop within 1 s, worker-0 drained at 20.5 s. */
function scenarioText(expectations: string[]): string {
  return [
    'apiVersion: miniku.dev/v1alpha1',
    'kind: Scenario',
    'metadata: { name: timing }',
    'spec:',
    '  seed: 3',
    "  startTime: '2026-01-01T00:00:00Z'",
    '  duration: 40s',
    '  nodePools:',
    '    - { name: worker, count: 2, capacity: { cpu: 4, memory: 8Gi, pods: 110 } }',
    '  workloads:',
    '    - at: 0s',
    '      manifest:',
    '        apiVersion: apps/v1',
    '        kind: Deployment',
    '        metadata: { name: web, namespace: default }',
    '        spec:',
    '          replicas: 2',
    '          selector: { matchLabels: { app: web } }',
    '          template:',
    '            metadata: { labels: { app: web } }',
    '            spec:',
    '              terminationGracePeriodSeconds: 1',
    '              containers: [{ name: app, image: nginx }]',
    '  faults:',
    '    - { at: 20500ms, drainNode: { node: worker-0 } }',
    '  expectations:',
    ...expectations,
    '',
  ].join('\n');
}

async function run(expectations: string[]) {
  const parsed = parseScenario(scenarioText(expectations), { fileName: 'timing.yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const result = await runScenario({
    scenario: parsed.scenario,
    scenarioHash: '',
    traceLevel: 'none',
    drain: hostDrain,
  });
  return result.report.expectations;
}

describe('expectation timing', () => {
  it('catches a pod terminating between two whole seconds, at its instant', async () => {
    const [never, ready] = await run([
      '    - name: no pod is ever terminating',
      '      always: true',
      '      pods: { selector: app=web, terminating: true, countMax: 0 }',
      '    - name: two pods ready',
      '      by: 30s',
      '      pods: { selector: app=web, ready: true, count: 2 }',
    ]);
    expect(never?.held).toBe(false);
    const instant = never?.instantMs ?? 0;
    expect(instant).toBeGreaterThanOrEqual(20_500);
    expect(instant).toBeLessThan(21_000);
    expect(ready?.held).toBe(true);
    // The first instant both pods were ready: a commit's instant, not a tick's.
    expect((ready?.instantMs ?? 0) % 1_000).not.toBe(0);
  }, 30_000);

  it('decides `at` by every check at its instant and `eventually` at the end', async () => {
    const [before, atEnd] = await run([
      '    - name: worker-0 runs a web pod before the drain',
      '      at: 20s',
      '      pods: { selector: app=web, onNode: worker-0, countMin: 1 }',
      '    - name: no web pod on worker-0 at the end',
      '      eventually: true',
      '      pods: { selector: app=web, onNode: worker-0, count: 0 }',
    ]);
    expect(before).toMatchObject({ held: true, instantMs: 20_000 });
    expect(atEnd).toMatchObject({ held: true, instantMs: 40_000 });
  }, 30_000);

  it('checks counters of the run with metric subjects', async () => {
    const [replaced, noFailures, tooMany] = await run([
      '    - name: the drained pod was scheduled again',
      '      eventually: true',
      '      metric: { name: scheduler.scheduled, min: 3 }',
      '    - name: no binding failed',
      '      always: true',
      '      metric: { name: scheduler.bindFailures, max: 0 }',
      '    - name: never more than two pods scheduled',
      '      always: true',
      '      metric: { name: scheduler.scheduled, max: 2 }',
    ]);
    expect(replaced).toMatchObject({
      held: true,
      message: 'scheduler.scheduled is 3; expected at least 3',
    });
    expect(noFailures?.held).toBe(true);
    expect(tooMany?.held).toBe(false);
    expect(tooMany?.instantMs ?? 0).toBeGreaterThanOrEqual(20_500);
  }, 30_000);
});
