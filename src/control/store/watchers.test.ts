// Tests of watch delivery through the versioned store: prefixes, replay, filters, cancellation,
// writes and watches started from inside callbacks, errors and the watcher limit.
import { describe, expect, it } from 'vitest';
import { labelsOf, newStore, ok, podObject, resourceVersion } from './testing/store-fixtures.js';
import type { StoredObject, StoreWatchEvent, VersionedStore } from './types.js';

/** Compact form of an event: "TYPE key@revision". */
function brief(event: StoreWatchEvent): string {
  return `${event.type} ${event.key}@${event.revision}`;
}

function recorder(): {
  events: StoreWatchEvent[];
  seen: string[];
  callback: (e: StoreWatchEvent) => void;
} {
  const events: StoreWatchEvent[] = [];
  const seen: string[] = [];
  return {
    events,
    seen,
    callback: (event) => {
      events.push(event);
      seen.push(brief(event));
    },
  };
}

const red = (object: StoredObject): boolean => labelsOf(object).color === 'red';

function colored(store: VersionedStore, key: string, color: string) {
  const existing = store.get(key);
  const pod = podObject(key, { labels: { color } });
  return ok(existing === undefined ? store.create(key, pod) : store.update(key, pod));
}

describe('VersionedStore watch', () => {
  it('from revision 0 delivers later changes with their previous state', async () => {
    const { store } = await newStore();
    ok(store.create('/p/old', podObject('old')));
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 0 }, watch.callback));
    const created = ok(store.create('/p/a', podObject('a')));
    const updated = ok(store.update('/p/a', podObject('a', { data: 1 })));
    const removed = ok(store.delete('/p/a'));
    expect(watch.seen).toEqual(['ADDED /p/a@2', 'MODIFIED /p/a@3', 'DELETED /p/a@4']);
    expect(watch.events.map((e) => [e.object, e.prevObject])).toEqual([
      [created, undefined],
      [updated, created],
      [removed, updated],
    ]);
    expect(watch.events.every((e) => Object.isFrozen(e))).toBe(true);
  });

  it('sees only keys under its prefix, whatever the prefix boundary', async () => {
    const { store } = await newStore();
    const all = recorder();
    const pods = recorder();
    const web = recorder();
    ok(store.watch('', { fromRevision: 0 }, all.callback));
    ok(store.watch('/pods/', { fromRevision: 0 }, pods.callback));
    ok(store.watch('/pods/default/web', { fromRevision: 0 }, web.callback));
    for (const key of ['/pods/default/web-1', '/nodes/n1', '/pods/default/db', '/podsx/a']) {
      ok(store.create(key, podObject(key)));
    }
    expect(all.seen).toHaveLength(4);
    expect(pods.seen).toEqual(['ADDED /pods/default/web-1@1', 'ADDED /pods/default/db@3']);
    expect(web.seen).toEqual(['ADDED /pods/default/web-1@1']);
  });

  it('replays the history synchronously before watch returns, then goes live', async () => {
    const { store } = await newStore();
    ok(store.create('/p/a', podObject('a')));
    ok(store.create('/q/a', podObject('a')));
    ok(store.update('/p/a', podObject('a', { data: 1 })));
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 1 }, watch.callback));
    expect(watch.seen).toEqual(['MODIFIED /p/a@3']);
    ok(store.delete('/p/a'));
    expect(watch.seen).toEqual(['MODIFIED /p/a@3', 'DELETED /p/a@4']);
  });

  it('fails with Expired when the start is older than the history', async () => {
    const { store } = await newStore({ watchHistoryCountMax: 2 });
    for (let i = 0; i < 5; i++) ok(store.create(`/p/${i}`, podObject(`${i}`)));
    expect(store.oldestRevision).toBe(3);
    expect(store.watch('/p/', { fromRevision: 2 }, () => {})).toEqual({
      ok: false,
      error: { code: 'Expired', key: '/p/', requestedRevision: 2, oldestRevision: 3 },
    });
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 3 }, watch.callback));
    expect(watch.seen).toEqual(['ADDED /p/3@4', 'ADDED /p/4@5']);
  });

  it('from a revision beyond the current one delivers only changes after it', async () => {
    const { store } = await newStore();
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 2 }, watch.callback));
    for (let i = 0; i < 4; i++) ok(store.create(`/p/${i}`, podObject(`${i}`)));
    expect(watch.seen).toEqual(['ADDED /p/2@3', 'ADDED /p/3@4']);
  });

  it('turns objects entering and leaving the filter into ADDED and DELETED', async () => {
    const { store } = await newStore();
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 0, filter: red }, watch.callback));
    colored(store, '/p/a', 'blue'); // neither: skipped
    const entered = colored(store, '/p/a', 'red');
    const stayed = colored(store, '/p/a', 'red');
    const left = colored(store, '/p/a', 'green');
    ok(store.delete('/p/a')); // was not red: skipped
    colored(store, '/p/b', 'red');
    ok(store.delete('/p/b'));
    expect(watch.seen).toEqual([
      'ADDED /p/a@2',
      'MODIFIED /p/a@3',
      'DELETED /p/a@4',
      'ADDED /p/b@6',
      'DELETED /p/b@7',
    ]);
    const [added, modified, deleted] = watch.events;
    expect([added?.object, added?.prevObject]).toEqual([entered, undefined]);
    expect([modified?.object, modified?.prevObject]).toEqual([stayed, entered]);
    expect([deleted?.object, deleted?.prevObject]).toEqual([left, stayed]);
  });

  it('applies the filter to replayed changes the same way', async () => {
    const { store } = await newStore();
    colored(store, '/p/a', 'red');
    colored(store, '/p/a', 'blue');
    colored(store, '/p/a', 'red');
    const watch = recorder();
    ok(store.watch('/p/', { fromRevision: 1, filter: red }, watch.callback));
    expect(watch.seen).toEqual(['DELETED /p/a@2', 'ADDED /p/a@3']);
  });
});

