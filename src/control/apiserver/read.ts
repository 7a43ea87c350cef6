// GET of one object and LIST of a collection (label/field selectors, limit/continue, RV semantics).
import type { ResourceType } from '../api/registry.js';
import type { HandlerResult, TransportRequest } from '../ports/transport.js';
import type { JsonObject } from '../store/types.js';
import { storeErrorToApi } from './commit.js';
import type { ServerContext } from './context.js';
import { collectionPrefix, objectKey, refOf } from './context.js';
import { errorResult, itemsResult, jsonResult } from './responses.js';
import { selectorFilter } from './selectors.js';
import type { ApiError } from './status.js';
import { badRequest, expired, notFound } from './status.js';
import type { TableListMeta } from './tables/list-meta.js';
import { prepareOutput, renderList, renderObject } from './tables/transform.js';

/** GET of one object; the request's Accept header may ask for a Table or metadata only. */
export function handleGet(
  ctx: ServerContext,
  type: ResourceType,
  target: { namespace: string; name: string },
  request: TransportRequest,
): HandlerResult {
  const output = prepareOutput(request.headers, request.query);
  if (!output.ok) return errorResult(output.error);
  const object = ctx.store.get(objectKey(type, target.namespace, target.name));
  if (object === undefined) return errorResult(notFound(refOf(type), target.name));
  const rendered = renderObject(type, object, output.plan, ctx.clock.nowMs());
  if (!rendered.ok) return errorResult(rendered.error);
  if (rendered.value !== undefined) return jsonResult(200, JSON.stringify(rendered.value));
  return jsonResult(200, ctx.json.text(object));
}

interface ContinueToken {
  revision: number;
  /** Key suffix (after the collection prefix) of the last object returned. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return btoa(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.revision, start: `${token.start}\u0000` }),
  );
}

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const parsed = JSON.parse(atob(text)) as Record<string, unknown>;
    const rv = parsed.rv;
    const start = parsed.start;
    if (
      parsed.v !== 'meta.k8s.io/v1' ||
      typeof rv !== 'number' ||
      !Number.isSafeInteger(rv) ||
      rv < 1
    ) {
      return undefined;
    }
    if (typeof start !== 'string' || !start.endsWith('\u0000') || start.includes('..'))
      return undefined;
    return { revision: rv, start: start.slice(0, -1) };
  } catch {
    return undefined;
  }
}

/** Parses a resourceVersion query value: '' or '0' → undefined (latest), else a revision. */
export function parseResourceVersion(
  text: string | undefined,
): { ok: true; revision: number | undefined } | { ok: false; error: ApiError } {
  if (text === undefined || text === '' || text === '0') return { ok: true, revision: undefined };
  if (!/^[1-9]\d{0,15}$/.test(text))
    return { ok: false, error: badRequest(`invalid resource version "${text}"`) };
  return { ok: true, revision: Number(text) };
}

function tooLarge(requested: number, current: number): ApiError {
  return {
    code: 504,
    reason: 'Timeout',
    message: `Too large resource version: ${requested}, current: ${current}`,
    details: {
      causes: [
        { reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' },
      ],
    },
  };
}

const inconsistentContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

interface ListPlan {
  atRevision: number | undefined;
  afterKey: string | undefined;
  limit: number;
}

function planList(
  ctx: ServerContext,
  prefix: string,
  query: Record<string, string>,
): { ok: true; plan: ListPlan } | { ok: false; error: ApiError } {
  const limitText = query.limit ?? '';
  let limit = 0;
  if (limitText !== '') {
    if (!/^\d{1,15}$/.test(limitText))
      return { ok: false, error: badRequest(`invalid limit "${limitText}"`) };
    limit = Number(limitText);
  }
  if (ctx.limits.listLimitMax > 0 && (limit === 0 || limit > ctx.limits.listLimitMax))
    limit = ctx.limits.listLimitMax;
  const continueText = query.continue ?? '';
  if (continueText !== '') {
    if ((query.resourceVersion ?? '') !== '') {
      return {
        ok: false,
        error: badRequest('specifying resource version is not allowed when using continue'),
      };
    }
    const token = decodeContinue(continueText);
    if (token === undefined)
      return { ok: false, error: badRequest('continue key is not valid: malformed token') };
    return {
      ok: true,
      plan: { atRevision: token.revision, afterKey: prefix + token.start, limit },
    };
  }
  const rv = parseResourceVersion(query.resourceVersion);
  if (!rv.ok) return rv;
  const match = query.resourceVersionMatch ?? '';
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    return {
      ok: false,
      error: badRequest(
        `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      ),
    };
  }
  if (match !== '' && rv.revision === undefined && query.resourceVersion !== '0') {
    return {
      ok: false,
      error: badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided'),
    };
  }
  if (rv.revision !== undefined && rv.revision > ctx.store.revision) {
    return { ok: false, error: tooLarge(rv.revision, ctx.store.revision) };
  }
  const exact = match === 'Exact' && rv.revision !== undefined;
  return {
    ok: true,
    plan: { atRevision: exact ? rv.revision : undefined, afterKey: undefined, limit },
  };
}

export function handleList(
  ctx: ServerContext,
  type: ResourceType,
  namespace: string,
  request: TransportRequest,
): HandlerResult {
  const output = prepareOutput(request.headers, request.query);
  if (!output.ok) return errorResult(output.error);
  const selected = selectorFilter(type, request.query);
  if (!selected.ok) return errorResult(selected.error);
  const prefix = collectionPrefix(type, namespace);
  const planned = planList(ctx, prefix, request.query);
  if (!planned.ok) return errorResult(planned.error);
  const { plan } = planned;
  const listed = ctx.store.list(prefix, {
    atRevision: plan.atRevision,
    afterKey: plan.afterKey,
    limit: plan.limit,
    filter: selected.filter,
  });
  if (!listed.ok) {
    if (listed.error.code === 'Expired' && plan.afterKey !== undefined)
      return errorResult(expired(inconsistentContinueMessage));
    return errorResult(storeErrorToApi(type, '', listed.error));
  }
  const { items, revision, lastKey, remainingCount } = listed.value;
  const listMeta: TableListMeta = { resourceVersion: String(revision) };
  if (lastKey !== undefined) {
    listMeta.continue = encodeContinue({ revision, start: lastKey.slice(prefix.length) });
    if (remainingCount !== undefined) listMeta.remainingItemCount = remainingCount;
  }
  const rendered = renderList(type, items, listMeta, output.plan, ctx.clock.nowMs());
  if (!rendered.ok) return errorResult(rendered.error);
  if (rendered.value !== undefined) return jsonResult(200, JSON.stringify(rendered.value));
  return plainListResult(ctx, type, items, listMeta);
}

/** The plain `<Kind>List`, built from the cached JSON text of each item. */
function plainListResult(
  ctx: ServerContext,
  type: ResourceType,
  items: readonly JsonObject[],
  listMeta: TableListMeta,
): HandlerResult {
  let meta = `"resourceVersion":${JSON.stringify(listMeta.resourceVersion)}`;
  if (listMeta.continue !== undefined) {
    meta += `,"continue":${JSON.stringify(listMeta.continue)}`;
    if (listMeta.remainingItemCount !== undefined)
      meta += `,"remainingItemCount":${listMeta.remainingItemCount}`;
  }
  const head = `{"kind":"${type.listKind}","apiVersion":"${type.apiVersion}","metadata":{${meta}},"items":[`;
  return itemsResult(ctx.json, { head, items, tail: ']}' }, type.listKind);
}
