// Per-resource rules the registry applies before admission: what a create resets and what an
// update (main resource or a subresource) keeps from the stored object.
import type { ResourceType } from '../api/registry.js';
import { formatTime } from '../api/values/time.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import type { Draft, DraftValue } from './json-body.js';
import { isDraftObject } from './json-body.js';

/** Metadata fields only the server sets; a client's values are dropped on create. */
const serverOwnedOnCreate = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
  'managedFields',
] as const;

/** Fields an update keeps from the stored object whatever the client sends. */
const preservedOnUpdate = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
] as const;

/** Resources whose status a create keeps (upstream lets nodes post status on create). */
const statusKeptOnCreate = new Set(['nodes']);

export function metadataOf(object: Draft): Draft {
  const meta = object.metadata;
  if (isDraftObject(meta)) return meta;
  const fresh: Draft = {};
  object.metadata = fresh;
  return fresh;
}

function clone(value: JsonValue): DraftValue {
  return JSON.parse(JSON.stringify(value)) as DraftValue;
}

export interface CreateStamp {
  uid: string;
  nowMs: number;
}

/** Resets server-owned metadata and status on a new object (upstream PrepareForCreate). */
export function prepareForCreate(type: ResourceType, object: Draft, stamp: CreateStamp): void {
  const meta = metadataOf(object);
  for (const field of serverOwnedOnCreate) delete meta[field];
  meta.uid = stamp.uid;
  meta.creationTimestamp = formatTime(stamp.nowMs);
  if (type.tracksGeneration) meta.generation = 1;
  if (type.statusFields.includes('status') && !statusKeptOnCreate.has(type.plural)) {
    object.status = {};
  }
}

/** Spec-like content: everything but metadata and the status fields, for change detection. */
function specText(type: ResourceType, object: JsonObject | Draft): string {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) {
    if (key === 'metadata' || key === 'apiVersion' || key === 'kind') continue;
    if (type.statusFields.includes(key)) continue;
    rest[key] = (object as Record<string, unknown>)[key];
  }
  return JSON.stringify(rest);
}

/**
 * Main-resource update (upstream PrepareForUpdate): server-owned metadata and status come from
 * the stored object; generation bumps when the spec changed on types that track it.
 */
export function prepareForUpdate(type: ResourceType, object: Draft, old: JsonObject): void {
  const meta = metadataOf(object);
  const oldMeta = old.metadata as JsonObject;
  for (const field of preservedOnUpdate) {
    const value = oldMeta[field];
    if (value === undefined) delete meta[field];
    else meta[field] = clone(value);
  }
  for (const field of type.statusFields) {
    const value = old[field];
    if (value === undefined) delete object[field];
    else object[field] = clone(value);
  }
  if (type.tracksGeneration && specText(type, object) !== specText(type, old)) {
    const generation = typeof oldMeta.generation === 'number' ? oldMeta.generation : 0;
    meta.generation = generation + 1;
  }
}

/**
 * Status-subresource update: only the status fields come from the client; spec and metadata
 * stay as stored (the client's resourceVersion is kept as the write's precondition).
 */
export function prepareForStatusUpdate(type: ResourceType, object: Draft, old: JsonObject): Draft {
  const next = clone(old) as Draft;
  for (const field of type.statusFields) {
    const value = object[field];
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  const meta = metadataOf(next);
  const incoming = metadataOf(object);
  if (incoming.resourceVersion !== undefined) meta.resourceVersion = incoming.resourceVersion;
  else delete meta.resourceVersion;
  return next;
}
