// Claiming objects for a controller (pkg/controller/controller_ref_manager.go's ClaimPods and
// ClaimReplicaSets): adopt matching orphans and release owned objects that stopped matching,
// through an injected patch call, so the ReplicaSet and Deployment controllers share the rules.
//
// claimObjects visits the objects in the given order, one at a time. Per object it applies
// decideClaim (controller-ref.ts). Adoption first runs `canAdopt` (once per claimObjects call,
// its outcome remembered, as upstream's sync.Once) and then patches; a release patches. A patch
// answered 404 means the object is gone: not claimed, no error. A release answered 422 Invalid
// is ignored too (the reference was already gone or the object was re-created). Every other
// failure is collected; the caller gets the claimed objects and one aggregate error.

import { isInvalid, isNotFound } from '../../client/errors.js';
import type { KubeObject } from '../../client/types.js';
import type { ControllerKind } from './controller-ref.js';
import { adoptionPatch, decideClaim, newControllerRef, releasePatch } from './controller-ref.js';
import { isBeingDeleted, uidOf } from './pod-fields.js';

export interface ClaimOptions<T extends KubeObject> {
  /** The controller claiming the objects (a ReplicaSet, a Deployment). */
  owner: KubeObject;
  ownerKind: ControllerKind;
  /** The claimed objects' kind, for messages (`Pod`, `ReplicaSet`). */
  objectKind: string;
  /** The controller's selector (and any filters) applied to one object. */
  matches(object: T): boolean;
  /** Rejects when the controller must not adopt (see recheckDeletionTimestamp). */
  canAdopt(): Promise<void>;
  /** Sends a strategic merge patch of the object's main resource. */
  patch(object: T, body: Record<string, unknown>): Promise<unknown>;
}

export interface ClaimResult<T extends KubeObject> {
  /** Objects the controller now controls, in input order. */
  claimed: T[];
  /** The aggregate of every failed adoption or release; undefined when none failed. */
  error?: Error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** utilerrors.NewAggregate(...).Error(): one message, or distinct messages in brackets. */
export function aggregateError(errors: readonly unknown[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) {
    const only = errors[0];
    return only instanceof Error ? only : new Error(messageOf(only));
  }
  const messages = [...new Set(errors.map(messageOf))];
  const text = messages.length === 1 ? (messages[0] as string) : `[${messages.join(', ')}]`;
  return new Error(text);
}

/** Go's time.Time String() for whole-second UTC times: `2026-01-01 00:00:05 +0000 UTC`. */
function goTimeText(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z$/.exec(text);
  return match === null ? text : `${match[1]} ${match[2]} +0000 UTC`;
}

/**
 * controller.RecheckDeletionTimestamp: a canAdopt check that reads the controller afresh
 * (`getObject`, an uncached GET) and refuses when it is being deleted.
 */
export function recheckDeletionTimestamp(
  getObject: () => Promise<KubeObject>,
): () => Promise<void> {
  return async () => {
    let fresh: KubeObject;
    try {
      fresh = await getObject();
    } catch (error) {
      throw new Error(`can't recheck DeletionTimestamp: ${messageOf(error)}`, { cause: error });
    }
    if (!isBeingDeleted(fresh)) return;
    const { namespace = '', name = '', deletionTimestamp = '' } = fresh.metadata;
    throw new Error(
      `${namespace}/${name} has just been deleted at ${goTimeText(deletionTimestamp)}`,
    );
  };
}

/** Runs `check` at most once and replays its outcome. */
function once(check: () => Promise<void>): () => Promise<void> {
  let outcome: Promise<void> | undefined;
  return () => (outcome ??= check());
}

/** Claims `objects` for `options.owner` (see the file comment). */
export async function claimObjects<T extends KubeObject>(
  objects: readonly T[],
  options: ClaimOptions<T>,
): Promise<ClaimResult<T>> {
  const canAdopt = once(options.canAdopt);
  const claimed: T[] = [];
  const errors: unknown[] = [];
  for (const object of objects) {
    const decision = decideClaim(options.owner, object, { matches: options.matches(object) });
    try {
      if (decision === 'claimed') claimed.push(object);
      else if (decision === 'adopt') {
        await adopt(object, options, canAdopt);
        claimed.push(object);
      } else if (decision === 'release') await release(object, options);
    } catch (error) {
      if (!isNotFound(error)) errors.push(error);
    }
  }
  const error = aggregateError(errors);
  return error === undefined ? { claimed } : { claimed, error };
}

async function adopt<T extends KubeObject>(
  object: T,
  options: ClaimOptions<T>,
  canAdopt: () => Promise<void>,
): Promise<void> {
  try {
    await canAdopt();
  } catch (error) {
    const { namespace = '', name = '' } = object.metadata;
    const what = `${options.objectKind} ${namespace}/${name} (${uidOf(object)})`;
    throw new Error(`can't adopt ${what}: ${messageOf(error)}`, { cause: error });
  }
  const reference = newControllerRef(options.owner, options.ownerKind);
  await options.patch(object, adoptionPatch(reference, uidOf(object)));
}

async function release<T extends KubeObject>(object: T, options: ClaimOptions<T>): Promise<void> {
  try {
    await options.patch(object, releasePatch(uidOf(options.owner), uidOf(object)));
  } catch (error) {
    if (isNotFound(error) || isInvalid(error)) return;
    throw error;
  }
}
