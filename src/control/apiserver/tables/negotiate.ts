// Output negotiation from the Accept header: a plain object, a meta.k8s.io Table or metadata only.
//
// Follows apiserver's negotiation.NegotiateMediaTypeOptions: clauses are tried in goautoneg order
// (higher q first, then concrete types before wildcards, else as written); the first clause whose
// media type is served and whose `as;g;v` conversion the endpoint allows wins. miniku encodes every
// answer as JSON; yaml and protobuf clauses without a conversion still get JSON, as before.
import type { ApiError } from '../status.js';

export type MetaVersion = 'v1' | 'v1beta1';

export type OutputTarget =
  | { kind: 'object' }
  | { kind: 'table'; version: MetaVersion }
  | { kind: 'partialObjectMetadata'; version: MetaVersion }
  | { kind: 'partialObjectMetadataList'; version: MetaVersion };

export type NegotiationResult = { ok: true; target: OutputTarget } | { ok: false; error: ApiError };

/** Longest Accept header looked at; a longer one is cut (clauses past it are ignored). */
export const acceptHeaderLengthMax = 4096;
/** Most clauses looked at in one Accept header. */
export const acceptClauseCountMax = 32;

interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: ReadonlyMap<string, string>;
  /** Position in the header, so the sort is stable. */
  index: number;
}

/** The media types upstream serves for built-in resources (listed in its 406 message). */
const servedMediaTypes: readonly (readonly [string, string])[] = [
  ['application', 'json'],
  ['application', 'yaml'],
  ['application', 'vnd.kubernetes.protobuf'],
];

const notAcceptableMessage =
  'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf';

export function notAcceptable(message: string): ApiError {
  return { code: 406, reason: 'NotAcceptable', message };
}

function parseParams(parts: readonly string[]): { q: number; params: Map<string, string> } {
  const params = new Map<string, string>();
  let q = 1;
  for (const part of parts) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    const token = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (token === 'q') {
      const parsed = Number(value);
      q = Number.isFinite(parsed) ? parsed : 0;
    } else params.set(token, value);
  }
  return { q, params };
}

/** goautoneg.ParseAccept: malformed media ranges are skipped. */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  const parts = header.slice(0, acceptHeaderLengthMax).split(',');
  for (const [index, part] of parts.slice(0, acceptClauseCountMax).entries()) {
    const [range = '', ...rest] = part.split(';');
    const pieces = range.split('/');
    const type = (pieces[0] ?? '').trim();
    let subType: string;
    if (pieces.length === 1 && type === '*') subType = '*';
    else if (pieces.length === 2) subType = (pieces[1] ?? '').trim();
    else continue;
    clauses.push({ type, subType, index, ...parseParams(rest) });
  }
  return clauses.sort(compareClauses);
}

function compareClauses(a: AcceptClause, b: AcceptClause): number {
  if (a.q !== b.q) return b.q - a.q;
  const aWild = a.type === '*' ? 1 : 0;
  const bWild = b.type === '*' ? 1 : 0;
  if (aWild !== bWild) return aWild - bWild;
  const aSubWild = a.subType === '*' ? 1 : 0;
  const bSubWild = b.subType === '*' ? 1 : 0;
  if (aSubWild !== bSubWild) return aSubWild - bSubWild;
  return a.index - b.index;
}

/** The conversion a clause asks for, if the endpoint allows it for that media type. */
function conversionOf(clause: AcceptClause, subType: string): OutputTarget | undefined {
  const kind = clause.params.get('as');
  const group = clause.params.get('g');
  const version = clause.params.get('v');
  if (kind === undefined && group === undefined && version === undefined) return { kind: 'object' };
  if (group !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) return undefined;
  switch (kind) {
    case 'Table':
      return subType === 'json' || subType === 'yaml' ? { kind: 'table', version } : undefined;
    case 'PartialObjectMetadata':
      return { kind: 'partialObjectMetadata', version };
    case 'PartialObjectMetadataList':
      return { kind: 'partialObjectMetadataList', version };
    default:
      return undefined;
  }
}

function matches(clause: AcceptClause, type: string, subType: string): boolean {
  if (clause.type === '*' && clause.subType === '*') return true;
  return clause.type === type && (clause.subType === subType || clause.subType === '*');
}

/**
 * What a GET, LIST or WATCH answers with. No Accept header: the object. No acceptable clause:
 * 406 NotAcceptable with upstream's message.
 */
export function negotiateOutput(accept: string | undefined): NegotiationResult {
  if (accept === undefined || accept.trim() === '') return { ok: true, target: { kind: 'object' } };
  for (const clause of parseAccept(accept)) {
    for (const [type, subType] of servedMediaTypes) {
      if (!matches(clause, type, subType)) continue;
      const target = conversionOf(clause, subType);
      if (target !== undefined) return { ok: true, target };
    }
  }
  return { ok: false, error: notAcceptable(notAcceptableMessage) };
}
