// Tests of API error decoding and the reason helpers.

import { describe, expect, it } from 'vitest';
import {
  ApiStatusError,
  ClientTransportError,
  isAlreadyExists,
  isConflict,
  isExpired,
  isGone,
  isGoneOrExpired,
  isInvalid,
  isNotFound,
  isTransportError,
  statusErrorFromResponse,
} from './errors.js';

const notFoundBody = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'pods "x" not found',
  reason: 'NotFound',
  details: { name: 'x', kind: 'pods' },
  code: 404,
});

describe('statusErrorFromResponse', () => {
  it('keeps the server’s Status with its details', () => {
    const error = statusErrorFromResponse(404, notFoundBody);
    expect(error).toBeInstanceOf(ApiStatusError);
    expect(error.message).toBe('pods "x" not found');
    expect(error.code).toBe(404);
    expect(error.details).toEqual({ name: 'x', kind: 'pods' });
    expect(isNotFound(error)).toBe(true);
    expect(isConflict(error)).toBe(false);
  });

  it('synthesises a Status from the code when the body is not one', () => {
    const error = statusErrorFromResponse(409, '<html>busy</html>');
    expect(error.reason).toBe('Conflict');
    expect(error.message).toBe('the server responded with status 409: <html>busy</html>');
    expect(statusErrorFromResponse(410, '').reason).toBe('Gone');
    expect(statusErrorFromResponse(599, 'x').reason).toBe('Unknown');
  });
});

describe('reason helpers', () => {
  const withReason = (reason: string, code: number) =>
    new ApiStatusError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: '',
      reason,
      code,
    });

  it('tell the 409s and the 410s apart', () => {
    expect(isAlreadyExists(withReason('AlreadyExists', 409))).toBe(true);
    expect(isConflict(withReason('AlreadyExists', 409))).toBe(false);
    expect(isExpired(withReason('Expired', 410))).toBe(true);
    expect(isGone(withReason('Expired', 410))).toBe(false);
    expect(isGoneOrExpired(withReason('Gone', 410))).toBe(true);
    expect(isInvalid(withReason('Invalid', 422))).toBe(true);
  });

  it('answer false for errors that are not API answers', () => {
    const transport = new ClientTransportError('partitioned');
    expect(isNotFound(transport)).toBe(false);
    expect(isTransportError(transport)).toBe(true);
    expect(isTransportError(withReason('NotFound', 404))).toBe(false);
    expect(isNotFound(new Error('pods "x" not found'))).toBe(false);
  });
});
