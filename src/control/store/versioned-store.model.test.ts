// Model-based test of the versioned store: random writes, paged lists at old revisions and
// watches, checked after every command against a plain Map and a log of every committed change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frozen, labelsOf, newStore, ok, resourceVersion } from './testing/store-fixtures.js';
import type { JsonObject, StoredObject, StoreWatchEvent, VersionedStore } from './types.js';

interface ModelObject {
  color: string;
  data: number;
  rv: number;
  uid: string;
}

/** A committed change: `object` is undefined for a delete. */
interface LogEntry {
  revision: number;
  key: string;
  object: ModelObject | undefined;
  prev: ModelObject | undefined;
}

interface ModelWatch {
  prefix: string;
  filtered: boolean;
  afterRevision: number;
  cancelledAt: number | undefined;
  seen: string[];
  handle: { cancel(): void };
}

const keys = ['/a/1', '/a/2', '/a/10', '/ab/1', '/b/1'];
const prefixes = ['', '/a', '/a/', '/a/1', '/ab/', '/b/'];
const keyArb = fc.constantFrom(...keys);
const prefixArb = fc.constantFrom(...prefixes);
const colorArb = fc.constantFrom('red', 'blue');
const preconditionArb = fc.constantFrom('current', 'stale', 'none');

const commandArb = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    key: keyArb,
    color: colorArb,
    data: fc.nat(9),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    key: keyArb,
    color: colorArb,
    data: fc.nat(9),
    rv: preconditionArb,
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    key: keyArb,
    rv: preconditionArb,
    uid: preconditionArb,
  }),
  fc.record({
    kind: fc.constant('list' as const),
    prefix: prefixArb,
    /** How many revisions back to read; null reads the current state. */
    back: fc.option(fc.nat(15)),
    limit: fc.nat(3),
    filtered: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('watch' as const),
    prefix: prefixArb,
    from: fc.option(fc.double({ min: 0, max: 1.2, noNaN: true })),
    filtered: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(20) }),
);
type Command = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;

const isRed = (object: StoredObject): boolean => labelsOf(object).color === 'red';

function viewOf(object: StoredObject): ModelObject {
  const metadata = object.metadata as JsonObject;
  const spec = object.spec as JsonObject;
  const color = labelsOf(object).color as string;
  return {
    color,
    data: spec.data as number,
    rv: Number(resourceVersion(object)),
    uid: metadata.uid as string,
  };
}

function show(object: ModelObject | undefined): string {
  return object === undefined ? '-' : `${object.color}/${object.data}@${object.rv}`;
}

/** What a watcher must see for one logged change (see the filter rules in types.ts). */
function expectedEvent(entry: LogEntry, filtered: boolean): string | undefined {
  const { key, object, prev } = entry;
  const last = prev === undefined ? undefined : { ...prev, rv: entry.revision };
  const passes = (o: ModelObject | undefined): boolean =>
    o !== undefined && (!filtered || o.color === 'red');
  if (prev === undefined) return passes(object) ? `ADDED ${key} ${show(object)} -` : undefined;
  if (object === undefined)
    return passes(prev) ? `DELETED ${key} ${show(last)} ${show(prev)}` : undefined;
  if (passes(object)) {
    return passes(prev)
      ? `MODIFIED ${key} ${show(object)} ${show(prev)}`
      : `ADDED ${key} ${show(object)} -`;
  }
  return passes(prev) ? `DELETED ${key} ${show(object)} ${show(prev)}` : undefined;
}

function seenForm(event: StoreWatchEvent): string {
  const prev = event.type === 'ADDED' ? undefined : viewOf(event.prevObject!);
  expect(event.revision).toBe(viewOf(event.object).rv);
  return `${event.type} ${event.key} ${show(viewOf(event.object))} ${show(prev)}`;
}

class Model {
  objects = new Map<string, ModelObject>();
  /** states[r]: the objects as of revision r. */
  states: Map<string, ModelObject>[] = [new Map()];
  log: LogEntry[] = [];
  watches: ModelWatch[] = [];

  constructor(readonly historyMax: number) {}

  get revision(): number {
    return this.log.length;
  }

  get oldestRevision(): number {
    return Math.max(0, this.revision - this.historyMax);
  }

  commit(key: string, object: ModelObject | undefined): void {
    const prev = this.objects.get(key);
    if (object === undefined) this.objects.delete(key);
    else this.objects.set(key, object);
    this.log.push({ revision: this.revision + 1, key, object, prev });
    this.states.push(new Map(this.objects));
  }

  expectedSeen(watch: ModelWatch): string[] {
    const end = watch.cancelledAt ?? this.revision;
    return this.log
      .filter((e) => e.revision > watch.afterRevision && e.revision <= end)
      .filter((e) => e.key.startsWith(watch.prefix))
      .map((e) => expectedEvent(e, watch.filtered))
      .filter((line): line is string => line !== undefined);
  }
}

function pod(key: string, color: string, data: number, uid: string): StoredObject {
  return frozen({ metadata: { name: key, uid, labels: { color } }, spec: { data } });
}

function precondition(choice: string, current: string | undefined, stale: string) {
  return choice === 'current' ? current : choice === 'stale' ? stale : undefined;
}

