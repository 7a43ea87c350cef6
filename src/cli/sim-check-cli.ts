// Wires `sim check` and `sim merge` into the `sim` command of main.ts.
import type { Command } from 'commander';
import type { SimCheckOptions, SimMergeOptions } from './sim-check-command.js';

export function addSimCheckCommands(sim: Command): void {
  sim
    .command('check')
    .description(
      'run scenarios and compare placements, verdicts and metrics with committed baselines',
    )
    .argument(
      '[scenarios...]',
      'scenario files, folders or library names (default: scenarios/ without scale/)',
    )
    .option('--baseline <dir>', 'baseline directory', 'reports/baselines')
    .option('--update', 'write the baselines from this run instead of comparing')
    .option('--junit <file>', 'also write JUnit XML (one testcase per scenario)')
    .option('--format <format>', 'text or json', 'text')
    .option('--shard <i/n>', 'check only the i-th of n slices of the scenario list')
    .action(async (files: string[], options: SimCheckOptions) => {
      const { runSimCheckCommand } = await import('./sim-check-command.js');
      await runSimCheckCommand(files, options);
    });
  sim
    .command('merge')
    .description('combine sharded `sim check --format json` results into one verdict')
    .argument('<results...>', 'JSON result files')
    .option('--junit <file>', 'also write JUnit XML')
    .option('--format <format>', 'text or json', 'text')
    .action(async (files: string[], options: SimMergeOptions) => {
      const { runSimMergeCommand } = await import('./sim-check-command.js');
      await runSimMergeCommand(files, options);
    });
}
