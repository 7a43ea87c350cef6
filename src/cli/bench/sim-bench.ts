// Benchmarks of the simulator as a whole: time compression of idle clusters (virtual seconds
// per wall second) and spawn-to-exit of `miniku sim run` on a scale scenario.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../sim/run/run-scenario.js';
import { parseScenario } from '../../sim/scenario/index.js';
import { hostDrain } from '../demo-command.js';

/** An idle cluster of `nodes` nodes (one pool over 3 zones) with default heartbeats. */
function idleScenarioText(nodes: number, duration: string): string {
  return [
    'apiVersion: miniku.dev/v1alpha1',
    'kind: Scenario',
    'metadata: { name: idle }',
    'spec:',
    '  seed: 1',
    "  startTime: '2026-01-01T00:00:00Z'",
    `  duration: ${duration}`,
    '  nodePools:',
    `    - { name: node, count: ${nodes}, capacity: { cpu: 8, memory: 32Gi, pods: 110 }, zones: [a, b, c] }`,
    '',
  ].join('\n');
}

/** Virtual seconds per wall second of an idle cluster, at trace level none (setup excluded). */
async function compression(nodes: number, duration: string): Promise<number> {
  const parsed = parseScenario(idleScenarioText(nodes, duration), { fileName: 'idle.yaml' });
  if (!parsed.ok) throw new Error(`bench: bad idle scenario: ${JSON.stringify(parsed.errors)}`);
  const startedMs = performance.now();
  const result = await runScenario({
    scenario: parsed.scenario,
    scenarioHash: '',
    traceLevel: 'none',
    drain: hostDrain,
  });
  const wallS = (performance.now() - startedMs) / 1000;
  const virtualS = (result.report.virtualEndMs - result.report.virtualStartMs) / 1000;
  return virtualS / wallS;
}

/** 100 idle nodes over one virtual hour. */
export function compression100Nodes(): Promise<number> {
  return compression(100, '1h');
}

/** 1,000 idle nodes over ten virtual minutes (an hour takes too long per run today). */
export function compression1kNodes10Min(): Promise<number> {
  return compression(1_000, '10m');
}

const e2eScenario = 'scenarios/scale/100-nodes-3k-pods.yaml';

/** Wall seconds from spawning `miniku sim run` on the 3,000-pod scale scenario to its exit. */
export function e2e3kPodsWallSeconds(): Promise<number> {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const startedMs = performance.now();
  const run = spawnSync(
    process.execPath,
    [main, 'sim', 'run', e2eScenario, '--out', 'out/bench-e2e', '--quiet'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status !== 0) throw new Error(`bench: sim run exited ${run.status}: ${run.stdout}`);
  return Promise.resolve((performance.now() - startedMs) / 1000);
}

/** Max RSS of this process while `miniku sim run` runs the 3,000-pod scale scenario in it. */
export async function e2e3kPodsMaxRssBytes(): Promise<number> {
  const { runSimRunCommand } = await import('../sim-command.js');
  await runSimRunCommand([e2eScenario], {
    out: 'out/bench-e2e',
    trace: 'summary',
    format: 'text',
    quiet: true,
    write: () => undefined,
  });
  return process.resourceUsage().maxRSS * 1024;
}
