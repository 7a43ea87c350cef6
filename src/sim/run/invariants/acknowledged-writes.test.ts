import { describe, expect, it } from 'vitest';
import type { TransportRequest } from '../../../control/ports/transport.js';
import type { StoredObject, StoreWatchEvent } from '../../../control/store/types.js';
import { AcknowledgedWrites } from './acknowledged-writes.js';
import { StoreCommits } from './store-commits.js';

function configMap(name: string, revision: number, value = 'v'): StoredObject {
  return {
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: String(revision) },
    data: { key: value },
  };
}

function request(method: string, query: Record<string, string> = {}): TransportRequest {
  return { method, path: '/api/v1/namespaces/default/configmaps', query, headers: {}, body: '' };
}

function answer(object: unknown, status = 201) {
  return { status, headers: {}, body: JSON.stringify(object) };
}

function setup(oldestRevision = 0) {
  const found: string[] = [];
  const report = (_: string, message: string) => found.push(message);
  const commits = new StoreCommits({
    report,
    oldestRevision: () => oldestRevision,
    logCountMin: 3,
  });
  commits.start(10);
  const writes = new AcknowledgedWrites({ report, commits });
  const commit = (revision: number, object: StoredObject, prev?: StoredObject) => {
    const type = prev === undefined ? 'ADDED' : 'MODIFIED';
    const key = `/configmaps/default/${String((object.metadata as { name: string }).name)}`;
    const event: StoreWatchEvent = { type, revision, key, object, prevObject: prev };
    commits.onCommit(event);
  };
  return { found, writes, commit };
}

describe('AcknowledgedWrites', () => {
  it('verifies a write answered with the object its revision committed', () => {
    const { found, writes, commit } = setup();
    const created = configMap('a', 11);
    commit(11, created);
    writes.onResponse(request('POST'), answer(created));
    expect(found).toEqual([]);
    expect(writes.verifiedCount).toBe(1);
  });

  it('reports an answer whose revision was never committed', () => {
    const { found, writes, commit } = setup();
    commit(11, configMap('a', 11));
    writes.onResponse(request('POST'), answer(configMap('b', 12)));
    expect(found).toEqual([
      'POST /api/v1/namespaces/default/configmaps (ConfigMap default/b) was answered with ' +
        "revision 12, but the store's last commit is 11",
    ]);
  });

  it('reports an answer that differs from what its revision committed', () => {
    const { found, writes, commit } = setup();
    commit(11, configMap('a', 11));
    writes.onResponse(request('PUT'), answer(configMap('a', 11, 'other'), 200));
    writes.onResponse(request('PUT'), answer(configMap('c', 11), 200));
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('differs from the answer');
    expect(found[1]).toContain('which committed ConfigMap default/a');
  });

  it('ignores dry runs, failures, Status answers and reads', () => {
    const { found, writes } = setup();
    writes.onResponse(request('POST', { dryRun: 'All' }), answer(configMap('x', 99)));
    writes.onResponse(request('POST'), answer(configMap('x', 99), 409));
    writes.onResponse(request('POST'), answer({ kind: 'Status', status: 'Success' }));
    writes.onResponse(request('GET'), answer(configMap('x', 99), 200));
    expect(found).toEqual([]);
  });

  it('counts an answer older than the commits it keeps as unverified', () => {
    const { found, writes, commit } = setup(14);
    let previous: StoredObject | undefined;
    for (let r = 11; r <= 15; r++) {
      const next = configMap('a', r, String(r));
      commit(r, next, previous);
      previous = next;
    }
    writes.onResponse(request('PATCH'), answer(configMap('a', 12, '12'), 200));
    writes.onResponse(request('PATCH'), answer(configMap('a', 13, '13'), 200));
    expect(found).toEqual([]);
    expect(writes.unverifiedCount).toBe(1);
    expect(writes.verifiedCount).toBe(1);
  });
});
