#!/usr/bin/env node
// miniku's command-line entry point: parses arguments and hands off to one command.
import { Command } from 'commander';
import { MinikuError } from './errors.js';
import { minikuVersion } from '../control/version.js';
import { addSimCheckCommands } from './sim-check-cli.js';
import { addSimCompareCommand } from './sim-compare-cli.js';
import { addSimSweepCommands } from './sim-sweep-cli.js';
import { addRealCommands } from './real-cli.js';
import { addImageCommands } from './image-command.js';

// Each command's code is imported when it runs: real mode never loads the simulator's report
// and chart libraries, and start-up stays short.

function buildProgram(): Command {
  const program = new Command();
  program
    .name('miniku')
    .description(
      'A small Kubernetes: a deterministic simulator and a real mode, one control plane.',
    )
    .version(minikuVersion, '-V, --version', 'print the miniku version');
  program
    .command('demo')
    .description(
      'run a short deterministic session of the control-plane core in virtual time, twice',
    )
    .option('--seed <seed>', 'root seed of every random stream', '42')
    .option(
      '--cluster',
      'instead: a 3-node simulated cluster (Deployment, rolling update, node crash, recovery)',
    )
    .action(async (options: { seed: string; cluster?: boolean }) => {
      const { runDemoCommand } = await import('./demo-command.js');
      await runDemoCommand(options);
    });
  program
    .command('apiserver')
    .description(
      'serve the Kubernetes API on 127.0.0.1 (in-memory store, namespace controller), write a kubeconfig',
    )
    .option('--port <n>', 'TCP port (0 picks a free one)', '6443')
    .option('--bind-address <ip>', 'IP address to listen on', '127.0.0.1')
    .option(
      '--token-file <file>',
      'static bearer tokens (CSV: token,user,uid[,"groups"]); required off loopback',
    )
    .option('--insecure-bind-any', 'allow a non-loopback --bind-address without --token-file')
    .option('--data-dir <dir>', 'where to write the kubeconfig', '.miniku')
    .option('--seed <seed>', "seed of the server's random streams (generated names, uids)")
    .action(
      async (options: {
        port: string;
        bindAddress: string;
        tokenFile?: string;
        insecureBindAny?: boolean;
        dataDir: string;
        seed?: string;
      }) => {
        const { runApiServerCommand } = await import('./apiserver-command.js');
        await runApiServerCommand(options);
      },
    );
  program
    .command('schedule')
    .description(
      'what-if: schedule the pending pods of the given manifests once, with explanations',
    )
    .argument('[files...]', 'YAML or JSON manifests (Nodes, Pods, ...); "-" or none reads stdin')
    .option('--config <file>', 'a KubeSchedulerConfiguration YAML file')
    .option('--percentage-of-nodes-to-score <n>', 'override percentageOfNodesToScore (0-100)')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .option('--seed <seed>', 'root seed of every random stream', '1')
    .action(
      async (
        files: string[],
        options: {
          config?: string;
          percentageOfNodesToScore?: string;
          output: string;
          seed: string;
        },
      ) => {
        const { runScheduleCommand } = await import('./schedule-command.js');
        await runScheduleCommand(files, options);
      },
    );
  addRealCommands(program);
  addImageCommands(program);
  const sim = program.command('sim').description('run scenario files in the simulator');
  sim
    .command('run')
    .description('run scenarios; write report.json, trace.jsonl, report.md, report.html')
    .argument('<scenarios...>', 'scenario YAML files')
    .option('--seed <seed>', "override the scenario's seed")
    .option('--out <dir>', 'report directory (default out/<scenario name>)')
    .option('--trace <level>', 'trace level: none, summary or full', 'summary')
    .option('--format <format>', 'text or json', 'text')
    .option('--quiet', 'print only failures')
    .action(
      async (
        files: string[],
        options: { seed?: string; out?: string; trace: string; format: string; quiet?: boolean },
      ) => {
        const { runSimRunCommand } = await import('./sim-command.js');
        await runSimRunCommand(files, options);
      },
    );
  sim
    .command('validate')
    .description('check scenario files without running them')
    .argument('<scenarios...>', 'scenario YAML files')
    .action(async (files: string[]) => {
      const { runSimValidateCommand } = await import('./sim-command.js');
      await runSimValidateCommand(files);
    });
  addSimCheckCommands(sim);
  addSimCompareCommand(sim);
  addSimSweepCommands(sim);
  sim
    .command('explain')
    .description('why a pod landed where it did: its scheduling attempts in a sim run')
    .argument('<report-dir>', 'a directory written by sim run (report.json, trace.jsonl)')
    .option('--pod <name>', 'the pod (NAME, or NAMESPACE/NAME)')
    .option('--namespace <ns>', "the pod's namespace (default: default)")
    .option(
      '--scenario <file>',
      'the scenario file of the run, to re-run when the trace is summary',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(
      async (
        dir: string,
        options: { pod?: string; namespace?: string; scenario?: string; format: string },
      ) => {
        const { runSimExplainCommand } = await import('./sim-explain-command.js');
        await runSimExplainCommand(dir, options);
      },
    );
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof MinikuError) {
      process.stderr.write(`miniku: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`miniku: internal error: ${message}\n`);
    if (process.env.MINIKU_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    } else {
      process.stderr.write('miniku: set MINIKU_DEBUG=1 to see where it happened\n');
    }
    process.exitCode = 1;
  }
}

await main(process.argv);
