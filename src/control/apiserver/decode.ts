// Decoding a write's body into a draft object: kind checks, type errors, unknown fields.
import type { ResourceType } from '../api/registry.js';
import { decodeTypeErrors, findUnknownFields, pruneUnknownFields } from '../api/index.js';
import { findDuplicateFields } from '../api/schema/duplicate-fields.js';
import type { BodyLimits, Draft } from './json-body.js';
import { isDraftObject, parseJsonBody } from './json-body.js';
import type { ApiError } from './status.js';
import { badRequest } from './status.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export type Decoded =
  { ok: true; draft: Draft; warnings: string[] } | { ok: false; error: ApiError };

const quoteLengthMax = 1024;

function quoted(text: string): string {
  return text.length > quoteLengthMax ? `${text.slice(0, quoteLengthMax)}...` : text;
}

/** Reads `fieldValidation` from the query; upstream's default is Warn. */
export function fieldValidationOf(
  query: Record<string, string>,
): { ok: true; mode: FieldValidation } | { ok: false; error: ApiError } {
  const raw = query.fieldValidation;
  if (raw === undefined || raw === '') return { ok: true, mode: 'Warn' };
  if (raw === 'Strict' || raw === 'Warn' || raw === 'Ignore') return { ok: true, mode: raw };
  return {
    ok: false,
    error: badRequest(
      `fieldValidation parameter unsupported: ${raw}; must be one of Ignore, Warn, Strict`,
    ),
  };
}

/** Parses and checks a body meant to become an object of `type` (or of `kindSchema`). */
export function decodeObjectBody(
  text: string,
  type: ResourceType,
  mode: FieldValidation,
  limits: BodyLimits,
): Decoded {
  const parsed = parseJsonBody(text, limits);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!isDraftObject(value)) {
    return {
      ok: false,
      error: badRequest(
        `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJsonKind(value)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      ),
    };
  }
  const kindError = checkKind(value, type, text);
  if (kindError !== undefined) return { ok: false, error: kindError };
  const cannot = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}`;
  const typeError = decodeTypeErrors(type.schema, value);
  if (typeError !== undefined) return { ok: false, error: badRequest(`${cannot}: ${typeError}`) };
  const unknown = findUnknownFields(type.schema, value);
  const problems = mode === 'Ignore' ? [] : strictProblems(text, unknown);
  if (problems.length === 0) {
    return { ok: true, draft: unknown.length === 0 ? value : prune(type, value), warnings: [] };
  }
  if (mode === 'Strict') {
    return {
      ok: false,
      error: badRequest(`${cannot}: strict decoding error: ${problems.join(', ')}`),
    };
  }
  return { ok: true, draft: unknown.length === 0 ? value : prune(type, value), warnings: problems };
}

/**
 * What a strict decoder reports: unknown fields, then duplicate fields that are not inside an
 * unknown one (upstream never decodes those, so it cannot see their duplicates).
 */
export function strictProblems(text: string, unknown: readonly string[]): string[] {
  const under = (path: string): boolean =>
    unknown.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  const duplicates = findDuplicateFields(text).filter((path) => !under(path));
  return [
    ...unknown.map((path) => `unknown field "${path}"`),
    ...duplicates.map((path) => `duplicate field "${path}"`),
  ];
}

function prune(type: ResourceType, value: Draft): Draft {
  return pruneUnknownFields(type.schema, value) as Draft;
}

function checkKind(value: Draft, type: ResourceType, text: string): ApiError | undefined {
  const kind = value.kind;
  const apiVersion = value.apiVersion;
  if (typeof kind !== 'string' || kind === '') {
    return badRequest(`Object 'Kind' is missing in '${quoted(text)}'`);
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    return badRequest(`Object 'apiVersion' is missing in '${quoted(text)}'`);
  }
  if (apiVersion !== type.apiVersion) {
    return badRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (${type.apiVersion})`,
    );
  }
  if (kind !== type.kind) {
    return badRequest(
      `the kind in the data (${kind}) does not match the expected kind (${type.kind})`,
    );
  }
  return undefined;
}

/** Go's encoding/json name for a JSON value's kind, as its error messages use. */
export function goJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}
