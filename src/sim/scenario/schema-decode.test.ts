// The generic decoder behind the scenario format: model keys, defaults, groups, unions, YAML 1.1
// as kubectl reads it, anchors and merge keys, and what it refuses.
import { describe, expect, it } from 'vitest';
import { decodeDocument } from './decode-value.js';
import { closestName } from './decode-object.js';
import { renderPath } from './scenario-errors.js';
import {
  bool,
  duration,
  field,
  int,
  invalid,
  json,
  list,
  map,
  object,
  oneOfStrings,
  str,
  union,
} from './schema-dsl.js';
import type { Type } from './schema-dsl.js';
import { readYamlText } from './yaml-text.js';

function decode(type: Type, text: string): { value: unknown; errors: string[] } {
  const yaml = readYamlText(text);
  const errors = yaml.problems.map((p) => `${p.line}: ${p.message}`);
  const document = yaml.documents[0];
  if (document === undefined) return { value: invalid, errors };
  const { value } = decodeDocument(
    {
      document,
      lineOf: yaml.lineOf,
      fileName: 't.yaml',
      loadFile: undefined,
      report: (path, line, message) => errors.push(`${line}: ${renderPath(path)}: ${message}`),
      reportInFile: (error) => errors.push(`${error.file}:${error.line}: ${error.message}`),
    },
    type,
    [],
  );
  return { value, errors };
}

const task = object({
  name: 'Task',
  doc: 'A test type.',
  fields: {
    name: field(str({ minLength: 1 }), 'Name.', { required: true }),
    after: field(duration(), 'Delay.', { default: '1s' }),
    tries: field(int({ min: 1, max: 5 }), 'Tries.'),
    tags: field(map('tag', str(), str()), 'Tags.', { default: {} }),
  },
  groups: [
    {
      name: 'run',
      label: 'run mode',
      required: true,
      options: {
        once: { type: bool({ onlyTrue: true }), doc: 'Once.' },
        every: {
          type: duration({ positive: true }),
          doc: 'Repeat.',
          with: { until: field(duration(), 'End.', { required: true }) },
        },
        script: {
          type: object({
            name: 'Script',
            doc: 'A script.',
            fields: { lang: field(oneOfStrings(['sh', 'py']), 'Language.', { default: 'sh' }) },
          }),
          doc: 'Script.',
        },
      },
    },
  ],
});

describe('decoding against a declared type', () => {
  it('renames duration fields to …Ms and fills defaults', () => {
    expect(decode(task, 'name: a\nonce: true\n')).toEqual({
      value: { name: 'a', afterMs: 1000, tags: {}, run: { kind: 'once', once: true } },
      errors: [],
    });
  });

  it('nests the chosen group option under the group name, with its companions', () => {
    expect(decode(task, 'name: a\nevery: 10s\nuntil: 1m\n').value).toMatchObject({
      run: { kind: 'every', everyMs: 10_000, untilMs: 60_000 },
    });
    expect(decode(task, 'name: a\nscript: {lang: py}\n').value).toMatchObject({
      run: { kind: 'script', lang: 'py' },
    });
    expect(decode(task, 'name: a\nscript:\n').value).toMatchObject({
      run: { kind: 'script', lang: 'sh' },
    });
  });

  it('reports group and companion mistakes', () => {
    expect(decode(task, 'name: a\n').errors).toEqual([
      '1: : missing run mode (one of: once, every, script)',
    ]);
    expect(decode(task, 'name: a\nevery: 1s\n').errors).toEqual([
      '1: until: missing required field',
    ]);
    expect(decode(task, 'name: a\nonce: true\nuntil: 1m\n').errors).toEqual([
      '3: until: only allowed with "every"',
    ]);
    expect(decode(task, 'name: a\nonce: false\n').errors).toEqual([
      '2: once: must be true (or left out)',
    ]);
  });

  it('reads YAML 1.1 as kubectl does: yes/no are booleans, timestamps stay strings', () => {
    const flags = object({
      name: 'Flags',
      doc: 'Test.',
      fields: { enabled: field(bool(), 'x'), when: field(str(), 'y'), mode: field(int(), 'z') },
    });
    const text = 'enabled: yes\nwhen: 2026-01-01T00:00:00Z\nmode: 0755\n';
    expect(decode(flags, text).value).toEqual({
      enabled: true,
      when: '2026-01-01T00:00:00Z',
      mode: 493,
    });
    // sigs.k8s.io/yaml turns non-string keys into text: `y:` is the key "true".
    expect(decode(json('any'), 'a: 1:30\ny: n\n').value).toEqual({ a: '1:30', true: false });
  });

  it('follows anchors, aliases and merge keys', () => {
    const text = [
      'base: &b {name: a, once: true, tries: 2}',
      'tasks:',
      '  - *b',
      '  - <<: *b',
      '    tries: 3',
    ].join('\n');
    const type = object({
      name: 'Tasks',
      doc: 'Test.',
      fields: { base: field(json('object'), 'x'), tasks: field(list(task), 'y') },
    });
    const { value, errors } = decode(type, text);
    expect(errors).toEqual([]);
    expect((value as { tasks: { tries: number }[] }).tasks.map((t) => t.tries)).toEqual([2, 3]);
  });

  it('refuses an alias that contains itself instead of recursing', () => {
    const { errors } = decode(json('any'), 'a: &x [1, *x]\n');
    expect(errors.some((e) => e.includes('an alias refers to a value that contains it'))).toBe(
      true,
    );
  });

  it('drops invalid list items but keeps the others', () => {
    const { value, errors } = decode(list(int({ min: 0 })), '[1, -2, x, 3]');
    expect(value).toEqual([1, 3]);
    expect(errors).toEqual(['1: [1]: must be at least 0', '1: [2]: expected an integer, got "x"']);
  });

  it('picks a union variant by the shape of the value', () => {
    const seed = union({ label: 'a seed', variants: [int(), str()] });
    expect(decode(seed, '42').value).toBe(42);
    expect(decode(seed, 'abc').value).toBe('abc');
    expect(decode(seed, '[1]').errors).toEqual(['1: : expected a seed, got a list']);
  });

  it('checks map keys and keeps a __proto__ key as plain data', () => {
    const labels = map(
      'label key',
      str({ check: (k) => (k.includes(' ') ? 'no spaces' : undefined) }),
      str(),
    );
    expect(decode(labels, 'a b: x\n').errors).toEqual([
      '1: ["a b"]: invalid label key "a b": no spaces',
    ]);
    const value = decode(labels, '__proto__: x\n').value as Record<string, string>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('refuses values JSON cannot hold', () => {
    expect(decode(json('any'), 'a: .nan\n').errors).toEqual([
      '1: a: unsupported value NaN (not representable in JSON)',
    ]);
  });
});

describe('closestName', () => {
  it('suggests a near field name and nothing for a far one', () => {
    expect(closestName('restartAftr', ['node', 'restartAfter'])).toBe('restartAfter');
    expect(closestName('NODE', ['node', 'restartAfter'])).toBe('node');
    expect(closestName('zzzzzz', ['node', 'restartAfter'])).toBeUndefined();
  });
});
