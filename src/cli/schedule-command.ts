// `miniku schedule`: a one-shot what-if scheduling run over manifests, with explanations.
import { stringify as toYaml } from 'yaml';
import { runWhatIf, WhatIfInputError } from '../sim/what-if.js';
import type { WhatIfPod, WhatIfResult } from '../sim/what-if.js';
import { assertNever } from '../control/util/assert.js';
import { hostDrain } from './demo-command.js';
import { MinikuError } from './errors.js';
import {
  parseManifests,
  readManifestSources,
  readProcessStdin,
  readTextFile,
} from './manifests.js';

export interface ScheduleCommandOptions {
  /** A KubeSchedulerConfiguration YAML file. */
  config?: string;
  /** Integer 0–100; overrides the config's value. */
  percentageOfNodesToScore?: string;
  /** `table` (default), `json` or `yaml`. */
  output?: string;
  /** Root seed. Default `1`. */
  seed?: string;
  /** Where output goes; default process.stdout. */
  write?: (text: string) => void;
  /** Reads all of stdin; default process.stdin. */
  readStdin?: () => Promise<string>;
}

const outputFormats = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export async function runScheduleCommand(
  files: readonly string[],
  options: ScheduleCommandOptions = {},
): Promise<void> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const output = outputFormat(options.output);
  const seed = seedOf(options.seed);
  const percentage = percentageOf(options.percentageOfNodesToScore);
  const config = options.config === undefined ? undefined : await readTextFile(options.config);
  const sources = await readManifestSources(files, {
    readStdin: options.readStdin ?? readProcessStdin,
  });
  const objects = sources.flatMap((source) => parseManifests(source).map((m) => m.object));
  const result = await whatIf({ objects, config, percentage, seed, configName: options.config });
  write(render(result, output));
}

async function whatIf(input: {
  objects: Parameters<typeof runWhatIf>[0]['objects'];
  config: string | undefined;
  percentage: number | undefined;
  seed: string;
  configName: string | undefined;
}): Promise<WhatIfResult> {
  try {
    return await runWhatIf({
      objects: input.objects,
      config: input.config,
      percentageOfNodesToScore: input.percentage,
      seed: input.seed,
      drain: hostDrain,
    });
  } catch (error) {
    if (!(error instanceof WhatIfInputError)) throw error;
    if (error.source === 'config') {
      const where = input.configName === undefined ? '' : ` "${input.configName}"`;
      throw new MinikuError(
        'E_BAD_CONFIG',
        `Invalid scheduler configuration${where}: ${error.errors.join('; ')}`,
      );
    }
    throw new MinikuError('E_BAD_MANIFEST', `Cannot create objects: ${error.errors.join('; ')}`);
  }
}

function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'table';
  const known = outputFormats.find((f) => f === format);
  if (known === undefined) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --output: "${format}": use one of ${outputFormats.join(', ')}`,
    );
  }
  return known;
}

function seedOf(value: string | undefined): string {
  const seed = value ?? '1';
  if (seed === '' || seed.length > 100) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --seed: "${seed}": use 1-100 characters`,
    );
  }
  return seed;
}

function percentageOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 100) {
    throw new MinikuError(
      'E_BAD_FLAG',
      `Invalid value for --percentage-of-nodes-to-score: "${value}": use an integer from 0 to 100`,
    );
  }
  return n;
}

/** The result in the chosen format, ending with a newline. */
export function render(result: WhatIfResult, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'yaml':
      return toYaml(result);
    case 'table':
      return renderTable(result);
    default:
      return assertNever(format, 'unknown output format');
  }
}

function scoreOf(pod: WhatIfPod): string {
  if (pod.node === null) return '-';
  const chosen = pod.top.find((n) => n.node === pod.node);
  return chosen === undefined ? '-' : String(chosen.total);
}

function topOf(pod: WhatIfPod): string {
  if (pod.top.length === 0) return pod.node === null ? '-' : `${pod.node} (only feasible node)`;
  return pod.top.map((n) => `${n.node}=${n.total}`).join(',');
}

/** kubectl-style columns (three spaces apart), then the messages of unschedulable pods. */
export function renderTable(result: WhatIfResult): string {
  const rows = [['POD', 'NODE', 'SCORE', 'TOP-3']];
  for (const pod of result.pods) {
    rows.push([`${pod.namespace}/${pod.name}`, pod.node ?? '<none>', scoreOf(pod), topOf(pod)]);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((row) =>
    row.map((cell, i) => (i < 3 ? cell.padEnd((widths[i] ?? 0) + 3, ' ') : cell)).join(''),
  );
  const failed = result.pods.filter((p) => p.node === null);
  if (failed.length > 0) lines.push('');
  for (const pod of failed) {
    const nominated = pod.nominatedNode === null ? '' : ` (nominated node: ${pod.nominatedNode})`;
    lines.push(`${pod.namespace}/${pod.name}: ${pod.message ?? 'not scheduled'}${nominated}`);
  }
  return `${lines.join('\n')}\n`;
}
