// POST on a collection: decode, name, prepare, admit, store (retrying generated-name clashes).
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { StoredObject } from '../store/types.js';
import { admitDraft, storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { objectKey, refOf } from './context.js';
import { decodeObjectBody, fieldValidationOf } from './decode.js';
import { generateName, generateNameAttemptsMax, generateUid } from './identity.js';
import type { Draft } from './json-body.js';
import { errorResult, objectResult, warningHeaders } from './responses.js';
import type { ApiError } from './status.js';
import { alreadyExists, badRequest, invalid } from './status.js';
import { metadataOf, prepareForCreate } from './strategy.js';

/** Sets the namespace from the URL; a different one in the body is a 400 as upstream. */
export function reconcileNamespace(
  type: ResourceType,
  draft: Draft,
  namespace: string,
): ApiError | undefined {
  const meta = metadataOf(draft);
  if (!type.namespaced) {
    delete meta.namespace;
    return undefined;
  }
  const given = meta.namespace;
  if (given !== undefined && given !== '' && given !== namespace) {
    return badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  meta.namespace = namespace;
  return undefined;
}

function nameRequired(type: ResourceType): ApiError {
  return invalid(
    type.group === '' ? type.kind : `${type.kind}.${type.group}`,
    type.group,
    '',
    ['metadata.name: Required value: name or generateName is required'],
    [
      {
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      },
    ],
  );
}

export async function handleCreate(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string,
  request: TransportRequest,
): Promise<HandlerResult> {
  if (type.namespaced && namespace === '')
    return errorResult(badRequest('the namespace of the object is required'));
  const mode = fieldValidationOf(request.query);
  if (!mode.ok) return errorResult(mode.error);
  const decoded = decodeObjectBody(request.body, type, mode.mode, ctx.limits);
  if (!decoded.ok) return errorResult(decoded.error);
  const draft = decoded.draft;
  const nsError = reconcileNamespace(type, draft, namespace);
  if (nsError !== undefined) return errorResult(nsError);
  const created = createFromDraft(ctx, type, namespace, draft);
  if (!created.ok) return errorResult(created.error);
  await ctx.store.sync();
  return objectResult(201, created.object, warningHeaders(decoded.warnings));
}

/**
 * Creates an object from a decoded draft whose namespace is already reconciled: a fixed name,
 * or a generated one retried on clashes (RetryGenerateName).
 */
export function createFromDraft(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string,
  draft: Draft,
): { ok: true; object: StoredObject } | { ok: false; error: ApiError } {
  const meta = metadataOf(draft);
  const fixedName = typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
  const prefix = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (fixedName === undefined && prefix === '') return { ok: false, error: nameRequired(type) };
  const attempts = fixedName === undefined ? generateNameAttemptsMax : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const name = fixedName ?? generateName(prefix, ctx.namesRng);
    const result = createOnce(ctx, type, namespace, structuredCloneDraft(draft), name);
    if (result.ok || result.error.reason !== 'AlreadyExists' || fixedName !== undefined) {
      return result;
    }
  }
  return { ok: false, error: alreadyExists(refOf(type), prefix) };
}

function structuredCloneDraft(draft: Draft): Draft {
  return JSON.parse(JSON.stringify(draft)) as Draft;
}

function createOnce(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string,
  draft: Draft,
  name: string,
): { ok: true; object: StoredObject } | { ok: false; error: ApiError } {
  metadataOf(draft).name = name;
  const nowMs = ctx.clock.nowMs();
  prepareForCreate(type, draft, { uid: generateUid(ctx.uidsRng), nowMs });
  const admitted = admitDraft(ctx, {
    operation: 'CREATE',
    type,
    subresource: '',
    namespace,
    name,
    object: draft,
    oldObject: undefined,
    nowMs,
  });
  if (!admitted.ok) return admitted;
  const stored = ctx.store.create(objectKey(type, namespace, name), admitted.object);
  if (!stored.ok) return { ok: false, error: storeErrorToApi(type, name, stored.error) };
  return { ok: true, object: stored.value };
}
