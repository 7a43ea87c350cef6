// Runs the seeds of a sweep on worker threads (node:worker_threads): each worker loads the
// scenario once and takes the next seed when it finishes one. Which worker runs which seed
// depends on timing, so callers sort the runs by seed; a run's result does not depend on it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SweepRun } from '../sim/sweep/index.js';
import { MinikuError } from './errors.js';
import { tsLoaderSource, tsWorkerBootstrap } from './sim-sweep-ts-loader.js';

/** Most worker threads one sweep starts. */
export const sweepJobCountMax = 64;

export interface SweepWorkerData {
  file: string;
  /** The worker refuses to run when the file's bytes no longer have this SHA-256. */
  scenarioHash: string;
  /** Present when the worker must run from TypeScript sources. */
  tsLoader?: {
    source: string;
    typescriptUrl: string;
    typescriptVersion: string;
    cacheDir: string;
    entry: string;
  };
}

export type SweepWorkerReply =
  { kind: 'ready' } | { kind: 'run'; run: SweepRun } | { kind: 'fatal'; message: string };

export interface SweepPoolOptions {
  file: string;
  scenarioHash: string;
  seeds: readonly number[];
  /** Worker threads, 1 to sweepJobCountMax; fewer when there are fewer seeds. */
  jobs: number;
  /** Called after each finished run, in completion order (progress). */
  onRun?: (run: SweepRun) => void;
}

/** Starts one worker, from dist/ (compiled) or from src/ through the TypeScript hooks. */
function startWorker(data: SweepWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.js')) {
    return new Worker(new URL('./sim-sweep-worker.js', here), { workerData: data });
  }
  const require = createRequire(here);
  const typescript = require.resolve('typescript');
  const tsLoader = {
    source: tsLoaderSource,
    typescriptUrl: pathToFileURL(typescript).href,
    typescriptVersion: (require('typescript/package.json') as { version: string }).version,
    cacheDir: join(dirname(typescript), '..', '..', '.cache', 'miniku-sweep-worker'),
    entry: new URL('./sim-sweep-worker.ts', here).href,
  };
  return new Worker(tsWorkerBootstrap, { eval: true, workerData: { ...data, tsLoader } });
}

function workerFailure(message: string): MinikuError {
  return new MinikuError('E_INTERNAL', `A sweep worker failed: ${message}`, 3);
}

/** Runs every seed once; resolves with the runs in completion order. */
export function runSweepPool(options: SweepPoolOptions): Promise<SweepRun[]> {
  const queue = [...options.seeds];
  const runs: SweepRun[] = [];
  const workers: Worker[] = [];
  const retired = new Set<Worker>();
  const jobs = Math.min(options.jobs, queue.length);
  return new Promise<SweepRun[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const worker of workers) {
        retired.add(worker);
        void worker.terminate();
      }
      if (error === undefined) resolve(runs);
      else reject(error);
    };
    const next = (worker: Worker) => {
      if (runs.length === options.seeds.length) return finish();
      const seed = queue.shift();
      if (seed !== undefined) return worker.postMessage({ seed });
      retired.add(worker);
      void worker.terminate();
    };
    if (jobs === 0) return finish();
    for (let i = 0; i < jobs; i++) {
      const worker = startWorker({ file: options.file, scenarioHash: options.scenarioHash });
      workers.push(worker);
      worker.on('message', (reply: SweepWorkerReply) => {
        if (reply.kind === 'fatal') return finish(workerFailure(reply.message));
        if (reply.kind === 'run') {
          runs.push(reply.run);
          options.onRun?.(reply.run);
        }
        next(worker);
      });
      worker.on('error', (error) => finish(workerFailure(error.message)));
      worker.on('exit', (code) => {
        if (!retired.has(worker)) finish(workerFailure(`it stopped with exit code ${code}`));
      });
    }
  });
}
