// One streamed exchange of a SimTransport (watch, logs): a server half that opens the handler's
// stream and writes, a client half that feeds the sink, and the network between them.
//
// Server half: once the request arrives and the handler answers, the response headers, each
// written chunk and the end cross to the client as messages of one StreamOrder (never
// reordered). A non-stream answer crosses as headers, one chunk with the body, end.
// Client half: messages are delivered through an outbox: a message arriving while the sink is
// still inside a call (a re-entrant write, e.g. a sink whose handler makes the server write
// again on a clear link) is delivered right after that call returns. So the sink sees calls one
// at a time: onResponse, onChunk*, onClose, nothing after.
// A stream breaks (the sink gets onClose(error), the server a disconnect) when one of its
// messages is dropped, when a partition cuts its link while it is open, or when its headers do
// not arrive within the request timeout. Closing from the client disconnects the server at once
// (a server that already ended is not told).

import type { TimerHandle } from '../../control/ports/clock.js';
import type {
  HandlerResult,
  Headers,
  ServerStreamWriter,
  StreamSink,
  TransportRequest,
} from '../../control/ports/transport.js';
import { assertNever } from '../../control/util/assert.js';
import type { DropReason } from './link.js';
import { StreamOrder } from './link.js';
import type { TransportContext } from './transport-context.js';
import { handleSafely, sendUp, timeoutError } from './transport-context.js';

type ClientItem =
  | { kind: 'response'; status: number; headers: Headers }
  | { kind: 'chunk'; chunk: string }
  | { kind: 'end' }
  | { kind: 'break'; error: Error };

export class SimStream {
  private readonly context: TransportContext;
  private readonly sink: StreamSink;
  // Client half.
  private clientState: 'waiting' | 'open' | 'closed' = 'waiting';
  private delivering = false;
  private readonly outbox: ClientItem[] = [];
  private timer: TimerHandle | undefined;
  private readonly deadlineAtMs: number;
  private readonly unregister: (() => void) | undefined;
  // Server half.
  private clientGone = false;
  private serverEnded = false;
  private opening = false;
  private disconnectRequested = false;
  private disconnect: (() => void) | undefined;
  private readonly order = new StreamOrder();

  constructor(options: { context: TransportContext; sink: StreamSink }) {
    this.context = options.context;
    this.sink = options.sink;
    const net = options.context.net;
    this.deadlineAtMs = net === undefined ? 0 : net.network.nowMs() + net.requestTimeoutMs;
    this.unregister = net?.network.registerStream({
      up: net.up,
      down: net.down,
      break: (reason) => this.break(reason),
    });
  }

  /** Sends the request to the server (a microtask after stream() returned). */
  sendRequest(request: TransportRequest): void {
    const outcome = sendUp(this.context, () => this.atServer(request));
    if (outcome !== 'delivered') this.armTimeout();
  }

  closeFromClient(): void {
    if (this.clientState === 'closed') return;
    this.finishClient();
    this.leaveServer();
    this.sink.onClose();
  }

  // ---- Server half. ----

  private atServer(request: TransportRequest): void {
    void handleSafely(this.context.handler, request).then((result) => this.serverStart(result));
  }

  private serverStart(result: HandlerResult): void {
    if (this.clientGone) return; // the client left before the response: nothing is opened
    switch (result.kind) {
      case 'unary': {
        this.serverEnded = true;
        const { status, headers, body } = result.response;
        this.toClientOverNetwork({ kind: 'response', status, headers: { ...headers } });
        if (body !== '' && !this.clientGone)
          this.toClientOverNetwork({ kind: 'chunk', chunk: body });
        if (!this.clientGone) this.toClientOverNetwork({ kind: 'end' });
        return;
      }
      case 'stream':
        return this.openServerStream(result);
      default:
        return assertNever(result, 'unknown handler result');
    }
  }

