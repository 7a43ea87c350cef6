// Entry of a sweep worker thread: loads the scenario once, then runs each seed the parent sends
// and posts back its SweepRun. Messages: in `{ seed }`; out `{ kind: 'ready' }` once loaded,
// `{ kind: 'run', run }` per seed, `{ kind: 'fatal', message }` when it cannot go on.
import { parentPort, workerData } from 'node:worker_threads';
import { MinikuError } from './errors.js';
import { loadScenarios } from './sim-command.js';
import { runSweepSeed, scenarioHashOf } from './sim-sweep-run.js';
import type { SweepWorkerData, SweepWorkerReply } from './sim-sweep-pool.js';

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('sim-sweep-worker runs only as a worker thread');
  const post = (reply: SweepWorkerReply) => port.postMessage(reply);
  const data = workerData as SweepWorkerData;
  let loaded;
  try {
    [loaded] = await loadScenarios([data.file]);
  } catch (error) {
    const message = error instanceof MinikuError ? error.message : String(error);
    post({ kind: 'fatal', message });
    return;
  }
  if (loaded === undefined || scenarioHashOf(loaded) !== data.scenarioHash) {
    post({ kind: 'fatal', message: `${data.file} changed while the sweep ran` });
    return;
  }
  const scenario = loaded;
  // One seed at a time: the parent sends the next only after this one's reply.
  port.on('message', (message: { seed: number }) => {
    void runSweepSeed(scenario, message.seed).then((run) => post({ kind: 'run', run }));
  });
  post({ kind: 'ready' });
}

await serve();
