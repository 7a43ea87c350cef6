import { describe, expect, it } from 'vitest';
import type { StoredObject, StoreWatchEvent } from '../../../control/store/types.js';
import { StoreCommits } from './store-commits.js';
import type { InvariantName } from './violation-log.js';

function object(name: string, revision: number, extra: Record<string, string> = {}): StoredObject {
  return {
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', resourceVersion: String(revision) },
    data: extra,
  };
}

function event(
  type: StoreWatchEvent['type'],
  revision: number,
  name: string,
  prevObject?: StoredObject,
): StoreWatchEvent {
  return {
    type,
    revision,
    key: `/configmaps/default/${name}`,
    object: object(name, revision),
    prevObject,
  };
}

function commitsWith(options: { oldest?: () => number; logCountMin?: number } = {}) {
  const found: { invariant: InvariantName; message: string }[] = [];
  const commits = new StoreCommits({
    report: (invariant, message) => found.push({ invariant, message }),
    oldestRevision: options.oldest ?? (() => 0),
    ...(options.logCountMin === undefined ? {} : { logCountMin: options.logCountMin }),
  });
  commits.start(10);
  return { commits, found };
}

describe('StoreCommits', () => {
  it('accepts consecutive commits that replace each key’s last state', () => {
    const { commits, found } = commitsWith();
    const a = event('ADDED', 11, 'a');
    commits.onCommit(a);
    const b = event('MODIFIED', 12, 'a', a.object);
    commits.onCommit(b);
    commits.onCommit(event('DELETED', 13, 'a', b.object));
    expect(found).toEqual([]);
    expect(commits.at(12)).toBe(b);
    expect(commits.lastRevision).toBe(13);
  });

  it('reports a revision that does not increase', () => {
    const { commits, found } = commitsWith();
    commits.onCommit(event('ADDED', 11, 'a'));
    commits.onCommit(event('ADDED', 11, 'b'));
    commits.onCommit(event('ADDED', 9, 'c'));
    expect(found.map((f) => f.invariant)).toEqual([
      'resource-version-order',
      'resource-version-order',
    ]);
    expect(found[1]?.message).toContain('revision 9');
  });

  it('reports an object stamped with another revision than its commit', () => {
    const { commits, found } = commitsWith();
    commits.onCommit({ ...event('ADDED', 11, 'a'), object: object('a', 7) });
    expect(found).toEqual([
      {
        invariant: 'resource-version-order',
        message: 'revision 11 committed /configmaps/default/a with resourceVersion "7"',
      },
    ]);
  });

  it('reports revisions its watch never delivered', () => {
    const { commits, found } = commitsWith();
    commits.onCommit(event('ADDED', 11, 'a'));
    commits.onCommit(event('ADDED', 14, 'b'));
    expect(found.map((f) => f.invariant)).toEqual(['watch-delivery-order']);
    expect(found[0]?.message).toContain('skipped revisions 12 to 13');
  });

  it('reports a write that replaced an older state than the key’s last commit', () => {
    const { commits, found } = commitsWith();
    const a = event('ADDED', 11, 'a');
    commits.onCommit(a);
    commits.onCommit(event('MODIFIED', 12, 'a', a.object));
    // Revision 13 was built on revision 11: what revision 12 acknowledged is silently gone.
    commits.onCommit(event('MODIFIED', 13, 'a', a.object));
    expect(found.map((f) => f.invariant)).toEqual(['acknowledged-write-kept']);
    expect(found[0]?.message).toContain('that write was lost');
  });

  it('reports a create over a live object and a change of a key never created', () => {
    const { commits, found } = commitsWith();
    commits.onCommit(event('ADDED', 11, 'a'));
    commits.onCommit(event('ADDED', 12, 'a'));
    commits.onCommit(event('MODIFIED', 13, 'ghost', object('ghost', 12)));
    expect(found.map((f) => f.invariant)).toEqual([
      'acknowledged-write-kept',
      'acknowledged-write-kept',
    ]);
  });

  it('takes objects from before its start as given', () => {
    const { commits, found } = commitsWith();
    commits.onCommit(event('MODIFIED', 11, 'old', object('old', 4)));
    expect(found).toEqual([]);
  });

  it('keeps the commits the store still keeps, but never fewer than its minimum', () => {
    const oldest = { value: 0 };
    const { commits } = commitsWith({ oldest: () => oldest.value, logCountMin: 2 });
    for (let r = 11; r <= 15; r++) commits.onCommit(event('ADDED', r, `o${r}`));
    expect(commits.at(11)).toBeDefined();
    oldest.value = 14;
    commits.onCommit(event('ADDED', 16, 'o16'));
    expect(commits.at(14)).toBeUndefined();
    expect(commits.at(15)).toBeDefined();
    expect(commits.coveredAfterRevision).toBe(14);
  });
});