  private openServerStream(result: Extract<HandlerResult, { kind: 'stream' }>): void {
    const headers = { ...result.headers };
    this.toClientOverNetwork({ kind: 'response', status: result.status, headers });
    if (this.clientGone) return; // the sink closed the stream in onResponse
    this.opening = true;
    const disconnect = result.open(this.writer());
    this.opening = false;
    if (this.disconnectRequested) disconnect();
    else this.disconnect = disconnect;
  }

  private writer(): ServerStreamWriter {
    return {
      write: (chunk) => {
        if (this.serverEnded || this.clientGone || chunk === '') return;
        this.toClientOverNetwork({ kind: 'chunk', chunk });
      },
      end: () => {
        if (this.serverEnded) return;
        this.serverEnded = true;
        if (!this.clientGone) this.toClientOverNetwork({ kind: 'end' });
      },
    };
  }

  /** The client left (closed or broken): stop the server's stream, once, if it still runs. */
  private leaveServer(): void {
    if (this.clientGone) return;
    this.clientGone = true;
    if (this.serverEnded) return;
    if (this.disconnect !== undefined) {
      const disconnect = this.disconnect;
      this.disconnect = undefined;
      disconnect();
    } else if (this.opening) {
      this.disconnectRequested = true;
    }
  }

  private toClientOverNetwork(item: ClientItem): void {
    const net = this.context.net;
    if (net === undefined || net.down.passesAtOnce(this.order)) return this.toClient(item);
    const message = {
      deliver: () => this.toClient(item),
      dropped: (reason: DropReason) => this.break(reason),
    };
    const outcome = net.down.send(message, this.order);
    // A dropped message dooms the stream: the break reaches the client from an engine event.
    if (outcome === 'dropped') this.leaveServer();
    else if (outcome !== 'delivered' && item.kind === 'response') this.armTimeout();
  }

  // ---- Client half. ----

  private break(reason: DropReason): void {
    if (this.clientState === 'closed') return;
    this.context.net?.network.noteStreamBroken();
    this.breakWith(new Error(`${this.linkName()} broken: ${reasonText(reason)}`));
  }

  private breakWith(error: Error): void {
    if (this.clientState === 'closed') return;
    this.leaveServer();
    this.toClient({ kind: 'break', error });
  }

  private toClient(item: ClientItem): void {
    if (this.clientState === 'closed') return;
    this.outbox.push(item);
    if (this.delivering) return;
    this.delivering = true;
    try {
      this.drain();
    } finally {
      this.delivering = false;
    }
  }

  private drain(): void {
    for (let item = this.outbox.shift(); item !== undefined; item = this.outbox.shift()) {
      if (this.clientState === 'closed') return;
      this.deliver(item);
    }
  }

  private deliver(item: ClientItem): void {
    switch (item.kind) {
      case 'response':
        if (this.clientState !== 'waiting') return;
        this.clientState = 'open';
        this.timer?.cancel();
        return this.sink.onResponse(item.status, item.headers);
      case 'chunk':
        if (this.clientState !== 'open') return;
        return this.sink.onChunk(item.chunk);
      case 'end':
        this.finishClient();
        return this.sink.onClose();
      case 'break':
        this.finishClient();
        return this.sink.onClose(item.error);
      default:
        return assertNever(item, 'unknown stream item');
    }
  }

  private finishClient(): void {
    this.clientState = 'closed';
    this.outbox.length = 0;
    this.timer?.cancel();
    this.unregister?.();
  }

  private armTimeout(): void {
    const net = this.context.net;
    if (net === undefined || this.timer !== undefined || this.clientState !== 'waiting') return;
    this.timer = net.network.setTimerAt(this.context.source, this.deadlineAtMs, () => {
      if (this.clientState !== 'waiting') return;
      this.breakWith(timeoutError(this.context, net.requestTimeoutMs));
    });
  }

  private linkName(): string {
    return `connection between ${this.context.source} and ${this.context.endpoint}`;
  }
}

function reasonText(reason: DropReason): string {
  switch (reason) {
    case 'partitioned':
      return 'network partition';
    case 'lost':
      return 'a message was lost';
    case 'overflow':
      return "the network's hold queue overflowed";
    default:
      return assertNever(reason, 'unknown drop reason');
  }
}
