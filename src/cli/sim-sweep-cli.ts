// Wires `sim sweep` and `sim sweep-merge` into the `sim` command of main.ts.
import type { Command } from 'commander';
import type { SimSweepMergeOptions, SimSweepOptions } from './sim-sweep-command.js';

export function addSimSweepCommands(sim: Command): void {
  sim
    .command('sweep')
    .description('run one scenario for many seeds on worker threads; summarise and list failures')
    .argument('<scenario>', 'scenario YAML file')
    .option('--seeds <list>', 'seeds: a..b ranges and numbers, comma-separated', '1..100')
    .option('--jobs <n>', 'worker threads (default: CPUs, at most 4)')
    .option('--shard <i/n>', 'run only every n-th seed, starting with the i-th')
    .option('--format <format>', 'text or json', 'text')
    .option('--out <file>', 'also write the JSON result (for sweep-merge) to this file')
    .action(async (file: string, options: SimSweepOptions) => {
      const { runSimSweepCommand } = await import('./sim-sweep-command.js');
      await runSimSweepCommand(file, options);
    });
  sim
    .command('sweep-merge')
    .description('combine the JSON results of `sim sweep --shard` runs into one result')
    .argument('<results...>', 'JSON files written by sim sweep --format json or --out')
    .option('--format <format>', 'text or json', 'text')
    .option('--out <file>', 'also write the merged JSON result to this file')
    .action(async (files: string[], options: SimSweepMergeOptions) => {
      const { runSimSweepMergeCommand } = await import('./sim-sweep-command.js');
      await runSimSweepMergeCommand(files, options);
    });
}
