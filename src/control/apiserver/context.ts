// What every API request handler shares: the store, the clock, Rng streams, admission, limits.
import type { PassiveClock, Clock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import type { VersionedStore } from '../store/types.js';
import type { ResourceType } from '../api/registry.js';
import { qualifiedResource } from '../api/registry.js';
import type { AdmissionPlugin } from './admission.js';
import type { BodyLimits } from './json-body.js';
import { JsonCache } from './responses.js';
import type { ResourceRef } from './status.js';

export interface ApiServerLimits extends BodyLimits {
  /** Largest page a list returns, whatever `limit` asks (0 = no cap). */
  listLimitMax: number;
  /** Open watch streams at once; more are refused with 429. */
  watchCountMax: number;
}

export interface ServerContext {
  store: VersionedStore;
  clock: Clock & PassiveClock;
  namesRng: Rng;
  uidsRng: Rng;
  watchRng: Rng;
  admission: readonly AdmissionPlugin[];
  limits: ApiServerLimits;
  json: JsonCache;
  /** Watch streams open now (bounded by limits.watchCountMax). */
  openWatchCount: number;
  /** Interval between BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs: number;
  /** Server-side watch timeout when the client gives none: [min, 2×min), like upstream. */
  watchTimeoutMinMs: number;
}

export function refOf(type: ResourceType): ResourceRef {
  return { group: type.group, plural: type.plural };
}

/** Store key of one object: `/pods/default/web-1`, `/nodes/worker-1`. */
export function objectKey(type: ResourceType, namespace: string, name: string): string {
  const base = `/${qualifiedResource(type)}/`;
  return type.namespaced ? `${base}${namespace}/${name}` : `${base}${name}`;
}

/** Key prefix of a collection: one namespace, or all of them when namespace is ''. */
export function collectionPrefix(type: ResourceType, namespace: string): string {
  const base = `/${qualifiedResource(type)}/`;
  return type.namespaced && namespace !== '' ? `${base}${namespace}/` : base;
}
