// `miniku scheduler --kubeconfig F`: the scheduler in its own process, as kube-scheduler runs.

import { randomBytes } from 'node:crypto';
import { WallClock } from '../runtime/wall-clock.js';
import { startScheduler, type RunningComponent } from './real-components.js';
import { readKubeconfig } from './real-kubeconfig.js';
import { DecisionLogRecorder, timestampedWriter } from './real-log.js';
import { untilSignal } from './real-signals.js';

export interface ComponentCommandOptions {
  kubeconfig: string;
  seed?: string;
}

export function startSchedulerCommand(
  options: ComponentCommandOptions,
  write: (text: string) => void,
): RunningComponent {
  const access = readKubeconfig(options.kubeconfig);
  const log = timestampedWriter(write);
  const context = {
    ...access,
    clock: new WallClock(),
    seed: options.seed ?? randomBytes(8).toString('hex'),
    log,
  };
  const scheduler = startScheduler(context, new DecisionLogRecorder(log));
  log(`miniku scheduler: scheduling pods of ${access.serverUrl}`);
  return scheduler;
}

export async function runSchedulerCommand(options: ComponentCommandOptions): Promise<void> {
  const write = (text: string) => void process.stdout.write(text);
  const scheduler = startSchedulerCommand(options, write);
  await untilSignal({
    stop: () => scheduler.stop(),
    kill: () => {},
    log: timestampedWriter(write),
  });
}
