// acknowledged-write-kept: every write the API server answered 2xx for is a commit of the store.
//
// A 2xx answer to POST, PUT, PATCH or DELETE (not a dry run) that carries an object names its
// commit by resourceVersion: that revision must be in the store's history, for the same object,
// and hold what the answer showed (same JSON, when the answer is the stored kind; Scale answers
// are compared by identity only). Status answers (bindings, evictions) carry no revision and
// lists (deletecollection) are checked item by item. A revision older than the recent commits
// the checker keeps is counted as unverified, not as a violation. (That a later commit never
// silently replaced an acknowledged one is checked per commit, in store-commits.ts.)
import type { TransportRequest, TransportResponse } from '../../../control/ports/transport.js';
import type { JsonValue, StoredObject } from '../../../control/store/types.js';
import { describeObject, kindOf, namespacedNameOf, revisionOf, uidOf } from './object-fields.js';
import type { StoreCommits } from './store-commits.js';
import type { ReportViolation } from './violation-log.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AcknowledgedWritesOptions {
  report: ReportViolation;
  commits: StoreCommits;
}

export class AcknowledgedWrites {
  private readonly report: ReportViolation;
  private readonly commits: StoreCommits;
  private verified = 0;
  private unverified = 0;

  constructor(options: AcknowledgedWritesOptions) {
    this.report = options.report;
    this.commits = options.commits;
  }

  get verifiedCount(): number {
    return this.verified;
  }

  /** Answers whose commit had already left the recent log. */
  get unverifiedCount(): number {
    return this.unverified;
  }

  /** One answered request; anything but a successful write is ignored. */
  onResponse(request: TransportRequest, response: TransportResponse): void {
    if (!writeMethods.has(request.method)) return;
    if (response.status < 200 || response.status > 299) return;
    if ((request.query.dryRun ?? '') !== '') return;
    const what = `${request.method} ${request.path}`;
    let answer: JsonValue;
    try {
      answer = JSON.parse(response.body) as JsonValue;
    } catch {
      this.report('acknowledged-write-kept', `${what} answered ${response.status} with no JSON`);
      return;
    }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return;
    const object = answer as StoredObject;
    if (kindOf(object) === 'Status') return;
    const items = object['items'];
    if (kindOf(object).endsWith('List') && Array.isArray(items)) {
      for (const item of items) this.checkObject(what, item as StoredObject, undefined);
      return;
    }
    this.checkObject(what, object, response.body);
  }

  private checkObject(what: string, object: StoredObject, body: string | undefined): void {
    const revision = revisionOf(object);
    const shown = `${what} (${describeObject(object)})`;
    if (Number.isNaN(revision)) {
      this.report('acknowledged-write-kept', `${shown} was answered without a resourceVersion`);
      return;
    }
    const commit = this.commits.at(revision);
    if (commit === undefined) return this.missing(shown, revision);
    const committed = commit.object;
    if (!sameIdentity(committed, object)) {
      this.report(
        'acknowledged-write-kept',
        `${shown} was answered with revision ${revision}, which committed ` +
          `${describeObject(committed)} (${commit.key})`,
      );
      return;
    }
    if (kindOf(committed) === kindOf(object) && !sameContent(committed, object, body)) {
      this.report(
        'acknowledged-write-kept',
        `${shown} was answered with revision ${revision}, but the object committed at ` +
          `${revision} differs from the answer`,
      );
      return;
    }
    this.verified += 1;
  }

  private missing(shown: string, revision: number): void {
    if (revision > this.commits.lastRevision) {
      this.report(
        'acknowledged-write-kept',
        `${shown} was answered with revision ${revision}, ` +
          `but the store's last commit is ${this.commits.lastRevision}`,
      );
    } else if (revision > this.commits.coveredAfterRevision) {
      this.report(
        'acknowledged-write-kept',
        `${shown} was answered with revision ${revision}, which the store never committed`,
      );
    } else {
      this.unverified += 1;
    }
  }
}

function sameIdentity(committed: StoredObject, answer: StoredObject): boolean {
  if (namespacedNameOf(committed) !== namespacedNameOf(answer)) return false;
  const uid = uidOf(answer);
  return uid === '' || uid === uidOf(committed);
}

/** The answer's JSON is the committed object's (the API server answers JSON.stringify of it). */
function sameContent(committed: StoredObject, answer: StoredObject, body?: string): boolean {
  const text = JSON.stringify(committed);
  if (body !== undefined && body === text) return true;
  return JSON.stringify(answer) === text;
}
