// Kubernetes manifests inside a scenario (inline, or in files the scenario names): each must be a
// known kind with a name, without unknown fields (kubectl's default strict validation); `kind:
// List` and `*List` documents are expanded. Files are YAML 1.1, several documents allowed.
import { decodeTypeErrors, findUnknownFields } from '../../control/api/index.js';
import { findResourceByKind, resourceTypes } from '../../control/api/registry.js';
import type { JsonObject, JsonValue } from '../../control/store/types.js';
import { decodeDocument } from './decode-value.js';
import { lineOfPath } from './decode-state.js';
import { parseFieldPath } from './format-common.js';
import { quote, renderPath } from './scenario-errors.js';
import type { ObjectPath, ScenarioError } from './scenario-errors.js';
import { invalid, json } from './schema-dsl.js';
import type { BuildContext } from './schema-dsl.js';
import { readYamlText } from './yaml-text.js';

/** Reports a problem at a path relative to the manifest source (document or inline value). */
export type ManifestReport = (path: ObjectPath, message: string) => void;

/** Most objects one workload entry may create. */
export const workloadObjectCountMax = 10_000;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one object; true when it can be applied as written. */
export function checkManifest(value: JsonValue, path: ObjectPath, report: ManifestReport): boolean {
  if (!isObject(value)) {
    report(path, 'expected a Kubernetes object (a mapping)');
    return false;
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    report([...path, 'apiVersion'], 'missing required field');
    return false;
  }
  if (typeof kind !== 'string' || kind === '') {
    report([...path, 'kind'], 'missing required field');
    return false;
  }
  const type = findResourceByKind(apiVersion, kind);
  if (type === undefined) {
    const versions = resourceTypes.filter((t) => t.kind === kind).map((t) => t.apiVersion);
    if (versions.length === 0) report([...path, 'kind'], `unknown kind ${quote(kind)}`);
    else
      report(
        [...path, 'apiVersion'],
        `kind ${quote(kind)} is served as ${versions.map(quote).join(', ')}`,
      );
    return false;
  }
  const named =
    isObject(metadata) &&
    (typeof metadata.name === 'string' || typeof metadata.generateName === 'string');
  if (!named) {
    report([...path, 'metadata', 'name'], 'missing required field (or metadata.generateName)');
    return false;
  }
  let ok = true;
  for (const unknown of findUnknownFields(type.schema, value)) {
    const parsed = parseFieldPath(unknown);
    report(
      parsed.ok ? [...path, ...parsed.path] : path,
      parsed.ok ? 'unknown field' : `unknown field ${quote(unknown)}`,
    );
    ok = false;
  }
  const typeError = ok ? decodeTypeErrors(type.schema, value) : undefined;
  if (typeError !== undefined) {
    report(path, typeError);
    ok = false;
  }
  return ok;
}

/** The objects of one value: itself, or the items of a `kind: List`. */
export function expandManifest(
  value: JsonValue,
  path: ObjectPath,
  report: ManifestReport,
): JsonObject[] | undefined {
  if (isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List')) {
    const items = value.items ?? [];
    if (!Array.isArray(items)) {
      report([...path, 'items'], 'expected a list of objects');
      return undefined;
    }
    const checked = items.map((item, i) => checkManifest(item, [...path, 'items', i], report));
    return checked.every(Boolean) ? (items as JsonObject[]) : undefined;
  }
  return checkManifest(value, path, report) ? [value as JsonObject] : undefined;
}

/**
 * The path of `relative` next to `fileName`, normalised: `examples/s.yaml` + `../m.yaml` →
 * `m.yaml`; an absolute `fileName` gives an absolute path.
 */
export function siblingPath(fileName: string, relative: string): string {
  const slash = fileName.lastIndexOf('/');
  const joined = slash < 0 ? relative : `${fileName.slice(0, slash + 1)}${relative}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return `${joined.startsWith('/') ? '/' : ''}${parts.join('/')}`;
}

function readFile(path: string, context: BuildContext): string | undefined {
  const at: ObjectPath = ['file'];
  if (context.loadFile === undefined) {
    context.error(at, `cannot read ${quote(path)}: no file loader was given`);
    return undefined;
  }
  try {
    const text = context.loadFile(path);
    if (text === undefined) context.error(at, `file not found: ${quote(path)}`);
    return text;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    context.error(at, `cannot read ${quote(path)}: ${why}`);
    return undefined;
  }
}

/** The objects of a manifest file the scenario names; problems are reported in that file. */
export function loadManifestFile(
  written: string,
  context: BuildContext,
): JsonObject[] | typeof invalid {
  const shownName = siblingPath(context.fileName, written);
  const text = readFile(shownName, context);
  if (text === undefined) return invalid;
  const yaml = readYamlText(text);
  let ok = yaml.problems.length === 0;
  for (const problem of yaml.problems)
    context.errorInFile(shownName, problem.line, '', problem.message);
  const objects: JsonObject[] = [];
  for (const document of ok ? yaml.documents : []) {
    const options = {
      document,
      lineOf: yaml.lineOf,
      fileName: shownName,
      loadFile: undefined,
      report: (at: ObjectPath, line: number, message: string) => {
        ok = false;
        context.errorInFile(shownName, line, renderPath(at), message);
      },
      reportInFile: (error: ScenarioError) => {
        ok = false;
        context.errorInFile(error.file, error.line, error.path, error.message);
      },
    };
    const decoded = decodeDocument(options, json('any'), []);
    if (decoded.value === invalid || decoded.value === null) continue;
    const report: ManifestReport = (at, message) =>
      options.report(at, lineOfPath(decoded.state, at), message);
    const expanded = expandManifest(decoded.value as JsonValue, [], report);
    if (expanded === undefined) ok = false;
    else objects.push(...expanded);
  }
  if (objects.length > workloadObjectCountMax) {
    context.error(
      ['file'],
      `${quote(shownName)} holds more than ${workloadObjectCountMax} objects`,
    );
    return invalid;
  }
  return ok ? objects : invalid;
}
