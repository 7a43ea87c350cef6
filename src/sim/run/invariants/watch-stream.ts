// One API watch stream under watch-delivery-order: what it must deliver next, and the check of
// each line it writes against that.
//
// The registry (watch-streams.ts) queues, per stream, every commit the stream matches (its key
// prefix and selectors, with upstream's ADDED/DELETED for objects entering or leaving them), at
// commit time and before the API server delivers it. Each written line must then be the next
// queued change, byte for byte: `{"type":T,"object":<the committed object's JSON>}`. A line
// that is not is decoded to say what went wrong: a revision not above the last one delivered
// (duplicate or out of order), queued changes skipped (a gap), a change no commit produced, a
// wrong type, or a different object. BOOKMARKs may not go back and may not pass an undelivered
// change; an initial-state line (a watch without resourceVersion) must be an ADDED; ERROR ends
// the stream. Replayed history older than the checker's log is accepted in revision order.
import type { StoredObject, WatchEventType } from '../../../control/store/types.js';
import { describeObject, revisionOf } from './object-fields.js';
import type { ReportViolation } from './violation-log.js';

export interface ExpectedChange {
  revision: number;
  type: WatchEventType;
  object: StoredObject;
}

/** The exact line the API server writes for a change (see apiserver/watch.ts). */
export type LineOf = (change: ExpectedChange) => string;

/** Most changes queued for one stream; more means it stopped delivering. */
export const expectedCountMax = 10_000;

export class WatchStream {
  /** `user-agent GET path?query`, for messages. */
  readonly label: string;
  /** Sending the initial state (a watch without resourceVersion, while it opens). */
  snapshot = false;
  /** Still inside the API server's open (replaying history): changes may wait in the queue. */
  opening = true;
  /** Lines up to this revision are replayed history the checker has no log of. */
  unverifiedThrough = 0;
  lastRevision = 0;
  private readonly expected: ExpectedChange[] = [];
  private head = 0;

  constructor(options: { label: string }) {
    this.label = options.label;
  }

  get pendingCount(): number {
    return this.expected.length - this.head;
  }

  /** Queues a change the stream must deliver (in revision order). */
  expect(change: ExpectedChange, report: ReportViolation): void {
    if (this.pendingCount >= expectedCountMax) {
      this.reportMissed(this.dropThrough(Number.POSITIVE_INFINITY), report);
    }
    this.expected.push(change);
  }

  /** Changes still queued when the next commit arrives were never delivered. */
  flushOverdue(report: ReportViolation): void {
    if (this.opening || this.pendingCount === 0) return;
    this.reportMissed(this.dropThrough(Number.POSITIVE_INFINITY), report);
  }

  /** Checks one line the server wrote (ending in a newline). */
  onLine(line: string, lineOf: LineOf, report: ReportViolation): 'open' | 'ended' {
    if (this.snapshot) return this.onSnapshotLine(line, report);
    const next = this.expected[this.head];
    if (next !== undefined && line === lineOf(next)) {
      this.take();
      this.lastRevision = next.revision;
      return 'open';
    }
    const decoded = decodeLine(line);
    if (decoded === undefined) {
      report('watch-delivery-order', `${this.label} wrote a line that is not a watch event`);
      return 'open';
    }
    if (decoded.type === 'ERROR') return 'ended';
    if (decoded.type === 'BOOKMARK') this.onBookmark(decoded.revision, report);
    else this.onEvent({ type: decoded.type, revision: decoded.revision, line }, lineOf, report);
    return 'open';
  }

  private onSnapshotLine(line: string, report: ReportViolation): 'open' | 'ended' {
    if (line.startsWith('{"type":"ADDED",')) return 'open';
    if (line.startsWith('{"type":"ERROR",')) return 'ended';
    report('watch-delivery-order', `${this.label} sent a non-ADDED line in its initial state`);
    return 'open';
  }

  private onBookmark(revision: number, report: ReportViolation): void {
    if (revision < this.lastRevision) {
      report(
        'watch-delivery-order',
        `${this.label} sent a BOOKMARK at ${revision} after delivering ${this.lastRevision}`,
      );
      return;
    }
    this.reportMissed(this.dropThrough(revision), report);
    this.lastRevision = revision;
  }

  private onEvent(
    delivered: { type: string; revision: number; line: string },
    lineOf: LineOf,
    report: ReportViolation,
  ): void {
    const { type, revision } = delivered;
    if (!(revision > this.lastRevision)) {
      const how = revision === this.lastRevision ? 'again' : `after ${this.lastRevision}`;
      report('watch-delivery-order', `${this.label} delivered revision ${revision} ${how}`);
      return;
    }
    this.lastRevision = revision;
    if (revision <= this.unverifiedThrough) return;
    this.reportMissed(this.dropThrough(revision - 1), report);
    const next = this.expected[this.head];
    if (next === undefined || next.revision !== revision) {
      report(
        'watch-delivery-order',
        `${this.label} delivered ${type} at revision ${revision}, ` +
          'which no commit it watches produced',
      );
      return;
    }
    this.take();
    if (delivered.line === lineOf(next)) return;
    const detail =
      next.type === type
        ? 'with an object that differs from the committed one'
        : `as ${type}; expected ${next.type}`;
    report(
      'watch-delivery-order',
      `${this.label} delivered revision ${revision} (${describeObject(next.object)}) ${detail}`,
    );
  }

  private take(): void {
    this.head += 1;
    if (this.head === this.expected.length) {
      this.expected.length = 0;
      this.head = 0;
    } else if (this.head >= 1_024 && this.head * 2 >= this.expected.length) {
      this.expected.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Removes and returns the queued changes up to `revision`. */
  private dropThrough(revision: number): ExpectedChange[] {
    const dropped: ExpectedChange[] = [];
    for (let next = this.expected[this.head]; next !== undefined; next = this.expected[this.head]) {
      if (next.revision > revision) break;
      dropped.push(next);
      this.take();
    }
    return dropped;
  }

  private reportMissed(missed: readonly ExpectedChange[], report: ReportViolation): void {
    const first = missed[0];
    if (first === undefined) return;
    const more = missed.length > 1 ? ` and ${missed.length - 1} later change(s)` : '';
    report(
      'watch-delivery-order',
      `${this.label} never delivered revision ${first.revision} ` +
        `(${first.type} ${describeObject(first.object)})${more}`,
    );
  }
}

/** The type and revision of a watch line, or undefined when it is not one. */
function decodeLine(line: string): { type: string; revision: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== 'string') return undefined;
  return { type, revision: revisionOf(object as StoredObject) };
}
