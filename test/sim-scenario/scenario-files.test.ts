// The committed files derived from the format (scenarios/scenario.schema.json and the field
// reference in scenarios/README.md) match what the declarations generate, and every example
// scenario and documented example parses. MINIKU_WRITE_GENERATED=1 rewrites the files instead.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { documentedObjects } from '../../src/sim/scenario/scenario-docs.js';
import { formatScenarioError } from '../../src/sim/scenario/scenario-errors.js';
import {
  generatedDocsBegin,
  generatedDocsEnd,
  parseScenario,
  scenarioJsonSchema,
  scenarioReferenceMarkdown,
} from '../../src/sim/scenario/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaFile = join(repoRoot, 'scenarios/scenario.schema.json');
const readmeFile = join(repoRoot, 'scenarios/README.md');
const examplesDir = join(repoRoot, 'scenarios/examples');
const writing = process.env.MINIKU_WRITE_GENERATED === '1';

async function formatted(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}

/** Compares a committed file with its expected text, or writes it when asked to. */
function expectFile(file: string, expected: string): void {
  if (writing) writeFileSync(file, expected);
  const committed = readFileSync(file, 'utf8');
  expect(committed, `${file} is stale: run MINIKU_WRITE_GENERATED=1 npx vitest run ${file}`).toBe(
    expected,
  );
}

function withReference(readme: string): string {
  const begin = readme.indexOf(generatedDocsBegin);
  const end = readme.indexOf(generatedDocsEnd);
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  return (
    readme.slice(0, begin) +
    scenarioReferenceMarkdown() +
    readme.slice(end + generatedDocsEnd.length)
  );
}

function parseFile(fileName: string) {
  const text = readFileSync(fileName, 'utf8');
  return parseScenario(text, { fileName, loadFile: (path) => readFileSync(path, 'utf8') });
}

describe('generated scenario files', () => {
  it('the committed JSON Schema is the one the declarations generate', async () => {
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    expectFile(schemaFile, await formatted(text, schemaFile));
  });

  it("the README's field reference is the one the declarations generate", async () => {
    const readme = readFileSync(readmeFile, 'utf8');
    expectFile(readmeFile, await formatted(withReference(readme), readmeFile));
  });

  it('documents every object type of the format in the README', () => {
    const readme = readFileSync(readmeFile, 'utf8');
    for (const type of documentedObjects()) expect(readme).toContain(`### ${type.name}\n`);
  });
});

describe('example scenarios', () => {
  const files = readdirSync(examplesDir).filter((name) => name.endsWith('.yaml'));

  it('there are at least two examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const name of files) {
    it(`${name} parses without errors`, () => {
      const result = parseFile(join(examplesDir, name));
      expect(result.ok ? [] : result.errors.map(formatScenarioError)).toEqual([]);
    });
  }

  it('the scenarios in the README parse without errors', () => {
    const readme = readFileSync(readmeFile, 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n(apiVersion: miniku[\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThan(0);
    for (const [, text] of blocks) {
      const result = parseScenario(text ?? '', {
        fileName: join(examplesDir, 'readme.yaml'),
        loadFile: (path) => readFileSync(path, 'utf8'),
      });
      expect(result.ok ? [] : result.errors.map(formatScenarioError)).toEqual([]);
    }
  });
});
