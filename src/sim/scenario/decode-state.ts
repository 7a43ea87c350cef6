// Shared state of one decode: errors with lines, the line of every field path, the YAML path of
// every model object, alias resolution with a node budget, and a mapping's entries (merge keys
// expanded, duplicates reported).
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import type { JsonValue } from '../../control/store/types.js';
import { renderPath } from './scenario-errors.js';
import type { ObjectPath, PathSegment, ScenarioError } from './scenario-errors.js';
import type { BuildContext, Type } from './schema-dsl.js';

/** Most YAML nodes one decode visits (aliases can multiply them). */
export const decodeNodeCountMax = 1_000_000;

export type DecodeFn = (
  state: DecodeState,
  type: Type,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
) => unknown;

export interface DecodeOptions {
  document: Document;
  lineOf(offset: number): number;
  fileName: string;
  loadFile: ((path: string) => string | undefined) | undefined;
  /** Receives every error; `line` is in the decoded text. */
  report(path: ObjectPath, line: number, message: string): void;
  /** Receives errors found in other files; `anchorLine` is the line here that named the file. */
  reportInFile(error: ScenarioError, anchorLine: number): void;
}

export interface DecodeState extends DecodeOptions {
  decode: DecodeFn;
  /** Line where each rendered field path was written. */
  lines: Map<string, number>;
  /** The YAML path of each model object the decode produced. */
  paths: WeakMap<object, ObjectPath>;
  visitCount: number;
  /** Nodes being decoded (a recursive alias would revisit one). */
  ancestors: Set<YamlNode>;
}

export function newDecodeState(options: DecodeOptions, decode: DecodeFn): DecodeState {
  return {
    ...options,
    decode,
    lines: new Map(),
    paths: new WeakMap(),
    visitCount: 0,
    ancestors: new Set(),
  };
}

/** The line of a node, or `fallback` for nodes made from defaults. */
export function nodeLine(state: DecodeState, node: YamlNode | null, fallback: number): number {
  const range = node?.range;
  return range === undefined || range === null ? fallback : state.lineOf(range[0]);
}

/** The line recorded for `path` or its nearest recorded ancestor. */
export function lineOfPath(state: DecodeState, path: ObjectPath): number {
  for (let length = path.length; length >= 0; length--) {
    const line = state.lines.get(renderPath(path.slice(0, length)));
    if (line !== undefined) return line;
  }
  return 1;
}

export function reportAt(state: DecodeState, path: ObjectPath, message: string): void {
  state.report(path, lineOfPath(state, path), message);
}

/** Follows aliases; undefined when the node budget is spent or an alias recurses. */
export function resolveNode(
  state: DecodeState,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): YamlNode | null | undefined {
  let current = node;
  while (current !== null && isAlias(current)) {
    current = (current.resolve(state.document) as YamlNode | undefined) ?? null;
  }
  state.visitCount += 1;
  if (state.visitCount === decodeNodeCountMax + 1) {
    state.report(path, line, `too many YAML nodes (over ${decodeNodeCountMax}; aliases?)`);
  }
  if (state.visitCount > decodeNodeCountMax) return undefined;
  // Only an alias can lead back to a node being decoded.
  if (current !== node && current !== null && state.ancestors.has(current)) {
    state.report(path, line, 'an alias refers to a value that contains it');
    return undefined;
  }
  return current;
}

export function isNullNode(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export interface MapEntry {
  key: string;
  keyLine: number;
  value: YamlNode | null;
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const value = key.value;
  if (typeof value === 'string') return value;
  // sigs.k8s.io/yaml turns non-string keys into their text (`yes:` becomes "true").
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return undefined;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function mergeSources(state: DecodeState, value: unknown): YAMLMap[] {
  const resolve = (node: unknown) => (isAlias(node) ? node.resolve(state.document) : node);
  const source = resolve(value);
  const items = isSeq(source) ? source.items.map(resolve) : [source];
  return items.filter((item): item is YAMLMap => isMap(item));
}

/** A mapping's entries: explicit keys in order, then merged (`<<`) keys not set explicitly. */
export function mapEntries(
  state: DecodeState,
  node: YAMLMap,
  path: ObjectPath,
  segment: (key: string) => PathSegment,
): MapEntry[] {
  const explicit = new Map<string, MapEntry>();
  const merged: MapEntry[] = [];
  for (const pair of node.items) {
    const keyLine = nodeLine(state, pair.key as YamlNode | null, lineOfPath(state, path));
    if (isMergeKey(pair.key)) {
      for (const source of mergeSources(state, pair.value)) {
        merged.push(...mapEntries(state, source, path, segment));
      }
      continue;
    }
    const key = keyText(pair.key);
    if (key === undefined) {
      state.report(path, keyLine, 'unsupported mapping key (use a plain string)');
      continue;
    }
    const first = explicit.get(key);
    if (first !== undefined) {
      state.report(
        [...path, segment(key)],
        keyLine,
        `duplicate field (first on line ${first.keyLine})`,
      );
      continue;
    }
    explicit.set(key, { key, keyLine, value: pair.value as YamlNode | null });
  }
  const entries = [...explicit.values()];
  for (const entry of merged) {
    if (!explicit.has(entry.key)) {
      explicit.set(entry.key, entry);
      entries.push(entry);
    }
  }
  return entries;
}

/** A build context for the value at `path`. */
export function buildContext(state: DecodeState, path: ObjectPath): BuildContext {
  return {
    error: (relative, message) => reportAt(state, [...path, ...relative], message),
    errorInFile: (file, line, at, message) =>
      state.reportInFile({ file, line, path: at, message }, lineOfPath(state, path)),
    fileName: state.fileName,
    loadFile: state.loadFile,
    path,
  };
}

/** Records the YAML path of a model object (and of nothing else). */
export function remember(state: DecodeState, value: unknown, path: ObjectPath): void {
  if (typeof value === 'object' && value !== null) state.paths.set(value, path);
}

/** A node for a default value, decoded like written text. */
export function defaultNode(state: DecodeState, value: JsonValue): YamlNode {
  return state.document.createNode(value) as YamlNode;
}

/** Sets a key as a plain data property (a `__proto__` key stays data). */
export function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
