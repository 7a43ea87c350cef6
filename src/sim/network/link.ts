// One direction between two endpoints of the simulated network, and the messages it carries.

import type { Rng } from '../../control/ports/rng.js';
import type { LinkPolicy } from './link-rules.js';

/** What a Link needs from its network (SimNetwork). */
export interface LinkRouter {
  /** Changes whenever the rules change. */
  readonly rulesVersion: number;
  policyOf(from: string, to: string): LinkPolicy;
  linkRng(kind: 'latency' | 'loss', from: string, to: string): Rng;
  route(
    link: Link,
    message: NetworkMessage,
    order: StreamOrder | undefined,
    inline: boolean,
  ): SendOutcome;
  /** Counts a message delivered on the fast path. */
  countInline(): void;
}

export type SendOutcome = 'delivered' | 'scheduled' | 'held' | 'dropped';
export type DropReason = 'lost' | 'partitioned' | 'overflow';

/** One message on one link. */
export interface NetworkMessage {
  /** Hands the message to the receiver. */
  deliver(): void;
  /** Told that the network dropped the message; called from an engine event, never in send. */
  dropped?(reason: DropReason): void;
}

/** Keeps one stream direction's messages in send order (see sim-network.ts). */
export class StreamOrder {
  lastAtMs = Number.NEGATIVE_INFINITY;
  /** Messages scheduled or held and not yet delivered or dropped. */
  inFlight = 0;
  batch: Batch | undefined = undefined;
}

export interface Batch {
  readonly atMs: number;
  readonly items: NetworkMessage[];
  ran: boolean;
}

/** One direction between two endpoints; caches its policy until the rules change. */
export class Link {
  readonly from: string;
  readonly to: string;
  /** The engine endpoint of this link's delivery events. */
  readonly eventEndpoint: string;
  private readonly network: LinkRouter;
  private policyValue: LinkPolicy | undefined;
  private policyVersion = -1;
  private latencyRngValue: Rng | undefined;
  private lossRngValue: Rng | undefined;

  constructor(network: LinkRouter, from: string, to: string) {
    this.network = network;
    this.from = from;
    this.to = to;
    this.eventEndpoint = `${from}->${to}`;
  }

  /** Sends one message; `order` keeps a stream's messages in send order. */
  send(message: NetworkMessage, order?: StreamOrder): SendOutcome {
    return this.network.route(this, message, order, true);
  }

  /**
   * The fast path of send, for callers that can skip building a message: true (and counted as
   * delivered) when a message sent now would be delivered at once; the caller then delivers it.
   */
  passesAtOnce(order?: StreamOrder): boolean {
    if (!this.policy().clear || (order !== undefined && order.inFlight !== 0)) return false;
    this.network.countInline();
    return true;
  }

  policy(): LinkPolicy {
    const version = this.network.rulesVersion;
    if (this.policyValue === undefined || this.policyVersion !== version) {
      this.policyValue = this.network.policyOf(this.from, this.to);
      this.policyVersion = version;
    }
    return this.policyValue;
  }

  latencyRng(): Rng {
    this.latencyRngValue ??= this.network.linkRng('latency', this.from, this.to);
    return this.latencyRngValue;
  }

  lossRng(): Rng {
    this.lossRngValue ??= this.network.linkRng('loss', this.from, this.to);
    return this.lossRngValue;
  }
}
