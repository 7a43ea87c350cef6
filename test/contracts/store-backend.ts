// Contract suite for the StoreBackend port: every backend (memory, write-ahead log, etcd) runs it.
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendWrite, StoreBackend } from '../../src/control/ports/store-backend.js';

export interface StoreBackendFixture {
  backend: StoreBackend;
  /** Opens the same durable state again, as a restarted API server would (after close()). */
  reopen(): Promise<StoreBackend>;
  /** Releases whatever the fixture created (files, connections). */
  cleanup(): Promise<void>;
}

export interface StoreBackendContractOptions {
  /** A fresh, empty backend. */
  newBackend(): Promise<StoreBackendFixture>;
}

function put(revision: number, key: string, value: string): BackendWrite {
  return { op: 'put', revision, key, value };
}

async function reopened(fixture: StoreBackendFixture): Promise<StoreBackend> {
  await fixture.backend.sync();
  await fixture.backend.close();
  return fixture.reopen();
}

export function runStoreBackendContract(name: string, options: StoreBackendContractOptions): void {
  describe(`StoreBackend contract: ${name}`, () => {
    let fixtures: StoreBackendFixture[] = [];
    const open = async (): Promise<StoreBackendFixture> => {
      const fixture = await options.newBackend();
      fixtures.push(fixture);
      return fixture;
    };
    afterEach(async () => {
      for (const fixture of fixtures) await fixture.cleanup();
      fixtures = [];
    });

    it('loads an empty backend at revision 0 with no entries', async () => {
      const { backend } = await open();
      expect(await backend.load()).toEqual({ revision: 0, entries: [] });
    });

    it('resolves sync after appends and with nothing appended', async () => {
      const { backend } = await open();
      await backend.load();
      await expect(backend.sync()).resolves.toBeUndefined();
      backend.append(put(1, '/pods/default/a', '{"a":1}'));
      await expect(backend.sync()).resolves.toBeUndefined();
    });

    it('keeps appended puts and the revision across a reopen', async () => {
      const fixture = await open();
      await fixture.backend.load();
      fixture.backend.append(put(1, '/pods/default/b', '{"n":"b"}'));
      fixture.backend.append(put(2, '/pods/default/a', '{"n":"a"}'));
      const again = await reopened(fixture);
      expect(await again.load()).toEqual({
        revision: 2,
        entries: [
          { key: '/pods/default/a', value: '{"n":"a"}', modRevision: 2 },
          { key: '/pods/default/b', value: '{"n":"b"}', modRevision: 1 },
        ],
      });
    });

    it('keeps only the last value of an overwritten key, with its revision', async () => {
      const fixture = await open();
      await fixture.backend.load();
      fixture.backend.append(put(1, '/nodes/n1', '{"v":1}'));
      fixture.backend.append(put(2, '/nodes/n1', '{"v":2}'));
      fixture.backend.append(put(3, '/nodes/n2', '{"v":3}'));
      const snapshot = await (await reopened(fixture)).load();
      expect(snapshot.revision).toBe(3);
      expect(snapshot.entries).toEqual([
        { key: '/nodes/n1', value: '{"v":2}', modRevision: 2 },
        { key: '/nodes/n2', value: '{"v":3}', modRevision: 3 },
      ]);
    });

    it('applies deletes, and a deleted key can be written again', async () => {
      const fixture = await open();
      await fixture.backend.load();
      fixture.backend.append(put(1, '/pods/ns/a', '{}'));
      fixture.backend.append(put(2, '/pods/ns/b', '{}'));
      fixture.backend.append({ op: 'delete', revision: 3, key: '/pods/ns/a' });
      fixture.backend.append({ op: 'delete', revision: 4, key: '/pods/ns/b' });
      fixture.backend.append(put(5, '/pods/ns/b', '{"again":true}'));
      const snapshot = await (await reopened(fixture)).load();
      expect(snapshot).toEqual({
        revision: 5,
        entries: [{ key: '/pods/ns/b', value: '{"again":true}', modRevision: 5 }],
      });
    });

    it('keeps the revision of a delete even when no key is left', async () => {
      const fixture = await open();
      await fixture.backend.load();
      fixture.backend.append(put(1, '/a', '{}'));
      fixture.backend.append({ op: 'delete', revision: 2, key: '/a' });
      expect(await (await reopened(fixture)).load()).toEqual({ revision: 2, entries: [] });
    });

    it('lists entries in ascending key order by UTF-16 code units', async () => {
      const fixture = await open();
      await fixture.backend.load();
      const keys = ['/x/b', '/x/a-b', '/x/B', '/x/a', '/x/\u00e9', '/x/a/b', '/x/\ud83d\ude00'];
      keys.forEach((key, i) => fixture.backend.append(put(i + 1, key, '{}')));
      const loaded = (await (await reopened(fixture)).load()).entries.map((entry) => entry.key);
      expect(loaded).toEqual([
        '/x/B',
        '/x/a',
        '/x/a-b',
        '/x/a/b',
        '/x/b',
        '/x/\u00e9',
        '/x/\ud83d\ude00',
      ]);
    });

    it('continues after a reopen with the next revision', async () => {
      const fixture = await open();
      await fixture.backend.load();
      fixture.backend.append(put(1, '/k/1', '"one"'));
      const again = await reopened(fixture);
      expect((await again.load()).revision).toBe(1);
      again.append(put(2, '/k/2', '"two"'));
      await again.sync();
      await again.close();
      const third = await fixture.reopen();
      expect(await third.load()).toEqual({
        revision: 2,
        entries: [
          { key: '/k/1', value: '"one"', modRevision: 1 },
          { key: '/k/2', value: '"two"', modRevision: 2 },
        ],
      });
    });

    it('returns values byte for byte, including non-ASCII text', async () => {
      const fixture = await open();
      await fixture.backend.load();
      const value = '{"note":"caf\u00e9 \ud83d\ude00 \\"quoted\\" \\n"}';
      fixture.backend.append(put(1, '/notes/one', value));
      const snapshot = await (await reopened(fixture)).load();
      expect(snapshot.entries[0]?.value).toBe(value);
    });
  });
}
