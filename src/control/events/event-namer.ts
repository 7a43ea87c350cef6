// Event names: `<object name>.<hex of the event's time in ns>`, as client-go's `%v.%x` of UnixNano.
//
// The clock has ms precision, so the ns below the ms come from the recorder's Rng stream: two
// components reporting on one object in the same ms then still get different names (upstream
// relies on real ns for that), and the names stay a function of the seed. Within one recorder
// names strictly increase, even when its clock stalls or steps back.

import type { Rng } from '../ports/rng.js';

const nsPerMs = 1_000_000n;

export class EventNamer {
  private readonly rng: Rng;
  private lastNs: bigint | undefined;

  constructor(options: { rng: Rng }) {
    this.rng = options.rng;
    this.lastNs = undefined;
  }

  /** The time in ns this recorder stamps on its next event at `nowMs`. */
  nextNs(nowMs: number): bigint {
    let ns = BigInt(nowMs) * nsPerMs + BigInt(this.rng.intBelow(Number(nsPerMs)));
    if (this.lastNs !== undefined && ns <= this.lastNs) ns = this.lastNs + 1n;
    this.lastNs = ns;
    return ns;
  }

  next(objectName: string, nowMs: number): string {
    return `${objectName}.${this.nextNs(nowMs).toString(16)}`;
  }
}
