// Turns what GET, LIST and WATCH read into what the client negotiated (handlers' transformObject).
//
// `prepareOutput` runs once per request (Accept header and query); the render functions then build
// the Table or metadata-only shape. A plain-object target renders to `undefined`: the caller keeps
// its own (cached) JSON encoding for that case.
import type { ResourceType } from '../../api/registry.js';
import type { JsonObject } from '../../store/types.js';
import type { ApiError } from '../status.js';
import type { TableListMeta } from './list-meta.js';
import type { OutputTarget } from './negotiate.js';
import { negotiateOutput, notAcceptable } from './negotiate.js';
import { partialObjectMetadata, partialObjectMetadataList } from './partial-metadata.js';
import type { IncludeObject } from './table.js';
import { buildObjectTable, buildTable, parseIncludeObject } from './table.js';

export interface OutputPlan {
  target: OutputTarget;
  /** Only read for Table targets. */
  includeObject: IncludeObject;
}

export type Rendered = { ok: true; value: JsonObject | undefined } | { ok: false; error: ApiError };

/** Negotiates the output and reads the Table options; errors are 406 or 400 Status values. */
export function prepareOutput(
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>>,
): { ok: true; plan: OutputPlan } | { ok: false; error: ApiError } {
  const negotiated = negotiateOutput(headers.accept);
  if (!negotiated.ok) return negotiated;
  const target = negotiated.target;
  if (target.kind !== 'table') return { ok: true, plan: { target, includeObject: 'Metadata' } };
  const options = parseIncludeObject(query);
  if (!options.ok) return options;
  return { ok: true, plan: { target, includeObject: options.includeObject } };
}

/** Go's `%T` of the internal type upstream holds at this point, e.g. `*core.PodList`. */
function internalTypeName(type: ResourceType, list: boolean): string {
  const pkg = type.group === '' ? 'core' : (type.group.split('.')[0] ?? type.group);
  return `*${pkg}.${list ? type.listKind : type.kind}`;
}

/** A list as the plan asks (undefined: the plain list). */
export function renderList(
  type: ResourceType,
  items: readonly JsonObject[],
  listMeta: TableListMeta,
  plan: OutputPlan,
  nowMs: number,
): Rendered {
  const target = plan.target;
  switch (target.kind) {
    case 'object':
      return { ok: true, value: undefined };
    case 'table': {
      const options = { version: target.version, includeObject: plan.includeObject, nowMs };
      const value = buildTable(type, items, { ...options, noHeaders: false, listMeta });
      return { ok: true, value };
    }
    case 'partialObjectMetadataList':
      return { ok: true, value: partialObjectMetadataList(items, target.version, listMeta) };
    case 'partialObjectMetadata': {
      const name = internalTypeName(type, true);
      const message = `you requested PartialObjectMetadata, but the requested object is a list (${name})`;
      return { ok: false, error: notAcceptable(message) };
    }
  }
}

/** One object as the plan asks (undefined: the plain object). */
export function renderObject(
  type: ResourceType,
  object: JsonObject,
  plan: OutputPlan,
  nowMs: number,
): Rendered {
  const target = plan.target;
  switch (target.kind) {
    case 'object':
      return { ok: true, value: undefined };
    case 'table': {
      const options = { version: target.version, includeObject: plan.includeObject, nowMs };
      return { ok: true, value: buildObjectTable(type, object, { ...options, noHeaders: false }) };
    }
    case 'partialObjectMetadata':
      return { ok: true, value: partialObjectMetadata(object, target.version) };
    case 'partialObjectMetadataList': {
      const name = internalTypeName(type, false);
      const message = `you requested PartialObjectMetadataList, but the requested object is not a list (${name})`;
      return { ok: false, error: notAcceptable(message) };
    }
  }
}

/**
 * Renders the objects of one watch stream's events. Like upstream's watch encoder, only the first
 * Table carries columnDefinitions; a conversion that cannot apply (a list kind) sends the object.
 */
export class WatchRenderer {
  readonly #type: ResourceType;
  readonly #plan: OutputPlan;
  #headersSent = false;

  constructor(options: { type: ResourceType; plan: OutputPlan }) {
    this.#type = options.type;
    this.#plan = options.plan;
  }

  /** Whether events need rendering at all (false: send the stored objects as they are). */
  get transforms(): boolean {
    const kind = this.#plan.target.kind;
    return kind === 'table' || kind === 'partialObjectMetadata';
  }

  /** The event object to send, or undefined for the stored object itself. */
  render(object: JsonObject, nowMs: number): JsonObject | undefined {
    const target = this.#plan.target;
    if (target.kind === 'partialObjectMetadata')
      return partialObjectMetadata(object, target.version);
    if (target.kind !== 'table') return undefined;
    const options = {
      version: target.version,
      includeObject: this.#plan.includeObject,
      noHeaders: this.#headersSent,
      nowMs,
    };
    this.#headersSent = true;
    return buildObjectTable(this.#type, object, options);
  }
}
