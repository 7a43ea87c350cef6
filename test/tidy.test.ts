// Tidy test: bans ambient nondeterminism, locale calls and node: I/O in src/control and src/sim,
// and checks STYLE.md's import table for src/control, src/sim and src/runtime.

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Calls that read host time or randomness, schedule host timers, or depend on the locale. */
const bannedCalls: Array<[RegExp, string]> = [
  [/\bDate\.now\b/, 'Date.now (use the component Clock)'],
  [/\bDate\(/, 'Date() / new Date(...) (use the component Clock, and values/time.ts to format)'],
  [/\bMath\.random\b/, 'Math.random (use the component Rng)'],
  [/\bperformance\.\w+/, 'performance.* (host time)'],
  [/\bprocess\.(hrtime|uptime|env|argv|memoryUsage|cpuUsage)\b/, 'process.* (host state)'],
  [/\b(setTimeout|setInterval|setImmediate)\b/, 'host timer (use the component Clock)'],
  [/\b(clearTimeout|clearInterval|clearImmediate)\b/, 'host timer (use the component Clock)'],
  [/\bcrypto\.(getRandomValues|randomUUID|randomBytes|randomInt)\b/, 'crypto randomness'],
  [/\brandomUUID\b|\brandomBytes\b|\bgetRandomValues\b/, 'crypto randomness'],
  [/\blocaleCompare\b/, 'localeCompare (locale-dependent order)'],
  [/\bIntl\./, 'Intl (locale-dependent)'],
  [/\btoLocale\w*/, 'toLocale* (locale-dependent)'],
];

/**
 * Files allowed to name banned calls, each with why. Keep this tiny.
 * - guard.ts replaces exactly these globals during a run, so it must name them.
 */
const bannedCallAllowlist = new Set(['src/sim/engine/guard.ts']);

type Layer = 'control' | 'sim' | 'runtime' | 'cli';

/** STYLE.md "What may import what": the layers each layer may import. */
const allowedImports: Record<Layer, readonly Layer[]> = {
  control: ['control'],
  sim: ['control', 'sim'],
  runtime: ['control', 'runtime'],
  cli: ['control', 'sim', 'runtime', 'cli'],
};

/** Module specifiers of `from '…'`, `import('…')`, `import '…'` and `require('…')`. */
const importPattern = new RegExp(
  String.raw`(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+|\brequire\s*\(\s*)` +
    String.raw`['"]([^'"]+)['"]`,
  'g',
);

interface SourceLine {
  file: string;
  lineNumber: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  const absolute = join(repoRoot, dir);
  let entries;
  try {
    entries = readdirSync(absolute, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name))
    .filter((entry) => !/\.test\.(ts|mts|js|mjs)$/.test(entry.name))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Code lines of a file: comment lines and trailing `// …` comments removed. */
function codeLines(file: string): SourceLine[] {
  const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
  const result: SourceLine[] = [];
  let inBlockComment = false;
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (inBlockComment) {
      if (trimmed.includes('*/')) inBlockComment = false;
      continue;
    }
    if (trimmed.startsWith('/*')) {
      inBlockComment = !trimmed.includes('*/');
      continue;
    }
    if (trimmed.startsWith('//') || trimmed.startsWith('*')) continue;
    result.push({ file, lineNumber: index + 1, text: raw.replace(/\s\/\/.*$/, '') });
  }
  return result;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');
}

function layerOf(file: string): Layer | undefined {
  const match = /^src\/(control|sim|runtime|cli)\//.exec(file);
  return match?.[1] as Layer | undefined;
}

function importOffences(line: SourceLine, checkBuiltins: boolean): string[] {
  const offences: string[] = [];
  const from = layerOf(line.file) as Layer;
  for (const match of line.text.matchAll(importPattern)) {
    const specifier = match[1] as string;
    const where = `${line.file}:${line.lineNumber}`;
    if (checkBuiltins && isBuiltin(specifier)) {
      offences.push(`${where}: imports Node built-in "${specifier}" (no host I/O here)`);
    }
    if (!specifier.startsWith('.')) continue;
    const target = relative(repoRoot, resolve(repoRoot, dirname(line.file), specifier));
    const to = layerOf(target.split(sep).join('/'));
    if (to !== undefined && !allowedImports[from].includes(to)) {
      offences.push(`${where}: src/${from} must not import src/${to} ("${specifier}")`);
    }
  }
  return offences;
}

function callOffences(line: SourceLine): string[] {
  if (bannedCallAllowlist.has(line.file)) return [];
  return bannedCalls
    .filter(([pattern]) => pattern.test(line.text))
    .map(([, what]) => `${line.file}:${line.lineNumber}: ${what}: ${line.text.trim()}`);
}

describe('tidy', () => {
  it('finds the source trees it checks', () => {
    expect(sourceFiles('src/control').length).toBeGreaterThan(0);
    expect(sourceFiles('src/sim').length).toBeGreaterThan(0);
    expect(sourceFiles('src/sim')).toContain('src/sim/engine/guard.ts');
  });

  it('src/control and src/sim use no host time, randomness, timers, locale or node: I/O', () => {
    const offences: string[] = [];
    for (const file of [...sourceFiles('src/control'), ...sourceFiles('src/sim')]) {
      for (const line of codeLines(file)) {
        offences.push(...callOffences(line), ...importOffences(line, true));
      }
    }
    expect(offences).toEqual([]);
  });

  it('src/runtime imports neither src/sim nor src/cli', () => {
    const offences: string[] = [];
    for (const file of sourceFiles('src/runtime')) {
      for (const line of codeLines(file)) offences.push(...importOffences(line, false));
    }
    expect(offences).toEqual([]);
  });

  it('reports an offence with its file and line (self-check of the scanner)', () => {
    const sample: SourceLine[] = [
      { file: 'src/sim/x.ts', lineNumber: 3, text: "import { readFileSync } from 'node:fs';" },
      { file: 'src/sim/x.ts', lineNumber: 4, text: "import { WallClock } from '../runtime/w.js';" },
      { file: 'src/sim/x.ts', lineNumber: 5, text: 'const t = Date.now();' },
      { file: 'src/sim/x.ts', lineNumber: 6, text: "import os from 'os';" },
      { file: 'src/control/y.ts', lineNumber: 7, text: "export * from '../sim/z.js';" },
      {
        file: 'src/control/y.ts',
        lineNumber: 8,
        text: 'names.sort((a, b) => a.localeCompare(b));',
      },
      { file: 'src/sim/x.ts', lineNumber: 9, text: 'const d = new Date(0).toISOString();' },
    ];
    const found = sample.flatMap((line) => [
      ...callOffences({ ...line, text: line.text.replace(/\s\/\/.*$/, '') }),
      ...importOffences(line, true),
    ]);
    expect(found.map((offence) => offence.split(': ')[0])).toEqual([
      'src/sim/x.ts:3',
      'src/sim/x.ts:4',
      'src/sim/x.ts:5',
      'src/sim/x.ts:6',
      'src/control/y.ts:7',
      'src/control/y.ts:8',
      'src/sim/x.ts:9',
    ]);
  });
});
