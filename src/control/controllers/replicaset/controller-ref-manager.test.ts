// claimObjects and recheckDeletionTimestamp with recorded patch calls instead of an API server.

import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../client/errors.js';
import type { KubeObject } from '../../client/types.js';
import { newControllerRef } from './controller-ref.js';
import type { ClaimOptions } from './controller-ref-manager.js';
import {
  aggregateError,
  claimObjects,
  recheckDeletionTimestamp,
} from './controller-ref-manager.js';

const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const owner: KubeObject = { metadata: { name: 'web', namespace: 'ns', uid: 'uid-web' } };
const mine = [newControllerRef(owner, rsKind) as unknown as Record<string, unknown>];

function pod(name: string, app: string, ownerReferences?: Record<string, unknown>[]): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    labels: { app },
  };
  if (ownerReferences !== undefined) metadata.ownerReferences = ownerReferences;
  return { metadata };
}

function apiError(code: number, reason: string, message: string): ApiStatusError {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' } as const;
  return new ApiStatusError({ ...status, code, reason, message });
}

function harness(overrides: Partial<ClaimOptions<KubeObject>> = {}) {
  const patches: Array<[string, unknown]> = [];
  let canAdoptCalls = 0;
  const options: ClaimOptions<KubeObject> = {
    owner,
    ownerKind: rsKind,
    objectKind: 'Pod',
    matches: (object) => object.metadata.labels?.app === 'web',
    canAdopt: async () => {
      canAdoptCalls += 1;
    },
    patch: async (object, body) => {
      patches.push([object.metadata.name ?? '', body]);
    },
    ...overrides,
  };
  return { options, patches, canAdoptCalls: () => canAdoptCalls };
}

describe('claiming pods', () => {
  it('keeps owned matches, adopts orphans, releases owned misfits, in input order', async () => {
    const { options, patches, canAdoptCalls } = harness();
    const pods = [
      pod('owned', 'web', mine),
      pod('orphan-1', 'web'),
      pod('stray', 'db', mine),
      pod('orphan-2', 'web'),
      pod('foreign', 'db'),
    ];
    const result = await claimObjects(pods, options);
    expect(result.claimed.map((p) => p.metadata.name)).toEqual(['owned', 'orphan-1', 'orphan-2']);
    expect(result.error).toBeUndefined();
    expect(patches.map(([name]) => name)).toEqual(['orphan-1', 'stray', 'orphan-2']);
    expect(patches[1]?.[1]).toEqual({
      metadata: { ownerReferences: [{ $patch: 'delete', uid: 'uid-web' }], uid: 'uid-stray' },
    });
    expect(canAdoptCalls()).toBe(1);
  });

  it('refuses every adoption when the recheck fails, and says why', async () => {
    const { options, patches } = harness({
      canAdopt: () => Promise.reject(new Error('ns/web has just been deleted at then')),
    });
    const result = await claimObjects([pod('a', 'web'), pod('b', 'web')], options);
    expect(result.claimed).toEqual([]);
    expect(patches).toEqual([]);
    expect(result.error?.message).toBe(
      "[can't adopt Pod ns/a (uid-a): ns/web has just been deleted at then, " +
        "can't adopt Pod ns/b (uid-b): ns/web has just been deleted at then]",
    );
  });

  it('skips pods that vanished and ignores a release the server calls invalid', async () => {
    const { options } = harness({
      patch: async (object) => {
        if (object.metadata.name === 'gone') throw apiError(404, 'NotFound', 'not found');
        if (object.metadata.name === 'stray') throw apiError(422, 'Invalid', 'invalid');
        if (object.metadata.name === 'busy') throw apiError(409, 'Conflict', 'try again');
      },
    });
    const pods = [pod('gone', 'web'), pod('stray', 'db', mine), pod('busy', 'web')];
    const result = await claimObjects(pods, options);
    expect(result.claimed).toEqual([]);
    expect(result.error?.message).toBe('try again');
  });
});

describe('aggregate errors', () => {
  it('reads as one message, or distinct messages in brackets', () => {
    expect(aggregateError([])).toBeUndefined();
    expect(aggregateError([new Error('a')])?.message).toBe('a');
    expect(aggregateError([new Error('a'), new Error('a')])?.message).toBe('a');
    expect(aggregateError([new Error('a'), 'b'])?.message).toBe('[a, b]');
  });
});

describe('the deletion-timestamp recheck', () => {
  it('passes for a live controller', async () => {
    await expect(recheckDeletionTimestamp(async () => owner)()).resolves.toBeUndefined();
  });

  it('refuses a controller that has just been deleted, with the time as Go prints it', async () => {
    const deleting = {
      metadata: { ...owner.metadata, deletionTimestamp: '2026-01-01T00:00:05Z' },
    };
    await expect(recheckDeletionTimestamp(async () => deleting)()).rejects.toThrow(
      'ns/web has just been deleted at 2026-01-01 00:00:05 +0000 UTC',
    );
  });

  it('refuses when the controller cannot be read', async () => {
    const check = recheckDeletionTimestamp(() => Promise.reject(new Error('timeout')));
    await expect(check()).rejects.toThrow("can't recheck DeletionTimestamp: timeout");
  });
});
