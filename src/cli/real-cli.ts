// Registers real mode's commands: `real` (a whole cluster in one process) and the components
// as processes of their own: `scheduler`, `controller-manager`, `kubelet`.

import type { Command } from 'commander';
import type { KubeletCommandOptions } from './kubelet-command.js';
import type { RealCommandOptions } from './real-command.js';
import type { ComponentCommandOptions } from './scheduler-command.js';

const runtimeHelp =
  'container runtime: linux (namespaces, root) or process (no isolation, development only)';

export function addRealCommands(program: Command): void {
  program
    .command('real')
    .description(
      'run a cluster on this machine: API server on 127.0.0.1, scheduler, controllers, kubelets',
    )
    .option('--nodes <n>', 'number of nodes (kubelets), 1-50', '2')
    .option('--data-dir <dir>', 'kubeconfig and node data go here', '.miniku')
    .option('--port <n>', 'API server port on 127.0.0.1 (0 picks a free one)', '6443')
    .option('--runtime <kind>', runtimeHelp, 'linux')
    .option('--seed <seed>', 'root seed of the components’ random streams')
    .action(async (options: RealCommandOptions) => {
      const { runRealCommand } = await import('./real-command.js');
      await runRealCommand(options);
    });
  program
    .command('scheduler')
    .description('run the scheduler alone against an API server')
    .requiredOption('--kubeconfig <file>', 'where the API server is (current context)')
    .option('--seed <seed>', 'root seed of its random streams')
    .action(async (options: ComponentCommandOptions) => {
      const { runSchedulerCommand } = await import('./scheduler-command.js');
      await runSchedulerCommand(options);
    });
  program
    .command('controller-manager')
    .description('run every controller (ReplicaSet, Deployment, node lifecycle, GC, ...) alone')
    .requiredOption('--kubeconfig <file>', 'where the API server is (current context)')
    .option('--seed <seed>', 'root seed of its random streams')
    .action(async (options: ComponentCommandOptions) => {
      const { runControllerManagerCommand } = await import('./controller-manager-command.js');
      await runControllerManagerCommand(options);
    });
  program
    .command('kubelet')
    .description('run one node: a kubelet on its own runtime, with its server on 127.0.0.1')
    .requiredOption('--server <url>', 'the API server, e.g. http://127.0.0.1:6443')
    .requiredOption('--node-name <name>', 'the Node this kubelet registers (a DNS-1123 label)')
    .option('--runtime <kind>', runtimeHelp, 'linux')
    .option('--data-dir <dir>', 'node data goes to <dir>/nodes/<name>', '.miniku')
    .option('--kubelet-port <n>', "the kubelet server's port on 127.0.0.1 (0: a free one)", '0')
    .option('--token <token>', 'bearer token for the API server')
    .option('--token-file <file>', 'file holding the bearer token')
    .option('--seed <seed>', 'root seed of its random streams')
    .action(async (options: KubeletCommandOptions) => {
      const { runKubeletCommand } = await import('./kubelet-command.js');
      await runKubeletCommand(options);
    });
}
