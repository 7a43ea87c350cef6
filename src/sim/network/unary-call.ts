// One request/response exchange of a SimTransport, over the network or in-process.
//
// The request crosses to the server as one message; once it arrives the handler runs (whatever
// the client does meanwhile: a request that arrives after its client gave up is still served,
// as over HTTP). The response crosses back as one message. The client's promise settles with
// the response, or rejects when none arrived within the request timeout. The timeout timer is
// armed only once a message of the exchange leaves the fast path (delayed, held or dropped),
// so exchanges on clear links cost no engine event.

import type { TimerHandle } from '../../control/ports/clock.js';
import type { TransportRequest, TransportResponse } from '../../control/ports/transport.js';
import type { TransportContext } from './transport-context.js';
import { copyResponse, sendDown, sendUp, serveWhole, timeoutError } from './transport-context.js';

export class UnaryCall {
  private readonly context: TransportContext;
  private readonly request: TransportRequest;
  private readonly resolve: (response: TransportResponse) => void;
  private readonly reject: (error: Error) => void;
  private readonly deadlineAtMs: number;
  private settled = false;
  private timer: TimerHandle | undefined;

  constructor(options: {
    context: TransportContext;
    request: TransportRequest;
    resolve: (response: TransportResponse) => void;
    reject: (error: Error) => void;
  }) {
    this.context = options.context;
    this.request = options.request;
    this.resolve = options.resolve;
    this.reject = options.reject;
    const net = options.context.net;
    this.deadlineAtMs = net === undefined ? 0 : net.network.nowMs() + net.requestTimeoutMs;
  }

  start(): void {
    const outcome = sendUp(this.context, () => this.atServer());
    if (outcome !== 'delivered') this.armTimeout();
  }

  private atServer(): void {
    void serveWhole(this.context.handler, this.request).then((response) => this.reply(response));
  }

  private reply(response: TransportResponse): void {
    if (this.settled) return; // the client gave up: nobody reads the answer
    const outcome = sendDown(this.context, () => this.settle(response));
    if (outcome !== 'delivered') this.armTimeout();
  }

  private settle(response: TransportResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.timer?.cancel();
    this.resolve(copyResponse(response));
  }

  private armTimeout(): void {
    const net = this.context.net;
    if (net === undefined || this.timer !== undefined || this.settled) return;
    this.timer = net.network.setTimerAt(this.context.source, this.deadlineAtMs, () => {
      if (this.settled) return;
      this.settled = true;
      this.reject(timeoutError(this.context, net.requestTimeoutMs));
    });
  }
}
