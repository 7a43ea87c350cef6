// Registers `miniku sim compare`; the command's code loads only when it runs.
import type { Command } from 'commander';
import type { SimCompareOptions } from './sim-compare-command.js';

export function addSimCompareCommand(sim: Command): void {
  sim
    .command('compare')
    .description('run a scenario under two scheduler configurations on one seed; report the diff')
    .argument('<scenario>', 'scenario YAML file')
    .option(
      '--profile <file>',
      'a KubeSchedulerConfiguration file: twice for A and B, once for B against the scenario',
      (file: string, files: string[]) => [...files, file],
      [] as string[],
    )
    .option('--seed <seed>', "override the scenario's seed (both runs use it)")
    .option('--out <dir>', 'report directory (default out/compare-<scenario name>)')
    .action(async (file: string, options: SimCompareOptions) => {
      const { runSimCompareCommand } = await import('./sim-compare-command.js');
      await runSimCompareCommand(file, options);
    });
}
