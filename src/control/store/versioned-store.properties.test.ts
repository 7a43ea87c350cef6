// Properties of the versioned store: compare-and-swap writers never lose an update, and a watch
// from any revision in the history sees every later change exactly once, in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frozen, labelsOf, newStore, ok, resourceVersion } from './testing/store-fixtures.js';
import type { JsonObject, StoredObject, StoreWatchEvent, VersionedStore } from './types.js';

const counterKey = '/configmaps/default/counter';

function counterObject(count: number): StoredObject {
  return frozen({ metadata: { name: 'counter' }, data: { count } });
}

function countOf(object: StoredObject): number {
  return (object.data as JsonObject).count as number;
}

/** A client doing read-modify-write: `read` holds what it last read, undefined before reading. */
interface Writer {
  read: StoredObject | undefined;
}

interface CasOutcome {
  ackedVersions: number[];
  conflictCount: number;
  staleWriteCount: number;
}

/** Runs one step of the scheduled writer: read the counter, or write read + 1 with its RV. */
function step(store: VersionedStore, writer: Writer, outcome: CasOutcome): void {
  if (writer.read === undefined) {
    writer.read = store.get(counterKey);
    return;
  }
  const expectedResourceVersion = resourceVersion(writer.read);
  const stale = expectedResourceVersion !== resourceVersion(store.get(counterKey)!);
  if (stale) outcome.staleWriteCount += 1;
  const result = store.update(counterKey, counterObject(countOf(writer.read) + 1), {
    expectedResourceVersion,
  });
  writer.read = undefined;
  if (!result.ok) {
    expect(result.error.code).toBe('Conflict');
    outcome.conflictCount += 1;
    return;
  }
  expect(stale).toBe(false);
  outcome.ackedVersions.push(Number(resourceVersion(result.value)));
}

describe('VersionedStore compare-and-swap', () => {
  it('acknowledges each update once, in order, and rejects every stale write', async () => {
    const scheduleArb = fc
      .integer({ min: 2, max: 6 })
      .chain((writerCount) =>
        fc.tuple(
          fc.constant(writerCount),
          fc.array(fc.nat(writerCount - 1), { maxLength: 200, size: 'max' }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(scheduleArb, async ([writerCount, schedule]) => {
        const { store } = await newStore();
        ok(store.create(counterKey, counterObject(0)));
        const writers: Writer[] = Array.from({ length: writerCount }, () => ({ read: undefined }));
        const outcome: CasOutcome = { ackedVersions: [], conflictCount: 0, staleWriteCount: 0 };
        for (const writerIndex of schedule) step(store, writers[writerIndex]!, outcome);
        const acked = outcome.ackedVersions;
        for (let i = 1; i < acked.length; i++) expect(acked[i]).toBeGreaterThan(acked[i - 1]!);
        expect(countOf(store.get(counterKey)!)).toBe(acked.length);
        expect(outcome.conflictCount).toBe(outcome.staleWriteCount);
        expect(store.revision).toBe(1 + acked.length);
      }),
      { numRuns: 200 },
    );
  });
});

const writeArb = fc.record({
  key: fc.constantFrom('/w/a', '/w/b', '/w/c', '/x/a'),
  action: fc.constantFrom('put', 'put', 'delete'),
  color: fc.constantFrom('red', 'blue'),
});
type Write = typeof writeArb extends fc.Arbitrary<infer T> ? T : never;

/** Applies a write, turning it into a create/update/delete that succeeds; logs the event. */
function apply(store: VersionedStore, write: Write, log: StoreWatchEvent[]): void {
  const existing = store.get(write.key);
  const object = frozen({ metadata: { name: write.key, labels: { color: write.color } } });
  if (write.action === 'delete') {
    if (existing === undefined) return;
    const last = ok(store.delete(write.key));
    log.push({
      type: 'DELETED',
      key: write.key,
      object: last,
      prevObject: existing,
      revision: store.revision,
    });
    return;
  }
  const stored = ok(
    existing === undefined ? store.create(write.key, object) : store.update(write.key, object),
  );
  const type = existing === undefined ? 'ADDED' : 'MODIFIED';
  log.push({
    type,
    key: write.key,
    object: stored,
    prevObject: existing,
    revision: store.revision,
  });
}

/** The log as a watcher on '/w/' with the filter should see it, computed from first principles. */
function expectedFor(log: readonly StoreWatchEvent[], after: number, filtered: boolean): string[] {
  const passes = (o: StoredObject | undefined): boolean =>
    o !== undefined && (!filtered || labelsOf(o).color === 'red');
  const lines: string[] = [];
  for (const event of log) {
    if (event.revision <= after || !event.key.startsWith('/w/')) continue;
    const now = event.type === 'DELETED' ? false : passes(event.object);
    const before = passes(event.prevObject);
    if (now && before) lines.push(`MODIFIED ${event.revision}`);
    else if (now) lines.push(`ADDED ${event.revision}`);
    else if (before) lines.push(`DELETED ${event.revision}`);
  }
  return lines;
}

describe('VersionedStore watch from history', () => {
  it('delivers every later change exactly once, in revision order, with or without a filter', async () => {
    const caseArb = fc.record({
      before: fc.array(writeArb, { maxLength: 40, size: 'max' }),
      after: fc.array(writeArb, { maxLength: 40, size: 'max' }),
      startFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      filtered: fc.boolean(),
      historyMax: fc.integer({ min: 1, max: 50 }),
    });
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ before, after, startFraction, filtered, historyMax }) => {
        const { store } = await newStore({ watchHistoryCountMax: historyMax });
        const log: StoreWatchEvent[] = [];
        for (const write of before) apply(store, write, log);
        const oldest = store.oldestRevision;
        const start = oldest + Math.floor(startFraction * (store.revision - oldest));
        const seen: string[] = [];
        const filter = filtered ? (o: StoredObject) => labelsOf(o).color === 'red' : undefined;
        const replayFrom = start === 0 ? store.revision : start;
        ok(
          store.watch('/w/', { fromRevision: start, filter }, (event) => {
            seen.push(`${event.type} ${event.revision}`);
          }),
        );
        expect(seen).toEqual(expectedFor(log, replayFrom, filtered));
        for (const write of after) apply(store, write, log);
        expect(seen).toEqual(expectedFor(log, replayFrom, filtered));
      }),
      { numRuns: 200 },
    );
  });
});
