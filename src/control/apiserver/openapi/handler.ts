// Serves GET /openapi/v3 (the index) and GET /openapi/v3/<group-version> (a document) with the
// headers kube-openapi's handler3 sends: JSON, a quoted ETag, `Vary: Accept`, immutable caching
// for URLs that carry the current hash and a 301 to the current hash for a stale one.

import type { HandlerResult, Headers, TransportRequest } from '../../ports/transport.js';
import { errorResult } from '../responses.js';
import { methodNotAllowed, resourceNotFound } from '../status.js';
import type { OpenApiDocument, OpenApiDocuments } from './documents.js';

/** The path of the index; documents live under it. */
export const openApiV3Path = '/openapi/v3';

/** Whether an Accept header admits JSON (absent, `*\/*`, `application/*`, `application/json`). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((clause) => {
    const media = (clause.split(';')[0] ?? '').trim().toLowerCase();
    return media === '*/*' || media === 'application/*' || media === 'application/json';
  });
}

function unary(status: number, headers: Headers, body: string): HandlerResult {
  return { kind: 'unary', response: { status, headers, body } };
}

function notAcceptable(): HandlerResult {
  const headers = { 'content-type': 'text/plain; charset=utf-8', vary: 'Accept' };
  return unary(406, headers, 'only application/json is served\n');
}

/** Whether If-None-Match names this ETag (or `*`). */
function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim().replace(/^W\//, '');
    return trimmed === '*' || trimmed === etag;
  });
}

function serveDocument(
  request: TransportRequest,
  document: OpenApiDocument,
  currentUrl: string | undefined,
): HandlerResult {
  const etag = `"${document.hash}"`;
  const headers: Headers = { 'content-type': 'application/json', etag, vary: 'Accept' };
  const hash = request.query.hash;
  if (currentUrl !== undefined && hash !== undefined && hash !== '') {
    if (hash !== document.hash) return unary(301, { location: currentUrl, vary: 'Accept' }, '');
    headers['cache-control'] = 'public, immutable';
  }
  if (matchesETag(request.headers['if-none-match'], etag)) return unary(304, headers, '');
  return unary(200, headers, document.text);
}

/**
 * Answers a request under /openapi/v3, or returns undefined for any other path so the caller
 * routes it as usual. Unknown group-versions answer 404; a non-GET method 405; an Accept header
 * without JSON 406 (protobuf documents are not served).
 */
export function handleOpenApiV3(
  documents: OpenApiDocuments,
  request: TransportRequest,
): HandlerResult | undefined {
  const path = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
  if (path !== openApiV3Path && !path.startsWith(`${openApiV3Path}/`)) return undefined;
  if (request.method !== 'GET') return errorResult(methodNotAllowed());
  if (path === openApiV3Path) return serveDocument(request, documents.index(), undefined);
  const groupVersion = path.slice(openApiV3Path.length + 1);
  const document = documents.document(groupVersion);
  if (document === undefined) return errorResult(resourceNotFound());
  if (!acceptsJson(request.headers.accept)) return notAcceptable();
  const currentUrl = `${openApiV3Path}/${groupVersion}?hash=${document.hash}`;
  return serveDocument(request, document, currentUrl);
}
