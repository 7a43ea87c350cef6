// Checks the store's commits as its unfiltered watch delivers them, and keeps the recent ones.
//
// Per commit, O(1): revisions strictly increase (resource-version-order) and are consecutive,
// since the store's own watch must deliver every change once (watch-delivery-order); the object
// carries its commit's revision as resourceVersion; and the commit replaced the key's last
// committed state, never an older one (acknowledged-write-kept: an acknowledged write must not be
// silently overwritten). The recent commits, by revision, let acknowledged writes and watch
// streams be compared with what was committed; the window follows the store's own watch
// history (what the store still keeps), never less than `logCountMin` commits.
import type { StoreWatchEvent } from '../../../control/store/types.js';
import { resourceVersionOf, revisionOf } from './object-fields.js';
import type { ReportViolation } from './violation-log.js';

export interface StoreCommitsOptions {
  report: ReportViolation;
  /** The store's oldest revision a watch can still start from. */
  oldestRevision: () => number;
  /** Commits always kept, whatever the store keeps. Default 1,000. */
  logCountMin?: number;
  /** Commits never exceeded. Default 100,000. */
  logCountMax?: number;
}

export class StoreCommits {
  private readonly report: ReportViolation;
  private readonly oldestRevision: () => number;
  private readonly logCountMin: number;
  private readonly logCountMax: number;
  /** Recent commits by revision, in commit order. */
  private readonly recent = new Map<number, StoreWatchEvent>();
  /** resourceVersion of each key's last commit seen (keys written since the start). */
  private readonly latest = new Map<string, string>();
  private startRevision = 0;
  private lastRevisionValue = 0;
  private coveredAfter = 0;
  private commitCount = 0;

  constructor(options: StoreCommitsOptions) {
    this.report = options.report;
    this.oldestRevision = options.oldestRevision;
    this.logCountMin = options.logCountMin ?? 1_000;
    this.logCountMax = options.logCountMax ?? 100_000;
  }

  /** Checking starts after `revision`: the store's state then is taken as given. */
  start(revision: number): void {
    this.startRevision = revision;
    this.lastRevisionValue = revision;
    this.coveredAfter = revision;
  }

  /** The last revision committed (as delivered). */
  get lastRevision(): number {
    return this.lastRevisionValue;
  }

  /** Every commit after this revision, up to lastRevision, is in the log. */
  get coveredAfterRevision(): number {
    return this.coveredAfter;
  }

  get commitsChecked(): number {
    return this.commitCount;
  }

  /** The commit of `revision`, while the log still holds it. */
  at(revision: number): StoreWatchEvent | undefined {
    return this.recent.get(revision);
  }

  onCommit(event: StoreWatchEvent): void {
    this.commitCount += 1;
    const revision = event.revision;
    const last = this.lastRevisionValue;
    if (!(revision > last)) {
      this.report(
        'resource-version-order',
        `revision ${revision} (${event.type} ${event.key}) was committed after revision ${last}`,
      );
      return;
    }
    if (revision !== last + 1) {
      this.report(
        'watch-delivery-order',
        `the store's watch skipped revisions ${last + 1} to ${revision - 1} ` +
          `(next delivered: ${event.type} ${event.key} at ${revision})`,
      );
    }
    this.checkStamp(event);
    this.checkLineage(event);
    this.lastRevisionValue = revision;
    this.remember(event);
  }

  private checkStamp(event: StoreWatchEvent): void {
    const stamped = resourceVersionOf(event.object);
    if (stamped === String(event.revision)) return;
    this.report(
      'resource-version-order',
      `revision ${event.revision} committed ${event.key} with resourceVersion "${stamped}"`,
    );
  }

  /** The change must replace the key's last committed state (or create a missing key). */
  private checkLineage(event: StoreWatchEvent): void {
    const { key, revision } = event;
    const known = this.latest.get(key);
    if (event.type === 'ADDED') {
      if (known !== undefined) {
        this.report(
          'acknowledged-write-kept',
          `revision ${revision} created ${key} over its live object of resourceVersion ${known}`,
        );
      }
    } else {
      this.checkReplaced(event, known);
    }
    if (event.type === 'DELETED') this.latest.delete(key);
    else this.latest.set(key, String(revision));
  }

  private checkReplaced(event: StoreWatchEvent, known: string | undefined): void {
    const { key, revision } = event;
    const previous = resourceVersionOf(event.prevObject);
    if (known !== undefined) {
      if (previous === known) return;
      this.report(
        'acknowledged-write-kept',
        `revision ${revision} (${event.type}) replaced ${key} at resourceVersion ` +
          `"${previous}", but the key's last commit was ${known}: that write was lost`,
      );
      return;
    }
    // A key not written since the start must have been replaced in its state from before it.
    const previousRevision = revisionOf(event.prevObject);
    if (previousRevision <= this.startRevision) return;
    this.report(
      'acknowledged-write-kept',
      `revision ${revision} (${event.type}) replaced ${key} at resourceVersion "${previous}", ` +
        'which no commit seen wrote',
    );
  }

  private remember(event: StoreWatchEvent): void {
    this.recent.set(event.revision, event);
    const keepAfter = this.oldestRevision();
    for (const revision of this.recent.keys()) {
      const size = this.recent.size;
      const stale = revision <= keepAfter && size > this.logCountMin;
      if (!stale && size <= this.logCountMax) break;
      this.recent.delete(revision);
      this.coveredAfter = revision;
    }
  }
}
