// Unit tests of the versioned store's reads, writes, errors, lists and restart over a backend.
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './memory-backend.js';
import { frozen, newStore, ok, podObject, resourceVersion } from './testing/store-fixtures.js';
import type { JsonObject, StoredObject } from './types.js';
import { createVersionedStore } from './versioned-store.js';

function names(items: readonly StoredObject[]): string[] {
  return items.map((item) => (item.metadata as JsonObject).name as string);
}

describe('VersionedStore writes', () => {
  it('starts empty at revision 0', async () => {
    const { store } = await newStore();
    expect(store.revision).toBe(0);
    expect(store.oldestRevision).toBe(0);
    expect(store.get('/pods/default/a')).toBeUndefined();
  });

  it('create stamps the next revision on a new frozen object and shares the rest', async () => {
    const { store } = await newStore();
    const pod = podObject('a', { data: { n: 1 } });
    const created = ok(store.create('/pods/default/a', pod));
    expect(resourceVersion(created)).toBe('1');
    expect(store.revision).toBe(1);
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.metadata)).toBe(true);
    expect(created.spec).toBe(pod.spec);
    expect((pod.metadata as JsonObject).resourceVersion).toBeUndefined();
    expect(store.get('/pods/default/a')).toBe(created);
  });

  it('create on an existing key fails with AlreadyExists and commits nothing', async () => {
    const { store } = await newStore();
    ok(store.create('/pods/default/a', podObject('a')));
    const again = store.create('/pods/default/a', podObject('a'));
    expect(again).toEqual({ ok: false, error: { code: 'AlreadyExists', key: '/pods/default/a' } });
    expect(store.revision).toBe(1);
  });

  it('rejects objects that are not frozen, lack metadata or are not JSON-safe', async () => {
    const { store } = await newStore();
    expect(() => store.create('/x/a', { metadata: {} })).toThrow(/deep-frozen/);
    expect(() => store.create('/x/a', frozen({ spec: {} }))).toThrow(/metadata/);
    expect(() => store.create('/x/a', frozen({ metadata: {}, n: Number.NaN }))).toThrow(/finite/);
    expect(store.revision).toBe(0);
    expect(store.get('/x/a')).toBeUndefined();
  });

  it('update with the current resourceVersion commits a new revision', async () => {
    const { store } = await newStore();
    const created = ok(store.create('/pods/default/a', podObject('a')));
    const updated = store.update('/pods/default/a', podObject('a', { data: 2 }), {
      expectedResourceVersion: resourceVersion(created),
    });
    expect(resourceVersion(ok(updated))).toBe('2');
    expect(store.get('/pods/default/a')).toBe(ok(updated));
  });

  it('update with a stale or empty resourceVersion fails with Conflict', async () => {
    const { store } = await newStore();
    ok(store.create('/pods/default/a', podObject('a')));
    ok(store.update('/pods/default/a', podObject('a', { data: 2 })));
    for (const expectedResourceVersion of ['1', '']) {
      const stale = store.update('/pods/default/a', podObject('a', { data: 3 }), {
        expectedResourceVersion,
      });
      expect(stale).toEqual({ ok: false, error: { code: 'Conflict', key: '/pods/default/a' } });
    }
    expect(store.revision).toBe(2);
  });

  it('update without a resourceVersion is unconditional; a missing key is NotFound', async () => {
    const { store } = await newStore();
    ok(store.create('/pods/default/a', podObject('a')));
    expect(resourceVersion(ok(store.update('/pods/default/a', podObject('a'))))).toBe('2');
    const missing = store.update('/pods/default/b', podObject('b'));
    expect(missing).toEqual({ ok: false, error: { code: 'NotFound', key: '/pods/default/b' } });
  });

  it('delete returns the last state stamped with the deleting revision', async () => {
    const { store } = await newStore();
    const created = ok(store.create('/pods/default/a', podObject('a', { data: 7 })));
    const removed = ok(store.delete('/pods/default/a'));
    expect(resourceVersion(removed)).toBe('2');
    expect(removed.spec).toBe(created.spec);
    expect(store.get('/pods/default/a')).toBeUndefined();
    expect(store.delete('/pods/default/a')).toEqual({
      ok: false,
      error: { code: 'NotFound', key: '/pods/default/a' },
    });
  });

  it('delete checks resourceVersion and uid preconditions', async () => {
    const { store } = await newStore();
    ok(store.create('/pods/default/a', podObject('a', { uid: 'u-1' })));
    const conflict = { ok: false, error: { code: 'Conflict', key: '/pods/default/a' } };
    expect(store.delete('/pods/default/a', { expectedResourceVersion: '9' })).toEqual(conflict);
    expect(store.delete('/pods/default/a', { expectedUid: 'u-2' })).toEqual(conflict);
    expect(store.revision).toBe(1);
    const removed = store.delete('/pods/default/a', {
      expectedResourceVersion: '1',
      expectedUid: 'u-1',
    });
    expect(removed.ok).toBe(true);
  });

  it('writes canonical JSON puts and deletes to the backend', async () => {
    const { store, backend } = await newStore();
    ok(store.create('/x/a', frozen({ metadata: { name: 'a' }, b: 1, a: [true, null, 'é'] })));
    ok(store.create('/x/b', frozen({ metadata: { name: 'b' } })));
    ok(store.delete('/x/b'));
    expect(await backend.load()).toEqual({
      revision: 3,
      entries: [
        {
          key: '/x/a',
          value: '{"a":[true,null,"é"],"b":1,"metadata":{"name":"a","resourceVersion":"1"}}',
          modRevision: 1,
        },
      ],
    });
    await expect(store.sync()).resolves.toBeUndefined();
  });
});

