// `miniku controller-manager --kubeconfig F`: every controller in one process of its own, as
// kube-controller-manager runs (each controller still has its own client).

import { randomBytes } from 'node:crypto';
import { WallClock } from '../runtime/wall-clock.js';
import { startControllers, type RunningComponent } from './real-components.js';
import { readKubeconfig } from './real-kubeconfig.js';
import { timestampedWriter } from './real-log.js';
import { untilSignal } from './real-signals.js';
import type { ComponentCommandOptions } from './scheduler-command.js';

export function startControllerManagerCommand(
  options: ComponentCommandOptions,
  write: (text: string) => void,
): RunningComponent {
  const access = readKubeconfig(options.kubeconfig);
  const log = timestampedWriter(write);
  const seed = options.seed ?? randomBytes(8).toString('hex');
  const controllers = startControllers({ ...access, clock: new WallClock(), seed, log });
  log(`miniku controller-manager: reconciling ${access.serverUrl}`);
  return controllers;
}

export async function runControllerManagerCommand(options: ComponentCommandOptions): Promise<void> {
  const write = (text: string) => void process.stdout.write(text);
  const controllers = startControllerManagerCommand(options, write);
  await untilSignal({
    stop: () => controllers.stop(),
    kill: () => {},
    log: timestampedWriter(write),
  });
}
