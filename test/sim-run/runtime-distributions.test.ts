// A scenario's runtime distributions are drawn per pull and per start, not once per run: pods
// of one ReplicaSet on one node start after different delays, the same for the same seed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostDrain } from '../../src/cli/demo-command.js';
import { runScenario } from '../../src/sim/run/run-scenario.js';
import { parseScenario } from '../../src/sim/scenario/index.js';

const file = 'test/sim-run/fixtures/random-latencies.yaml';

async function startupLatencies(seed: number): Promise<readonly number[]> {
  const parsed = parseScenario(readFileSync(file, 'utf8'), {
    fileName: file,
    loadFile: (path) => readFileSync(path, 'utf8'),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const result = await runScenario({
    scenario: parsed.scenario,
    scenarioHash: '',
    seed,
    traceLevel: 'none',
    drain: hostDrain,
  });
  return result.report.series.podStartupLatencyMs;
}

describe('runtime distributions', () => {
  it('give each container start its own draw, reproducibly', async () => {
    const first = await startupLatencies(1);
    expect(first.length).toBeGreaterThanOrEqual(4);
    // With a normal(1 s, 300 ms) start per container, equal latencies for all would be a
    // single draw reused.
    expect(new Set(first).size).toBeGreaterThan(first.length / 2);
    expect(await startupLatencies(1)).toEqual(first);
  }, 30_000);
});