describe('VersionedStore lists', () => {
  async function storeWith(keys: string[], options: { watchHistoryCountMax?: number } = {}) {
    const { store } = await newStore(options);
    for (const key of keys) {
      const color = key.endsWith('1') ? 'red' : 'blue';
      ok(store.create(key, podObject(key, { labels: { color } })));
    }
    return store;
  }
  const red = (object: StoredObject): boolean =>
    ((object.metadata as JsonObject).labels as JsonObject).color === 'red';

  it('lists keys under a prefix in ascending code-unit order', async () => {
    const store = await storeWith(['/p/b', '/p/a-1', '/p/B', '/p/a', '/q/a', '/pp/a', '/p/a/1']);
    const listed = ok(store.list('/p/'));
    expect(names(listed.items)).toEqual(['/p/B', '/p/a', '/p/a-1', '/p/a/1', '/p/b']);
    expect(listed).toMatchObject({ revision: 7 });
    expect(listed.lastKey).toBeUndefined();
    expect(listed.remainingCount).toBeUndefined();
  });

  it('pages with limit and afterKey, reporting the last key and what remains', async () => {
    const store = await storeWith(['/p/1', '/p/2', '/p/3', '/p/4', '/p/5', '/q/1']);
    const first = ok(store.list('/p/', { limit: 2 }));
    expect(first).toMatchObject({ lastKey: '/p/2', remainingCount: 3 });
    const second = ok(store.list('/p/', { limit: 2, afterKey: first.lastKey }));
    expect(names(second.items)).toEqual(['/p/3', '/p/4']);
    expect(second).toMatchObject({ lastKey: '/p/4', remainingCount: 1 });
    const last = ok(store.list('/p/', { limit: 2, afterKey: second.lastKey }));
    expect(names(last.items)).toEqual(['/p/5']);
    expect(last.lastKey).toBeUndefined();
  });

  it('does not report a cut when the limit equals what is left', async () => {
    const store = await storeWith(['/p/1', '/p/2']);
    const listed = ok(store.list('/p/', { limit: 2 }));
    expect(names(listed.items)).toEqual(['/p/1', '/p/2']);
    expect(listed.lastKey).toBeUndefined();
  });

  it('applies the limit after the filter and omits the remaining count, like upstream', async () => {
    const store = await storeWith(['/p/a1', '/p/b2', '/p/c1', '/p/d2', '/p/e1', '/p/f1']);
    const page = ok(store.list('/p/', { limit: 2, filter: red }));
    expect(names(page.items)).toEqual(['/p/a1', '/p/c1']);
    expect(page.lastKey).toBe('/p/c1');
    expect(page.remainingCount).toBeUndefined();
    const rest = ok(store.list('/p/', { limit: 2, filter: red, afterKey: page.lastKey }));
    expect(names(rest.items)).toEqual(['/p/e1', '/p/f1']);
    expect(rest.lastKey).toBeUndefined();
  });

  it('counts what remains at an older revision from the index and the undone changes', async () => {
    const store = await storeWith(['/p/1', '/p/2', '/p/3', '/p/4']);
    ok(store.delete('/p/3'));
    ok(store.create('/p/5', podObject('/p/5')));
    ok(store.create('/p/0', podObject('/p/0')));
    const page = ok(store.list('/p/', { atRevision: 4, limit: 1 }));
    expect(names(page.items)).toEqual(['/p/1']);
    expect(page).toMatchObject({ lastKey: '/p/1', remainingCount: 3 });
  });

  it('treats an afterKey before the prefix as no afterKey', async () => {
    const store = await storeWith(['/a/1', '/p/1', '/p/2']);
    expect(names(ok(store.list('/p/', { afterKey: '/a/1' })).items)).toEqual(['/p/1', '/p/2']);
    expect(names(ok(store.list('/p/', { afterKey: '/p/2' })).items)).toEqual([]);
  });

  it('reads an older revision, including deleted and not yet created objects', async () => {
    const store = await storeWith(['/p/1', '/p/2']);
    ok(store.update('/p/1', podObject('/p/1', { data: 'new' })));
    ok(store.delete('/p/2'));
    ok(store.create('/p/3', podObject('/p/3')));
    const old = ok(store.list('/p/', { atRevision: 2 }));
    expect(old.revision).toBe(2);
    expect(names(old.items)).toEqual(['/p/1', '/p/2']);
    expect(old.items.map(resourceVersion)).toEqual(['1', '2']);
    expect(names(ok(store.list('/p/', { atRevision: 4 })).items)).toEqual(['/p/1']);
    expect(ok(store.list('/p/', { atRevision: 99 })).revision).toBe(5);
  });

  it('fails with Expired when the revision is older than the history', async () => {
    const store = await storeWith(['/p/1', '/p/2', '/p/3', '/p/4'], { watchHistoryCountMax: 2 });
    expect(store.oldestRevision).toBe(2);
    expect(ok(store.list('/p/', { atRevision: 2 })).items).toHaveLength(2);
    expect(store.list('/p/', { atRevision: 1 })).toEqual({
      ok: false,
      error: { code: 'Expired', key: '/p/', requestedRevision: 1, oldestRevision: 2 },
    });
  });
});

