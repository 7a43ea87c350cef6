// Decoding and checking of a server-side apply body (application/apply-patch+yaml).
//
// Upstream decodes the body with sigs.k8s.io/yaml (YAML to JSON, then encoding/json into a
// map). Here the body is read as YAML 1.2 with the core schema by the `yaml` package, so plain
// JSON and ordinary manifests decode alike; YAML syntax errors keep upstream's prefixes but
// carry the `yaml` package's own description, not go-yaml's.

import { parseDocument } from 'yaml';
import type { JsonValue } from '../../store/types.js';
import type { DraftMap } from './draft.js';
import { draftDepth, isDraftMap, toDraft } from './draft.js';
import type { PatchError } from './patch-error.js';
import { badRequest } from './patch-error.js';
import { goJsonKind, unmarshalTypeError } from './go-json.js';

/** Bounds the expansion of YAML aliases (a billion-laughs body must fail, not allocate). */
const aliasCountMax = 100;

function hasNonFiniteNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'number' && !Number.isFinite(current)) return true;
    if (typeof current === 'object' && current !== null) stack.push(...Object.values(current));
  }
  return false;
}

function yamlError(description: string): PatchError {
  return badRequest(`error decoding YAML: error converting YAML to JSON: yaml: ${description}`);
}

/** Parses an apply body into a map; `null` (an empty body) reads as an empty map. */
export function decodeApplyConfig(
  body: string,
  nestingDepthMax: number,
): { ok: true; value: DraftMap } | { ok: false; error: PatchError } {
  const document = parseDocument(body, { version: '1.2', schema: 'core', merge: false });
  const first = document.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0].line ?? 1;
    const text = first.message.split(' at line ')[0] ?? first.message;
    return { ok: false, error: yamlError(`line ${line}: ${text}`) };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: aliasCountMax });
  } catch (error) {
    return { ok: false, error: yamlError(error instanceof Error ? error.message : 'bad alias') };
  }
  if (value === undefined || value === null) return { ok: true, value: new Map() };
  if (hasNonFiniteNumber(value)) {
    return { ok: false, error: yamlError('a number is out of range (.inf and .nan are not JSON)') };
  }
  const node = toDraft(value as JsonValue);
  if (!isDraftMap(node)) {
    const prefix = 'error decoding YAML: error unmarshaling JSON: while decoding JSON: ';
    const message = prefix + unmarshalTypeError(goJsonKind(node), 'map[string]interface {}');
    return { ok: false, error: badRequest(message) };
  }
  if (draftDepth(node) > nestingDepthMax) {
    return { ok: false, error: yamlError(`exceeded max depth of ${nestingDepthMax}`) };
  }
  return { ok: true, value: node };
}

function stringField(map: DraftMap | undefined, key: string): string {
  const value = map?.get(key);
  return typeof value === 'string' ? value : '';
}

/** Go's GroupVersionKind.String() of an apiVersion and kind: `apps/v1, Kind=Deployment`. */
function gvkText(apiVersion: string, kind: string): string {
  const parts = apiVersion.split('/');
  let group = '';
  let version = '';
  if (parts.length === 1) version = parts[0] ?? '';
  else if (parts.length === 2) [group, version] = parts as [string, string];
  return `${group}/${version}, Kind=${kind}`;
}

/** Upstream's apply checks: the config is of the patched kind and sets no managedFields. */
export function checkApplyConfig(
  config: DraftMap,
  expected: { apiVersion: string; kind: string },
): PatchError | undefined {
  const apiVersion = stringField(config, 'apiVersion');
  const kind = stringField(config, 'kind');
  if (apiVersion !== expected.apiVersion || kind !== expected.kind) {
    return badRequest(`invalid object type: ${gvkText(apiVersion, kind)}`);
  }
  const metadata = config.get('metadata');
  if (
    isDraftMap(metadata) &&
    metadata.has('managedFields') &&
    metadata.get('managedFields') !== null
  ) {
    return badRequest('metadata.managedFields must be nil');
  }
  return undefined;
}
