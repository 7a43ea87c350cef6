// Tests of the sim transport: the transport contract, plus in-process delivery and ordering.

import { describe, expect, it } from 'vitest';
import type {
  HandlerResult,
  RequestHandler,
  ServerStreamWriter,
  StreamHandle,
  TransportRequest,
} from '../control/ports/transport.js';
import type { TimerHandle } from '../control/ports/clock.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { RecordingSink, runTransportContract } from '../../test/contracts/transport.js';
import { EventQueue, type ScheduleInput } from './engine/event-queue.js';
import type { EventScheduler } from './engine/virtual-clock.js';
import { SimNetwork, SimTransport } from './sim-transport.js';

const hostSetImmediate = setImmediate;

runTransportContract('SimTransport', {
  newTransport: async (handler) => ({
    transport: new SimTransport({ handler }),
    close: async () => undefined,
  }),
});

/**
 * Runs events in the engine's order, one per host macrotask, outside any engine run: the
 * contract suite waits on host time, which an engine run's determinism guard forbids.
 */
class HostPumpedScheduler implements EventScheduler {
  private readonly queue = new EventQueue({ queuedCountMax: 100_000 });
  private now = 0;
  private pumpScheduled = false;

  nowMs(): number {
    return this.now;
  }

  schedule(input: ScheduleInput): TimerHandle {
    const event = this.queue.push(input);
    this.pump();
    return { cancel: () => void this.queue.remove(event) };
  }

  private pump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    hostSetImmediate(() => {
      this.pumpScheduled = false;
      const event = this.queue.pop();
      if (event === undefined) return;
      this.now = event.atMs;
      void event.run();
      if (this.queue.size > 0) this.pump();
    });
  }
}

runTransportContract('SimTransport over a SimNetwork with random latency', {
  newTransport: async (handler) => {
    const network = new SimNetwork({
      scheduler: new HostPumpedScheduler(),
      rng: createRng(5).fork('network'),
      defaultLatency: { uniform: [0, 5] },
    });
    return {
      transport: new SimTransport({ handler, network, source: 'client/contract' }),
      close: async () => undefined,
    };
  },
});

const watchRequest: TransportRequest = {
  method: 'GET',
  path: '/w',
  query: {},
  headers: {},
  body: '',
};

/** A streaming handler that hands its writer to the test once the client opened the stream. */
function streamingHandler(onDisconnect: () => void = () => undefined) {
  let resolveWriter: (writer: ServerStreamWriter) => void = () => undefined;
  const writer = new Promise<ServerStreamWriter>((resolve) => (resolveWriter = resolve));
  const handler: RequestHandler = {
    handle: async (): Promise<HandlerResult> => ({
      kind: 'stream',
      status: 200,
      headers: {},
      open: (w) => {
        resolveWriter(w);
        return onDisconnect;
      },
    }),
  };
  return { handler, writer };
}

describe('SimTransport', () => {
  it('delivers each chunk synchronously inside the server write', async () => {
    const { handler, writer } = streamingHandler();
    const sink = new RecordingSink();
    new SimTransport({ handler }).stream(watchRequest, sink);
    const w = await writer;
    w.write('a\n');
    expect(sink.chunks).toEqual(['a\n']);
    w.write('b\n');
    w.end();
    expect(sink.chunks).toEqual(['a\n', 'b\n']);
    expect(sink.events.at(-1)).toBe('close');
  });

  it('delivers a write made inside onChunk after that onChunk returns, in order', async () => {
    const { handler, writer } = streamingHandler();
    const trace: string[] = [];
    let w: ServerStreamWriter | undefined;
    const sink = new RecordingSink();
    const onChunk = sink.onChunk.bind(sink);
    sink.onChunk = (chunk) => {
      trace.push(`enter ${chunk}`);
      onChunk(chunk);
      if (chunk === 'first') w?.write('second');
      trace.push(`exit ${chunk}`);
    };
    new SimTransport({ handler }).stream(watchRequest, sink);
    w = await writer;
    w.write('first');
    trace.push('write returned');
    expect(trace).toEqual([
      'enter first',
      'exit first',
      'enter second',
      'exit second',
      'write returned',
    ]);
  });

  it('ignores writes after the server ended the stream', async () => {
    const { handler, writer } = streamingHandler();
    const sink = new RecordingSink();
    new SimTransport({ handler }).stream(watchRequest, sink);
    const w = await writer;
    w.end();
    w.write('late\n');
    w.end();
    sink.expectWellFormed();
    expect(sink.chunks).toEqual([]);
  });

  it('disconnects once when the client closes inside open()', async () => {
    let disconnects = 0;
    let handle: StreamHandle | undefined;
    const handler: RequestHandler = {
      handle: async () => ({
        kind: 'stream',
        status: 200,
        headers: {},
        open: (w) => {
          w.write('first\n');
          w.write('ignored\n');
          return () => disconnects++;
        },
      }),
    };
    const sink = new RecordingSink();
    const onChunk = sink.onChunk.bind(sink);
    sink.onChunk = (chunk) => {
      onChunk(chunk);
      handle?.close();
    };
    handle = new SimTransport({ handler }).stream(watchRequest, sink);
    expect(await sink.closed).toBeUndefined();
    sink.expectWellFormed();
    expect(sink.chunks).toEqual(['first\n']);
    expect(disconnects).toBe(1);
  });

  it('reaches the handler only after request() has returned', async () => {
    const seen: string[] = [];
    const handler: RequestHandler = {
      handle: async (request) => {
        seen.push(request.path);
        return { kind: 'unary', response: { status: 200, headers: {}, body: '' } };
      },
    };
    const pending = new SimTransport({ handler }).request(watchRequest);
    expect(seen).toEqual([]);
    await pending;
    expect(seen).toEqual(['/w']);
  });

  it('shares no header or query record between client and server', async () => {
    const serverHeaders = { 'x-server': 'original' };
    const handler: RequestHandler = {
      handle: async (request) => {
        request.headers['x-client'] = 'changed by server';
        request.query['q'] = 'changed by server';
        return { kind: 'unary', response: { status: 200, headers: serverHeaders, body: 'ok' } };
      },
    };
    const request = { ...watchRequest, query: { q: 'mine' }, headers: { 'x-client': 'mine' } };
    const response = await new SimTransport({ handler }).request(request);
    response.headers['x-server'] = 'changed by client';
    expect(request.headers).toEqual({ 'x-client': 'mine' });
    expect(request.query).toEqual({ q: 'mine' });
    expect(serverHeaders).toEqual({ 'x-server': 'original' });
  });

  it('names its client endpoint, client/default unless given, and keeps it per from()', () => {
    const { handler } = streamingHandler();
    const transport = new SimTransport({ handler });
    expect(transport.source).toBe('client/default');
    const kubelet = transport.from('node/worker-1');
    expect(kubelet.source).toBe('node/worker-1');
    expect(kubelet.endpoint).toBe('apiserver');
    expect(() => transport.from('node/*')).toThrow(/Invalid endpoint name/);
  });

  it('names its server endpoint, apiserver by default', () => {
    const { handler } = streamingHandler();
    expect(new SimTransport({ handler }).endpoint).toBe('apiserver');
    expect(new SimTransport({ handler, endpoint: 'kubelet/worker-1' }).endpoint).toBe(
      'kubelet/worker-1',
    );
  });
});
