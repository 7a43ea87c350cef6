// Determinism across processes: every library scenario, run twice by a freshly compiled CLI in
// two separate `node` processes, writes byte-identical report files; another seed, another run.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const reportFiles = ['report.json', 'trace.jsonl', 'report.md', 'report.html'] as const;
const randomScenario = 'test/sim-run/fixtures/random-latencies.yaml';
/** One `miniku sim run` process (about 2 s alone; much longer on a loaded machine). */
const runTimeoutMs = 120_000;

/** Every scenario under scenarios/ (relative to the repository), except scale/ and manifests/. */
function libraryScenarios(dir = 'scenarios'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'scale' && entry.name !== 'manifests') out.push(...libraryScenarios(path));
    } else if (entry.name.endsWith('.yaml')) out.push(path);
  }
  return out.sort();
}

interface ProcessRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  files: Map<string, Buffer>;
  streamSha256: string;
  seed: string;
}

let workDir = '';
let cliMain = '';

/**
 * Compiles src/ into a temporary directory (emit only: type errors are `npm run typecheck`'s
 * to report), so the runs never use a stale dist/. The directory gets the package's module
 * type and a link to node_modules, so the compiled ESM resolves its dependencies.
 */
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'miniku-determinism-'));
  const buildDir = join(workDir, 'build');
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir];
  const compiled = await spawnNode([...args, '--noCheck', '--sourceMap', 'false']);
  cliMain = join(buildDir, 'cli/main.js');
  expect(compiled.exitCode, `tsc failed:\n${compiled.stdout}${compiled.stderr}`).toBe(0);
  await writeFile(join(buildDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
}, 180_000);

afterAll(async () => {
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
});

function spawnNode(
  args: readonly string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const options = { cwd: repoRoot, timeout: runTimeoutMs, maxBuffer: 64 * 1024 * 1024 };
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ exitCode: code, stdout, stderr });
    });
  });
}

let runCount = 0;

/** `node <build>/cli/main.js sim run <file> --out <dir> [--seed s]` in its own process. */
async function runInProcess(file: string, seed?: string): Promise<ProcessRun> {
  const out = join(workDir, `run-${runCount++}`);
  await mkdir(out);
  const seedArgs = seed === undefined ? [] : ['--seed', seed];
  const args = [cliMain, 'sim', 'run', file, '--out', out, ...seedArgs];
  const result = await spawnNode(args);
  const files = new Map<string, Buffer>();
  for (const name of reportFiles) {
    const bytes = await readFile(join(out, name)).catch(() => undefined);
    expect(bytes, `${file}: no ${name}; exit ${result.exitCode}: ${result.stderr}`).toBeDefined();
    files.set(name, bytes as Buffer);
  }
  const report = JSON.parse((files.get('report.json') as Buffer).toString('utf8'));
  return {
    ...result,
    stdout: result.stdout.split(out).join('<out>'),
    files,
    streamSha256: String(report.streamSha256),
    seed: String(report.seed),
  };
}

/** The first line where two files differ, to make a failure readable. */
function firstDifference(a: Buffer, b: Buffer): string {
  const left = a.toString('utf8').split('\n');
  const right = b.toString('utf8').split('\n');
  const index = left.findIndex((line, i) => line !== right[i]);
  const at = index < 0 ? left.length : index;
  const cut = (line: string | undefined) => (line ?? '<end of file>').slice(0, 300);
  return `line ${at + 1}:\n  first:  ${cut(left[at])}\n  second: ${cut(right[at])}`;
}

function reproduce(file: string, seed: string): string {
  const run = (dir: string) => `node dist/cli/main.js sim run ${file} --seed ${seed} --out ${dir}`;
  return `npm run build && ${run('/tmp/a')} && ${run('/tmp/b')} && diff -r /tmp/a /tmp/b`;
}

function expectSameRun(file: string, first: ProcessRun, second: ProcessRun): void {
  const where = `${file} (seed ${first.seed}); reproduce: ${reproduce(file, first.seed)}`;
  for (const name of reportFiles) {
    const a = first.files.get(name) as Buffer;
    const b = second.files.get(name) as Buffer;
    const same = a.equals(b);
    expect(same, same ? '' : `${name} differs, ${where}\n${firstDifference(a, b)}`).toBe(true);
  }
  expect(second.streamSha256, `streamSha256 differs, ${where}`).toBe(first.streamSha256);
  expect(second.exitCode, `exit code differs, ${where}`).toBe(first.exitCode);
  expect(second.stdout, `output differs, ${where}`).toBe(first.stdout);
}

/** streamSha256 is the SHA-256 of trace.jsonl's records (the file without its last newline). */
function traceSha256(run: ProcessRun): string {
  const trace = (run.files.get('trace.jsonl') as Buffer).toString('utf8');
  return createHash('sha256').update(trace.replace(/\n$/, '')).digest('hex');
}

describe('every library scenario is deterministic across processes', () => {
  const scenarios = libraryScenarios();

  it('finds the library scenarios, without scale/ and manifests/', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
    expect(scenarios).toContain(join('scenarios', 'examples', 'node-crash.yaml'));
    expect(scenarios.filter((f) => /\/(scale|manifests)\//.test(f))).toEqual([]);
  });

  it.each(scenarios)(
    '%s writes the same bytes and stream hash in two processes',
    async (file) => {
      const [first, second] = await Promise.all([runInProcess(file), runInProcess(file)]);
      expectSameRun(file, first, second);
      expect(first.exitCode, `${file} does not pass:\n${first.stdout}${first.stderr}`).toBe(0);
      expect(first.streamSha256).toBe(traceSha256(first));
    },
    runTimeoutMs,
  );
});

describe('the seed decides the random draws', () => {
  it(
    'gives one run for --seed 1 twice and another for --seed 2',
    async () => {
      const [one, two] = await Promise.all([
        runInProcess(randomScenario, '1'),
        runInProcess(randomScenario, '2'),
      ]);
      const again = await runInProcess(randomScenario, '1');
      expectSameRun(randomScenario, one, again);
      expect(two.streamSha256).not.toBe(one.streamSha256);
      expect(two.streamSha256).toBe(traceSha256(two));
      // Not only generated names: the drawn pull and start times change the measured latencies.
      const latencies = (run: ProcessRun) =>
        JSON.parse((run.files.get('report.json') as Buffer).toString('utf8')).series
          .podStartupLatencyMs;
      expect(latencies(one)).toHaveLength(6);
      expect(latencies(two)).toHaveLength(6);
      expect(latencies(two)).not.toEqual(latencies(one));
    },
    2 * runTimeoutMs,
  );
});
