// `miniku demo`: runs the core demo twice with one seed and shows that the transcripts match.
import { runDemo } from '../sim/demo.js';
import { MinikuError } from './errors.js';

const hostSetImmediate = setImmediate;

/** The engine's macrotask boundary, captured before any determinism guard is installed. */
export function hostDrain(): Promise<void> {
  return new Promise((resolve) => hostSetImmediate(resolve));
}

export async function runDemoCommand(options: { seed: string }): Promise<void> {
  if (options.seed === '' || options.seed.length > 100) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --seed: "${options.seed}": use 1-100 characters`,
    );
  }
  const first = await runDemo({ seed: options.seed, drain: hostDrain });
  for (const line of first.lines) process.stdout.write(`${line}\n`);
  const second = await runDemo({ seed: options.seed, drain: hostDrain });
  process.stdout.write(`\nseed ${options.seed}: transcript sha256 ${first.digest}\n`);
  const same = second.digest === first.digest;
  process.stdout.write(
    `second run with the same seed: sha256 ${second.digest} (${same ? 'identical' : 'DIFFERENT'})\n`,
  );
  if (!same) throw new MinikuError('E_NONDETERMINISM', 'Two runs with the same seed differed', 1);
}