describe('VersionedStore restart', () => {
  it('resumes over the same backend with its objects and revision', async () => {
    const backend = new MemoryBackend();
    const { store } = await newStore({ backend });
    ok(store.create('/p/1', podObject('/p/1', { data: { deep: [1, 2] } })));
    ok(store.create('/p/2', podObject('/p/2')));
    ok(store.update('/p/1', podObject('/p/1', { data: { deep: [3] } })));
    ok(store.delete('/p/2'));
    const restarted = await createVersionedStore({ backend });
    expect(restarted.revision).toBe(4);
    expect(restarted.oldestRevision).toBe(4);
    expect(restarted.get('/p/1')).toEqual(store.get('/p/1'));
    expect(restarted.get('/p/2')).toBeUndefined();
    const spec = restarted.get('/p/1')!.spec as JsonObject;
    expect(Object.isFrozen((spec.data as JsonObject).deep)).toBe(true);
    expect(restarted.watch('/p/', { fromRevision: 2 }, () => {})).toMatchObject({
      ok: false,
      error: { code: 'Expired', requestedRevision: 2, oldestRevision: 4 },
    });
    expect(resourceVersion(ok(restarted.create('/p/3', podObject('/p/3'))))).toBe('5');
    expect(names(ok(restarted.list('/p/')).items)).toEqual(['/p/1', '/p/3']);
  });

  it('refuses a backend entry whose resourceVersion disagrees with its revision', async () => {
    const backend = new MemoryBackend();
    backend.append({
      op: 'put',
      revision: 1,
      key: '/p/1',
      value: '{"metadata":{"resourceVersion":"7"}}',
    });
    await expect(createVersionedStore({ backend })).rejects.toThrow(/resourceVersion 7/);
  });
});
