// Tests of watch stream reading: line splitting, event parsing and how a stream ends.

import { describe, expect, it } from 'vitest';
import { isExpired, isNotFound } from './errors.js';
import type { KubeObject, WatchEvent } from './types.js';
import type { WatchEnd } from './watch-stream.js';
import { parseWatchEvent, WatchSink } from './watch-stream.js';

function recordingSink() {
  const events: WatchEvent<KubeObject>[] = [];
  const ends: WatchEnd[] = [];
  let closed = 0;
  const sink = new WatchSink<KubeObject>({
    handler: { onEvent: (e) => events.push(e), onEnd: (e) => ends.push(e) },
    description: 'watch of /api/v1/pods',
  });
  sink.attach(() => (closed += 1));
  return { sink, events, ends, closedCount: () => closed };
}

const added = '{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}\n';
const bookmark = '{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"9"}}}\n';

describe('WatchSink', () => {
  it('delivers one event per line, including lines split across chunks', () => {
    const { sink, events, ends } = recordingSink();
    sink.onResponse(200);
    sink.onChunk(added + bookmark.slice(0, 10));
    sink.onChunk(bookmark.slice(10));
    sink.onClose();
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1]?.object.metadata).toEqual({ resourceVersion: '9' });
    expect(ends).toEqual([{ kind: 'closed' }]);
  });

  it('passes an in-stream ERROR through as a Status', () => {
    const { sink, events } = recordingSink();
    sink.onResponse(200);
    sink.onChunk(
      '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},' +
        '"status":"Failure","message":"too old resource version: 5 (10)",' +
        '"reason":"Expired","code":410}}\n',
    );
    const event = events[0];
    expect(event?.type).toBe('ERROR');
    if (event?.type === 'ERROR') expect(event.object.code).toBe(410);
  });

  it('reports a non-2xx answer as a rejected watch with the server’s Status', () => {
    const { sink, events, ends } = recordingSink();
    sink.onResponse(404);
    sink.onChunk('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",');
    sink.onChunk(
      '"message":"the server could not find the requested resource",' +
        '"reason":"NotFound","code":404}',
    );
    sink.onClose();
    expect(events).toEqual([]);
    const end = ends[0];
    expect(end?.kind).toBe('rejected');
    if (end?.kind === 'rejected') expect(isNotFound(end.error)).toBe(true);
    if (end?.kind === 'rejected') expect(isExpired(end.error)).toBe(false);
  });

  it('reports a broken connection with its cause', () => {
    const { sink, ends } = recordingSink();
    sink.onResponse(200);
    sink.onClose(new Error('partition'));
    const end = ends[0];
    expect(end?.kind).toBe('broken');
    if (end?.kind === 'broken')
      expect(end.error.message).toBe('watch of /api/v1/pods broke: partition');
  });

  it('closes the stream on a line that is not a watch event', () => {
    const { sink, events, ends, closedCount } = recordingSink();
    sink.onResponse(200);
    sink.onChunk('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\nnot json\n' + added);
    expect(events).toHaveLength(1);
    expect(ends[0]?.kind).toBe('broken');
    expect(closedCount()).toBe(1);
    sink.onClose();
    expect(ends).toHaveLength(1);
  });

  it('is silent after stop, even when the transport then reports a close', () => {
    const { sink, events, ends, closedCount } = recordingSink();
    sink.onResponse(200);
    sink.stop();
    sink.onChunk(added);
    sink.onClose();
    expect(events).toEqual([]);
    expect(ends).toEqual([]);
    expect(closedCount()).toBe(1);
  });
});

describe('parseWatchEvent', () => {
  it('rejects unknown types and objects without metadata', () => {
    expect(parseWatchEvent('{"type":"RENAMED","object":{"metadata":{}}}')).toBeUndefined();
    expect(parseWatchEvent('{"type":"ADDED","object":{}}')).toBeUndefined();
    expect(parseWatchEvent('{"type":"ERROR","object":{"metadata":{}}}')).toBeUndefined();
  });
});
