// `npm run bench [-- section...]`: runs each figure in 5 fresh processes and prints the medians.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadFigures, sections } from './figures.js';

const runCount = 5;

function commitId(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.trunc(sorted.length / 2)] as number;
}

/** Whole numbers from 100 up; three significant digits below (seconds, ratios). */
function rounded(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

function runOnce(section: string, metric: string): number {
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  const result = spawnSync(process.execPath, [worker, section, metric], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`bench ${section}/${metric} failed: ${result.stderr.trim()}`);
  }
  const value = Number(result.stdout.trim());
  if (!Number.isFinite(value)) throw new Error(`bench ${section}/${metric} printed no number`);
  return value;
}

async function main(args: string[]): Promise<void> {
  for (const name of args) {
    if (!(sections as readonly string[]).includes(name)) {
      process.stderr.write(`miniku bench: unknown section "${name}": use ${sections.join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
  }
  const wanted = args.length > 0 ? args : [...sections];
  const figures = await loadFigures();
  const commit = commitId();
  for (const section of wanted) {
    const mine = figures.filter((f) => f.section === section);
    if (mine.length === 0) {
      process.stderr.write(`miniku bench: section "${section}" has no figures yet\n`);
      continue;
    }
    for (const figure of mine) {
      const values: number[] = [];
      for (let i = 0; i < runCount; i++) values.push(runOnce(section, figure.metric));
      const line: Record<string, unknown> = {
        bench: section,
        metric: figure.metric,
        value: rounded(median(values)),
        unit: figure.unit,
        runs: runCount,
        node: process.version,
        commit,
      };
      if (figure.target !== undefined) line.target = figure.target;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
}

await main(process.argv.slice(2));
