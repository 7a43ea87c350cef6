// The garbage collector's API calls on objects named by identity (upstream's metadata client
// plus restMapper): live GET, strategic merge patch, DELETE with a uid precondition, and the
// conflict-retried removal of one finalizer.
import type { ResourceType } from '../../api/registry.js';
import { findResourceByKind } from '../../api/registry.js';
import type { KubeClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeObject } from '../../client/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import type { PropagationPolicy } from './attempt-plan.js';
import type { ObjectIdentity } from './references.js';
import { removeFinalizerPatch } from './references.js';

/** client-go retry.DefaultBackoff: 4 tries, 10 ms × 5^n between them, jitter 0.1. */
const conflictRetry = { steps: 4, firstMs: 10, factor: 5, jitter: 0.1 } as const;

/** A reference names a kind the API server does not serve (upstream restMappingError). */
export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
}

/** The served resource of an apiVersion/kind; throws UnknownKindError when there is none. */
export function resourceOfKind(identity: { apiVersion: string; kind: string }): ResourceType {
  const type = findResourceByKind(identity.apiVersion, identity.kind);
  if (type === undefined) {
    const { apiVersion, kind } = identity;
    throw new UnknownKindError(`unable to get REST mapping for ${apiVersion}, Kind=${kind}`);
  }
  return type;
}

function targetOf(type: ResourceType, identity: ObjectIdentity) {
  return { namespace: type.namespaced ? identity.namespace : '', name: identity.name };
}

export class ObjectClient {
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #rng: Rng;

  /** `rng` jitters the conflict retries. */
  constructor(options: { client: KubeClient; clock: Clock; rng: Rng }) {
    this.#client = options.client;
    this.#clock = options.clock;
    this.#rng = options.rng;
  }

  /** The live object the identity's name points at (any uid); undefined when not found. */
  async get(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const type = resourceOfKind(identity);
    const { namespace, name } = targetOf(type, identity);
    try {
      return await this.#client.get(type, namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async patchStrategic(identity: ObjectIdentity, body: Record<string, unknown>): Promise<void> {
    const type = resourceOfKind(identity);
    await this.#client.patch(type, targetOf(type, identity), { type: 'strategic', body });
  }

  async delete(identity: ObjectIdentity, policy: PropagationPolicy): Promise<void> {
    const type = resourceOfKind(identity);
    const { namespace, name } = targetOf(type, identity);
    await this.#client.delete(type, namespace, name, {
      preconditions: { uid: identity.uid },
      propagationPolicy: policy,
    });
  }

  /**
   * Removes `finalizer` with a JSON merge patch guarded by the resourceVersion, re-reading on
   * 409 Conflict, at most 4 tries (retry.RetryOnConflict). Resolves true when it removed it,
   * false when the object is gone, has another uid or no longer carries it.
   */
  async removeFinalizer(identity: ObjectIdentity, finalizer: string): Promise<boolean> {
    const type = resourceOfKind(identity);
    let delayMs: number = conflictRetry.firstMs;
    for (let attempt = 1; ; attempt++) {
      const latest = await this.get(identity);
      if (latest === undefined || latest.metadata.uid !== identity.uid) return false;
      const body = removeFinalizerPatch(latest, finalizer);
      if (body === undefined) return false;
      try {
        await this.#client.patch(type, targetOf(type, identity), { type: 'merge', body });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        if (!isConflict(error) || attempt >= conflictRetry.steps) throw error;
      }
      const jitterMs = Math.floor(this.#rng.float() * conflictRetry.jitter * delayMs);
      await this.#clock.sleep(delayMs + jitterMs);
      delayMs *= conflictRetry.factor;
    }
  }
}
