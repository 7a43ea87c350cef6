import { describe, expect, it } from 'vitest';
import type { StoredObject, WatchEventType } from '../../../control/store/types.js';
import { WatchStream } from './watch-stream.js';
import type { ExpectedChange } from './watch-stream.js';

function change(revision: number, type: WatchEventType = 'MODIFIED'): ExpectedChange {
  const object: StoredObject = {
    kind: 'Pod',
    metadata: { name: `p${revision}`, namespace: 'default', resourceVersion: String(revision) },
  };
  return { revision, type, object };
}

const lineOf = (c: ExpectedChange) => `{"type":"${c.type}","object":${JSON.stringify(c.object)}}\n`;

function bookmark(revision: number): string {
  const object = { kind: 'Pod', metadata: { resourceVersion: String(revision) } };
  return `{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`;
}

function liveStream(...queued: ExpectedChange[]) {
  const found: string[] = [];
  const report = (_: string, message: string) => found.push(message);
  const stream = new WatchStream({ label: 'the watch' });
  stream.opening = false;
  stream.lastRevision = 10;
  for (const c of queued) stream.expect(c, report);
  const send = (line: string) => stream.onLine(line, lineOf, report);
  return { stream, found, send, report };
}

describe('WatchStream', () => {
  it('accepts every queued change delivered once, in order', () => {
    const { found, send, stream } = liveStream(change(11, 'ADDED'), change(12), change(13));
    for (const r of [11, 12, 13]) send(lineOf(change(r, r === 11 ? 'ADDED' : 'MODIFIED')));
    expect(found).toEqual([]);
    expect(stream.pendingCount).toBe(0);
    expect(stream.lastRevision).toBe(13);
  });

  it('reports a change delivered twice', () => {
    const { found, send } = liveStream(change(11));
    send(lineOf(change(11)));
    send(lineOf(change(11)));
    expect(found).toEqual(['the watch delivered revision 11 again']);
  });

  it('reports a change delivered out of order', () => {
    const { found, send } = liveStream(change(11), change(12));
    send(lineOf(change(12)));
    send(lineOf(change(11)));
    expect(found).toEqual([
      'the watch never delivered revision 11 (MODIFIED Pod default/p11)',
      'the watch delivered revision 11 after 12',
    ]);
  });

  it('reports a gap when a later change arrives first, and when the next commit comes', () => {
    const { found, send, stream, report } = liveStream(change(11), change(12), change(13));
    send(lineOf(change(13)));
    expect(found).toEqual([
      'the watch never delivered revision 11 (MODIFIED Pod default/p11) and 1 later change(s)',
    ]);
    stream.expect(change(14), report);
    stream.flushOverdue(report);
    expect(found).toHaveLength(2);
    expect(found[1]).toContain('revision 14');
  });

  it('reports a change of the wrong type or with another object', () => {
    const { found, send } = liveStream(change(11, 'ADDED'), change(12));
    send(lineOf(change(11, 'MODIFIED')));
    const other = { ...change(12), object: { ...change(12).object, spec: { x: 1 } } };
    send(lineOf(other));
    expect(found).toEqual([
      'the watch delivered revision 11 (Pod default/p11) as MODIFIED; expected ADDED',
      'the watch delivered revision 12 (Pod default/p12) with an object that differs from ' +
        'the committed one',
    ]);
  });

  it('reports a change no commit it watches produced', () => {
    const { found, send } = liveStream();
    send(lineOf(change(15)));
    expect(found).toEqual([
      'the watch delivered MODIFIED at revision 15, which no commit it watches produced',
    ]);
  });

  it('checks that a bookmark neither goes back nor passes an undelivered change', () => {
    const { found, send } = liveStream(change(11), change(12));
    send(lineOf(change(11)));
    send(bookmark(9));
    send(bookmark(12));
    expect(found).toEqual([
      'the watch sent a BOOKMARK at 9 after delivering 11',
      'the watch never delivered revision 12 (MODIFIED Pod default/p12)',
    ]);
  });

  it('takes initial-state ADDED lines and ends at an ERROR', () => {
    const { found, send, stream } = liveStream();
    stream.snapshot = true;
    expect(send(lineOf(change(3, 'ADDED')))).toBe('open');
    expect(send(lineOf(change(4, 'MODIFIED')))).toBe('open');
    expect(found).toEqual(['the watch sent a non-ADDED line in its initial state']);
    stream.snapshot = false;
    expect(send('{"type":"ERROR","object":{"kind":"Status","code":410}}\n')).toBe('ended');
  });

  it('accepts replayed history it has no log of, in revision order', () => {
    const { found, send, stream } = liveStream(change(14));
    stream.unverifiedThrough = 13;
    send(lineOf(change(12)));
    send(lineOf(change(13)));
    send(lineOf(change(14)));
    expect(found).toEqual([]);
  });
});