describe('VersionedStore watch cancellation and re-entrancy', () => {
  it('cancel stops delivery and is idempotent', async () => {
    const { store } = await newStore();
    const watch = recorder();
    const handle = ok(store.watch('/p/', { fromRevision: 0 }, watch.callback));
    ok(store.create('/p/a', podObject('a')));
    handle.cancel();
    handle.cancel();
    ok(store.create('/p/b', podObject('b')));
    expect(watch.seen).toEqual(['ADDED /p/a@1']);
  });

  it('a callback may cancel its own watch and a later watcher during delivery', async () => {
    const { store } = await newStore();
    const seen: string[] = [];
    const handles: { cancel(): void }[] = [];
    handles.push(
      ok(
        store.watch('/p/', { fromRevision: 0 }, (event) => {
          seen.push(`first ${brief(event)}`);
          handles[0]!.cancel();
          handles[1]!.cancel();
        }),
      ),
    );
    handles.push(
      ok(store.watch('/p/', { fromRevision: 0 }, (e) => seen.push(`second ${brief(e)}`))),
    );
    handles.push(
      ok(store.watch('/p/', { fromRevision: 0 }, (e) => seen.push(`third ${brief(e)}`))),
    );
    ok(store.create('/p/a', podObject('a')));
    ok(store.create('/p/b', podObject('b')));
    expect(seen).toEqual(['first ADDED /p/a@1', 'third ADDED /p/a@1', 'third ADDED /p/b@2']);
  });

  it('a write from a callback reaches every watcher after the current change', async () => {
    const { store } = await newStore();
    const first = recorder();
    const second = recorder();
    ok(
      store.watch('/p/', { fromRevision: 0 }, (event) => {
        first.callback(event);
        if (event.key === '/p/a') ok(store.create('/p/echo', podObject('echo')));
      }),
    );
    ok(store.watch('/p/', { fromRevision: 0 }, second.callback));
    ok(store.create('/p/a', podObject('a')));
    expect(first.seen).toEqual(['ADDED /p/a@1', 'ADDED /p/echo@2']);
    expect(second.seen).toEqual(['ADDED /p/a@1', 'ADDED /p/echo@2']);
  });

  it('a watch started inside a callback gets each change exactly once', async () => {
    const { store } = await newStore();
    const fromNow = recorder();
    const fromBefore = recorder();
    ok(
      store.watch('/p/', { fromRevision: 0 }, (event) => {
        if (event.revision !== 2) return;
        ok(store.watch('/p/', { fromRevision: 0 }, fromNow.callback));
        ok(store.watch('/p/', { fromRevision: 1 }, fromBefore.callback));
      }),
    );
    ok(store.create('/p/a', podObject('a')));
    ok(store.create('/p/b', podObject('b')));
    ok(store.create('/p/c', podObject('c')));
    expect(fromNow.seen).toEqual(['ADDED /p/c@3']);
    expect(fromBefore.seen).toEqual(['ADDED /p/b@2', 'ADDED /p/c@3']);
  });

  it('a throwing callback does not stop delivery to others; the write rethrows', async () => {
    const { store } = await newStore();
    const other = recorder();
    ok(
      store.watch('/p/', { fromRevision: 0 }, () => {
        throw new Error('callback failed');
      }),
    );
    ok(store.watch('/p/', { fromRevision: 0 }, other.callback));
    expect(() => store.create('/p/a', podObject('a'))).toThrow('callback failed');
    expect(resourceVersion(store.get('/p/a')!)).toBe('1');
    expect(other.seen).toEqual(['ADDED /p/a@1']);
  });

  it('a callback throwing during replay cancels the watch and watch rethrows', async () => {
    const { store } = await newStore();
    ok(store.create('/p/a', podObject('a')));
    ok(store.create('/p/b', podObject('b')));
    const calls: string[] = [];
    const failing = (event: StoreWatchEvent): void => {
      calls.push(brief(event));
      throw new Error('replay failed');
    };
    expect(() => store.watch('/p/', { fromRevision: 1 }, failing)).toThrow('replay failed');
    ok(store.create('/p/c', podObject('c')));
    expect(calls).toEqual(['ADDED /p/b@2']);
  });

  it('enforces watcherCountMax, counting only open watches', async () => {
    const { store } = await newStore({ watcherCountMax: 2 });
    const first = ok(store.watch('/p/', { fromRevision: 0 }, () => {}));
    ok(store.watch('/q/', { fromRevision: 0 }, () => {}));
    expect(() => store.watch('/r/', { fromRevision: 0 }, () => {})).toThrow(/watcherCountMax is 2/);
    first.cancel();
    expect(store.watch('/r/', { fromRevision: 0 }, () => {}).ok).toBe(true);
  });
});
