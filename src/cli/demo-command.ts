// `miniku demo`: runs the core demo (or, with --cluster, the simulated-cluster demo) twice with
// one seed and shows that the transcripts match.
import { runClusterDemo } from '../sim/cluster-demo.js';
import { runDemo } from '../sim/demo.js';
import { MinikuError } from './errors.js';

const hostSetImmediate = setImmediate;

/** The engine's macrotask boundary, captured before any determinism guard is installed. */
export function hostDrain(): Promise<void> {
  return new Promise((resolve) => hostSetImmediate(resolve));
}

export interface DemoCommandOptions {
  seed: string;
  /** Run the simulated-cluster demo instead of the core one. */
  cluster?: boolean;
  /** Where the output goes. Default: stdout. */
  write?: (text: string) => void;
}

type DemoRun = (options: {
  seed: string;
  drain: () => Promise<void>;
}) => Promise<{ lines: string[]; digest: string }>;

/** The cluster demo's failures (a milestone not reached in time) as a user-facing error. */
const clusterDemoRun: DemoRun = (options) =>
  runClusterDemo(options).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new MinikuError('E_DEMO_FAILED', message, 1);
  });

export async function runDemoCommand(options: DemoCommandOptions): Promise<void> {
  if (options.seed === '' || options.seed.length > 100) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --seed: "${options.seed}": use 1-100 characters`,
    );
  }
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const run: DemoRun = options.cluster === true ? clusterDemoRun : runDemo;
  const first = await run({ seed: options.seed, drain: hostDrain });
  for (const line of first.lines) write(`${line}\n`);
  const second = await run({ seed: options.seed, drain: hostDrain });
  write(`\nseed ${options.seed}: transcript sha256 ${first.digest}\n`);
  const same = second.digest === first.digest;
  write(
    `second run with the same seed: sha256 ${second.digest} (${same ? 'identical' : 'DIFFERENT'})\n`,
  );
  if (!same) throw new MinikuError('E_NONDETERMINISM', 'Two runs with the same seed differed', 1);
}
