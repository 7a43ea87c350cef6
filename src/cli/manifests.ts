// Reads Kubernetes manifests for CLI commands: YAML or JSON, files or stdin, multi-document
// YAML and `kind: List` dumps (`kubectl get -o yaml`); errors name the file, document, line and
// field.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { findResourceByKind, resourceTypes } from '../control/api/index.js';
import type { JsonObject } from '../control/store/types.js';
import { MinikuError } from './errors.js';

/** Where a manifest's text comes from: a path, or `-` for stdin. */
export interface ManifestSource {
  /** Shown in errors: the path as given, or `<stdin>`. */
  name: string;
  text: string;
}

export interface Manifest {
  object: JsonObject;
  /** The source's name. */
  source: string;
  /** 1-based YAML document index within the source. */
  document: number;
}

/** Name used for stdin in messages. */
export const stdinName = '<stdin>';

/** Most documents (and List items) one source may hold. */
export const manifestCountMax = 100_000;

type Path = (string | number)[];

class ManifestProblem extends Error {
  constructor(
    readonly document: number,
    readonly line: number | undefined,
    readonly field: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Parses every document of one source; throws a MinikuError (E_BAD_MANIFEST) on bad input. */
export function parseManifests(source: ManifestSource): Manifest[] {
  try {
    return parseSource(source);
  } catch (error) {
    if (!(error instanceof ManifestProblem)) throw error;
    const line = error.line === undefined ? '' : ` line ${error.line}:`;
    const field = error.field === '' ? '' : ` ${error.field}:`;
    throw new MinikuError(
      'E_BAD_MANIFEST',
      `Cannot read "${source.name}": document ${error.document}:${line}${field} ${error.message}`,
    );
  }
}

function parseSource(source: ManifestSource): Manifest[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { lineCounter });
  if (!Array.isArray(documents)) return [];
  const manifests: Manifest[] = [];
  documents.forEach((doc, index) => {
    const number = index + 1;
    const problem = doc.errors[0];
    if (problem !== undefined) {
      const line = problem.linePos?.[0].line;
      throw new ManifestProblem(number, line, '', `invalid YAML: ${firstLine(problem.message)}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const at = (path: Path) => lineOf(doc, lineCounter, path);
    for (const object of objectsOf(value, number, at)) {
      manifests.push({ object, source: source.name, document: number });
      if (manifests.length > manifestCountMax) {
        throw new ManifestProblem(number, undefined, '', `more than ${manifestCountMax} objects`);
      }
    }
  });
  return manifests;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function lineOf(doc: Document, counter: LineCounter, path: Path): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return counter.linePos(range[0]).line;
  }
  return undefined;
}

function objectsOf(
  value: unknown,
  document: number,
  at: (path: Path) => number | undefined,
): JsonObject[] {
  const fail = (path: Path, detail: string): never => {
    throw new ManifestProblem(document, at(path), fieldPath(path), detail);
  };
  if (!isObject(value)) return fail([], 'expected a Kubernetes object (a mapping)');
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List'))) {
    const items = value.items;
    if (items === undefined || items === null) return [];
    if (!Array.isArray(items)) return fail(['items'], 'expected a list of objects');
    return items.map((item, i) => checkObject(item, ['items', i], fail));
  }
  return [checkObject(value, [], fail)];
}

function checkObject(
  value: unknown,
  path: Path,
  fail: (path: Path, detail: string) => never,
): JsonObject {
  if (!isObject(value)) return fail(path, 'expected a Kubernetes object (a mapping)');
  const { apiVersion, kind } = value;
  if (typeof kind !== 'string' || kind === '') return fail([...path, 'kind'], 'required value');
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return fail([...path, 'apiVersion'], 'required value');
  }
  if (findResourceByKind(apiVersion, kind) === undefined) {
    const versions = resourceTypes.filter((t) => t.kind === kind).map((t) => t.apiVersion);
    if (versions.length === 0) return fail([...path, 'kind'], `unknown kind "${kind}"`);
    return fail(
      [...path, 'apiVersion'],
      `unsupported value "${apiVersion}" for kind "${kind}" (use "${versions.join('", "')}")`,
    );
  }
  const metadata = value.metadata;
  if (!isObject(metadata)) return fail([...path, 'metadata'], 'required value');
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    return fail([...path, 'metadata', 'name'], 'required value');
  }
  return value as JsonObject;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldPath(path: Path): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

/** Reads the named files (`-` is stdin, read once); no names reads stdin. */
export async function readManifestSources(
  names: readonly string[],
  io: { readStdin: () => Promise<string>; readText?: (path: string) => Promise<string> },
): Promise<ManifestSource[]> {
  const list = names.length === 0 ? ['-'] : names;
  const sources: ManifestSource[] = [];
  let stdinRead = false;
  for (const name of list) {
    if (name === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      sources.push({ name: stdinName, text: await io.readStdin() });
      continue;
    }
    sources.push({ name, text: await readTextFile(name, io.readText) });
  }
  return sources;
}

/** A file's text; a missing or unreadable file is a MinikuError naming it. */
export async function readTextFile(
  path: string,
  read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8'),
): Promise<string> {
  try {
    return await read(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new MinikuError('E_READ_FILE', `Cannot read "${path}": ${why}`);
  }
}

/** All of stdin as text. */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}
