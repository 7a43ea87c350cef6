// The full trace's API records: requests with their status, watch streams and each event line.
import { describe, expect, it } from 'vitest';
import type { HandlerResult, TransportRequest } from '../../control/ports/transport.js';
import { SimRecorder } from '../sim-recorder.js';
import { apiTraceObserver } from './api-trace.js';

function request(path: string, query: Record<string, string> = {}): TransportRequest {
  return { method: 'GET', path, query, headers: { 'user-agent': 'kubelet/node-1' }, body: '' };
}

function fixture() {
  const recorder = new SimRecorder({ level: 'full', recordCountMax: 100 });
  const observe = apiTraceObserver({ recorder, nowMs: () => 5_000 });
  return { recorder, observe };
}

describe('apiTraceObserver', () => {
  it('records a request with its status, query sorted, and passes the result through', () => {
    const { recorder, observe } = fixture();
    const result: HandlerResult = {
      kind: 'unary',
      response: { status: 404, headers: {}, body: '{}' },
    };
    expect(observe(request('/api/v1/nodes/x', { b: '2', a: '1' }), result)).toBe(result);
    expect(recorder.traces()).toEqual([
      {
        atMs: 5_000,
        component: 'apiserver',
        type: 'api.request',
        level: 'full',
        fields: {
          method: 'GET',
          path: '/api/v1/nodes/x',
          query: 'a=1&b=2',
          userAgent: 'kubelet/node-1',
          status: 404,
        },
      },
    ]);
  });

  it('records each watch line once, also when a line is split over two writes', () => {
    const { recorder, observe } = fixture();
    const written: string[] = [];
    const pod = (rv: string) =>
      JSON.stringify({
        type: 'MODIFIED',
        object: {
          kind: 'Pod',
          metadata: { namespace: 'default', name: 'web', resourceVersion: rv },
        },
      });
    const stream: HandlerResult = {
      kind: 'stream',
      status: 200,
      headers: {},
      open: (writer) => {
        const both = `${pod('7')}\n${pod('8')}\n`;
        writer.write(both.slice(0, 20));
        writer.write(both.slice(20));
        writer.end();
        return () => undefined;
      },
    };
    const observed = observe(request('/api/v1/pods', { watch: 'true' }), stream);
    expect(observed.kind).toBe('stream');
    if (observed.kind !== 'stream') return;
    observed.open({ write: (c) => written.push(c), end: () => written.push('<end>') });
    expect(written.join('')).toBe(`${pod('7')}\n${pod('8')}\n<end>`);
    const types = recorder.traces().map((r) => r.type);
    expect(types).toEqual([
      'api.watch.open',
      'api.watch.event',
      'api.watch.event',
      'api.watch.end',
    ]);
    expect(recorder.traces()[2]?.fields).toMatchObject({
      event: 'MODIFIED',
      object: 'Pod default/web',
      resourceVersion: '8',
    });
    expect(recorder.traces()[3]?.fields).toMatchObject({ events: 2 });
  });
});
