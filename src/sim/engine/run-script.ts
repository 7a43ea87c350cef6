// Running an async script as one engine event: the way tests, demos and the scenario runner
// drive a world — schedule the script now, run the engine for a while, return its result.
import type { Engine } from './engine.js';

export interface RunScriptOptions {
  /** The engine endpoint the script's event belongs to. */
  endpoint: string;
  /** How long (virtual ms from now) the engine runs. */
  forMs: number;
  /** Named in the error when the script has not finished by then. Default `the script`. */
  what?: string;
}

/**
 * Runs `script` as an engine event at the current instant, then the engine for `forMs`.
 * Resolves with the script's value; rejects with its error, or when it did not finish in time.
 */
export async function runScript<T>(
  engine: Engine,
  options: RunScriptOptions,
  script: () => Promise<T>,
): Promise<T> {
  const box: { result?: { value: T }; error?: unknown } = {};
  engine.schedule({
    atMs: engine.nowMs(),
    phase: 'timer',
    endpoint: options.endpoint,
    run: async () => {
      try {
        box.result = { value: await script() };
      } catch (error) {
        box.error = error;
      }
    },
  });
  await engine.runUntil(engine.nowMs() + options.forMs);
  if (box.error !== undefined) throw box.error;
  if (box.result === undefined) {
    throw new Error(`${options.what ?? 'the script'} did not finish within ${options.forMs} ms`);
  }
  return box.result.value;
}
