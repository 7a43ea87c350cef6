import { describe, expect, it } from 'vitest';
import type { HandlerResult, TransportRequest } from '../../ports/transport.js';
import { OpenApiDocuments } from './documents.js';
import { acceptsJson, handleOpenApiV3 } from './handler.js';

const documents = new OpenApiDocuments();

function request(path: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return { method: 'GET', path, query: {}, headers: {}, body: '', ...extra };
}

function answer(result: HandlerResult | undefined) {
  expect(result?.kind).toBe('unary');
  if (result?.kind !== 'unary') throw new Error('expected a unary response');
  return result.response;
}

const coreUrl = JSON.parse(documents.openApiV3Index()).paths['api/v1'].serverRelativeURL as string;
const coreHash = new URL(coreUrl, 'http://x').searchParams.get('hash') as string;

describe('handleOpenApiV3', () => {
  it('leaves other paths to the caller', () => {
    expect(handleOpenApiV3(documents, request('/api/v1'))).toBeUndefined();
    expect(handleOpenApiV3(documents, request('/openapi/v2'))).toBeUndefined();
    expect(handleOpenApiV3(documents, request('/openapi/v3x'))).toBeUndefined();
  });

  it('serves the index as JSON with a quoted ETag', () => {
    const response = answer(handleOpenApiV3(documents, request('/openapi/v3')));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(response.body).toBe(documents.openApiV3Index());
  });

  it('serves a group-version document with immutable caching when the hash is current', () => {
    const query = { hash: coreHash };
    const accept = { accept: 'application/json' };
    const response = answer(
      handleOpenApiV3(documents, request('/openapi/v3/api/v1', { query, headers: accept })),
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe(documents.openApiV3Document('api/v1'));
    expect(response.headers.etag).toBe(`"${coreHash}"`);
    expect(response.headers['cache-control']).toBe('public, immutable');
    expect(response.headers.vary).toBe('Accept');
  });

  it('serves a document without a hash, and without immutable caching', () => {
    const response = answer(handleOpenApiV3(documents, request('/openapi/v3/apis/apps/v1/')));
    expect(response.status).toBe(200);
    expect(response.body).toBe(documents.openApiV3Document('apis/apps/v1'));
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it('redirects a stale hash to the current URL', () => {
    const stale = request('/openapi/v3/api/v1', { query: { hash: 'abc' } });
    const response = answer(handleOpenApiV3(documents, stale));
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe(coreUrl);
  });

  it('answers 304 when If-None-Match names the current ETag', () => {
    const headers = { 'if-none-match': `"${coreHash}"` };
    const response = answer(handleOpenApiV3(documents, request('/openapi/v3/api/v1', { headers })));
    expect(response.status).toBe(304);
    expect(response.body).toBe('');
  });

  it('rejects unknown group-versions, other methods and non-JSON Accept headers', () => {
    expect(answer(handleOpenApiV3(documents, request('/openapi/v3/apis/batch/v1'))).status).toBe(
      404,
    );
    const post = request('/openapi/v3', { method: 'POST' });
    expect(answer(handleOpenApiV3(documents, post)).status).toBe(405);
    const protobuf = { accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' };
    const pb = request('/openapi/v3/api/v1', { headers: protobuf });
    expect(answer(handleOpenApiV3(documents, pb)).status).toBe(406);
  });

  it('reads Accept headers as content negotiation does', () => {
    expect(acceptsJson(undefined)).toBe(true);
    expect(acceptsJson('application/json')).toBe(true);
    expect(acceptsJson('application/json, */*')).toBe(true);
    expect(acceptsJson('application/*;q=0.5')).toBe(true);
    expect(acceptsJson('application/yaml')).toBe(false);
  });
});
