// List reads of the versioned store: prefix scans over the key index, paging with limit and
// afterKey, filters, and reads of an older revision rebuilt from the change history.
import type { ChangeHistory } from './history.js';
import type { SortedKeyIndex } from './key-index.js';
import type { ListResult, ObjectFilter, StoredObject } from './types.js';

export interface ListState {
  readonly index: SortedKeyIndex;
  readonly objects: ReadonlyMap<string, StoredObject>;
  readonly history: ChangeHistory;
  readonly revision: number;
}

export interface PageOptions {
  afterKey?: string | undefined;
  limit?: number | undefined;
  filter?: ObjectFilter | undefined;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The smallest string above every string that starts with `prefix`; undefined if none. */
export function prefixEnd(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end -= 1;
  if (end === 0) return undefined;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}

/** Where a scan starts: after `afterKey` when it lies inside or past the prefix range. */
function scanStart(
  prefix: string,
  afterKey: string | undefined,
): { start: string; after: boolean } {
  if (afterKey !== undefined && afterKey >= prefix) return { start: afterKey, after: true };
  return { start: prefix, after: false };
}

function* keysWithPrefix(
  index: SortedKeyIndex,
  prefix: string,
  afterKey: string | undefined,
): Generator<string, void, undefined> {
  const { start, after } = scanStart(prefix, afterKey);
  for (const key of index.keysFrom(start, after)) {
    if (!key.startsWith(prefix)) return;
    yield key;
  }
}

/** Ascending union of two ascending key sequences, without duplicates. */
function* mergeKeys(left: Iterator<string>, right: readonly string[]): Generator<string> {
  let next = left.next();
  let r = 0;
  while (!next.done || r < right.length) {
    const fromRight = right[r];
    if (next.done || (fromRight !== undefined && fromRight < next.value)) {
      r += 1;
      yield fromRight!;
    } else {
      if (fromRight === next.value) r += 1;
      yield next.value;
      next = left.next();
    }
  }
}

/**
 * Takes up to `limit` matching objects from `keys`. When another one matches, the page is cut:
 * it reports the last key returned and, when `countRest` is given (lists without a filter), how
 * many keys follow it. With a filter the count is omitted, as upstream omits remainingItemCount
 * for selectors: counting would evaluate the filter on the whole rest for every page.
 */
function collectPage(
  keys: Iterable<string>,
  lookup: (key: string) => StoredObject | undefined,
  options: PageOptions & { revision: number; countRest: (lastKey: string) => number },
): ListResult {
  const { filter, revision } = options;
  const limit = options.limit ?? 0;
  const items: StoredObject[] = [];
  let lastKey = '';
  for (const key of keys) {
    const object = lookup(key);
    if (object === undefined || (filter !== undefined && !filter(object))) continue;
    if (limit > 0 && items.length === limit) {
      if (filter !== undefined) return { items, revision, lastKey };
      return { items, revision, lastKey, remainingCount: options.countRest(lastKey) };
    }
    items.push(object);
    lastKey = key;
  }
  return { items, revision };
}

/** How many current keys under `prefix` are greater than `lastKey`, from the index ranks. */
function currentKeysAfter(index: SortedKeyIndex, prefix: string, lastKey: string): number {
  const end = prefixEnd(prefix);
  const endRank = end === undefined ? index.size : index.countBelow(end, false);
  return endRank - index.countBelow(lastKey, true);
}

/** The current state under `prefix`. */
export function listCurrent(state: ListState, prefix: string, options: PageOptions): ListResult {
  const { index, objects } = state;
  return collectPage(keysWithPrefix(index, prefix, options.afterKey), (key) => objects.get(key), {
    ...options,
    revision: state.revision,
    countRest: (lastKey) => currentKeysAfter(index, prefix, lastKey),
  });
}

/**
 * The state under `prefix` as of `atRevision` (oldest revision in the history ≤ atRevision ≤
 * current): the current state with every later change undone, newest first.
 */
export function listAtRevision(
  state: ListState,
  prefix: string,
  options: PageOptions & { atRevision: number },
): ListResult {
  const { index, objects, history } = state;
  const atRevision = options.atRevision;
  const undone = new Map<string, StoredObject | undefined>();
  for (let revision = state.revision; revision > atRevision; revision--) {
    const change = history.at(revision);
    if (change.key.startsWith(prefix)) undone.set(change.key, change.event.prevObject);
  }
  const { start, after } = scanStart(prefix, options.afterKey);
  const undoneKeys = [...undone.keys()]
    .filter((key) => key > start || (!after && key === start))
    .sort(byCodeUnits);
  const keys = mergeKeys(keysWithPrefix(index, prefix, options.afterKey), undoneKeys);
  const lookup = (key: string): StoredObject | undefined =>
    undone.has(key) ? undone.get(key) : objects.get(key);
  // Keys after lastKey then = keys after it now, plus undone deletes, minus undone creates.
  const countRest = (lastKey: string): number => {
    let count = currentKeysAfter(index, prefix, lastKey);
    for (const [key, then] of undone) {
      if (key <= lastKey) continue;
      count += (then === undefined ? 0 : 1) - (objects.has(key) ? 1 : 0);
    }
    return count;
  };
  return collectPage(keys, lookup, { ...options, revision: atRevision, countRest });
}