function runWrite(store: VersionedStore, model: Model, command: Command): void {
  if (command.kind !== 'create' && command.kind !== 'update' && command.kind !== 'delete') return;
  const { key } = command;
  const current = model.objects.get(key);
  const currentRv = current === undefined ? undefined : String(current.rv);
  const staleRv = String(Math.max(0, (current?.rv ?? 1) - 1));
  if (command.kind === 'create') {
    const uid = `${key}#${model.revision + 1}`;
    const result = store.create(key, pod(key, command.color, command.data, uid));
    if (current !== undefined)
      return expect(result).toMatchObject({ error: { code: 'AlreadyExists' } });
    model.commit(key, { color: command.color, data: command.data, rv: model.revision + 1, uid });
    return expect(viewOf(ok(result))).toEqual(model.objects.get(key));
  }
  const expectedResourceVersion = precondition(command.rv, currentRv, staleRv);
  if (command.kind === 'update') {
    const uid = current?.uid ?? 'none';
    const result = store.update(key, pod(key, command.color, command.data, uid), {
      expectedResourceVersion,
    });
    if (current === undefined) return expect(result).toMatchObject({ error: { code: 'NotFound' } });
    if (command.rv === 'stale')
      return expect(result).toMatchObject({ error: { code: 'Conflict' } });
    model.commit(key, { color: command.color, data: command.data, rv: model.revision + 1, uid });
    return expect(viewOf(ok(result))).toEqual(model.objects.get(key));
  }
  const expectedUid = precondition(command.uid, current?.uid, 'wrong-uid');
  const result = store.delete(key, { expectedResourceVersion, expectedUid });
  if (current === undefined) return expect(result).toMatchObject({ error: { code: 'NotFound' } });
  if (command.rv === 'stale' || command.uid === 'stale') {
    return expect(result).toMatchObject({ error: { code: 'Conflict' } });
  }
  model.commit(key, undefined);
  expect(viewOf(ok(result))).toEqual({ ...current, rv: model.revision });
}

function runList(store: VersionedStore, model: Model, command: Command & { kind: 'list' }): void {
  const atRevision = command.back === null ? 0 : Math.max(0, model.revision - command.back);
  const options = {
    atRevision,
    limit: command.limit,
    ...(command.filtered ? { filter: isRed } : {}),
  };
  const first = store.list(command.prefix, options);
  if (atRevision > 0 && atRevision < model.revision && atRevision < model.oldestRevision) {
    return expect(first).toMatchObject({
      error: { code: 'Expired', oldestRevision: model.oldestRevision },
    });
  }
  const readAt = atRevision === 0 || atRevision >= model.revision ? model.revision : atRevision;
  const expected = [...model.states[readAt]!.entries()]
    .filter(
      ([key, object]) =>
        key.startsWith(command.prefix) && (!command.filtered || object.color === 'red'),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, object]) => `${key} ${show(object)}`);
  const listed: string[] = [];
  let page = ok(first);
  for (let pageCount = 0; pageCount <= keys.length; pageCount++) {
    expect(page.revision).toBe(readAt);
    listed.push(
      ...page.items.map(
        (item) => `${(item.metadata as JsonObject).name as string} ${show(viewOf(item))}`,
      ),
    );
    if (page.lastKey === undefined) break;
    const remaining = command.filtered ? undefined : expected.length - listed.length;
    expect(page.remainingCount).toBe(remaining);
    page = ok(store.list(command.prefix, { ...options, afterKey: page.lastKey }));
  }
  expect(listed).toEqual(expected);
}

function runWatch(store: VersionedStore, model: Model, command: Command & { kind: 'watch' }): void {
  const fromRevision = command.from === null ? 0 : Math.floor(command.from * model.revision);
  const seen: string[] = [];
  const filter = command.filtered ? { filter: isRed } : {};
  const result = store.watch(command.prefix, { fromRevision, ...filter }, (e) =>
    seen.push(seenForm(e)),
  );
  if (fromRevision > 0 && fromRevision < model.oldestRevision) {
    return expect(result).toMatchObject({
      error: { code: 'Expired', requestedRevision: fromRevision },
    });
  }
  const afterRevision = fromRevision === 0 ? model.revision : fromRevision;
  const { prefix, filtered } = command;
  model.watches.push({
    prefix,
    filtered,
    afterRevision,
    cancelledAt: undefined,
    seen,
    handle: ok(result),
  });
}

function runCommand(store: VersionedStore, model: Model, command: Command): void {
  if (command.kind === 'list') return runList(store, model, command);
  if (command.kind === 'watch') return runWatch(store, model, command);
  if (command.kind === 'cancel') {
    const watch = model.watches[command.index % Math.max(1, model.watches.length)];
    watch?.handle.cancel();
    if (watch !== undefined) watch.cancelledAt ??= model.revision;
    return;
  }
  runWrite(store, model, command);
}

function checkAgainstModel(store: VersionedStore, model: Model): void {
  expect(store.revision).toBe(model.revision);
  expect(store.oldestRevision).toBe(model.oldestRevision);
  const all = ok(store.list('')).items.map(viewOf);
  const expected = [...model.objects.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, o]) => o);
  expect(all).toEqual(expected);
  for (const watch of model.watches) expect(watch.seen).toEqual(model.expectedSeen(watch));
}

describe('VersionedStore against a model', () => {
  it('agrees with a Map and a change log over random commands', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        fc.array(commandArb, { maxLength: 80, size: 'max' }),
        async (historyMax, commands) => {
          const { store } = await newStore({ watchHistoryCountMax: historyMax });
          const model = new Model(historyMax);
          for (const command of commands) {
            runCommand(store, model, command);
            checkAgainstModel(store, model);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
