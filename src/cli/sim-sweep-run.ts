// One seed of a sweep: runs the loaded scenario with that seed (no trace) and keeps only what
// the summary needs. Runs inside a sweep worker thread.
import { createHash } from 'node:crypto';
import { runScenario } from '../sim/run/run-scenario.js';
import { runMetrics } from '../sim/sweep/index.js';
import type { SweepRun } from '../sim/sweep/index.js';
import { hostDrain } from './demo-command.js';
import type { LoadedScenario } from './sim-command.js';

/** Lower-case hex SHA-256 of the scenario's bytes, as `sim run` puts it in report.json. */
export function scenarioHashOf(loaded: LoadedScenario): string {
  return createHash('sha256').update(loaded.text).digest('hex');
}

/**
 * Runs one seed. A run that throws is a result too (`error` set, exit code 3, or 4 when a limit
 * was hit, as `sim run` classifies it), so one bad seed does not hide the others.
 */
export async function runSweepSeed(loaded: LoadedScenario, seed: number): Promise<SweepRun> {
  try {
    const result = await runScenario({
      scenario: loaded.scenario,
      scenarioHash: scenarioHashOf(loaded),
      seed,
      traceLevel: 'none',
      drain: hostDrain,
    });
    return {
      seed,
      passed: result.passed,
      held: result.report.expectations.map((e) => e.held),
      metrics: runMetrics(result.report),
      error: null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const limit = /most|limit|exceeded|bounded/i.test(message);
    const failure = limit
      ? { code: 'E_LIMIT', exitCode: 4, message }
      : { code: 'E_INTERNAL', exitCode: 3, message };
    return { seed, passed: false, held: [], metrics: {}, error: failure };
  }
}
