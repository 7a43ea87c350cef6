// Client errors: API answers that are not 2xx (with their Status), and requests that never got one.
//
// Like client-go's `apierrors`: callers branch on the Status reason with isNotFound, isConflict,
// ... and on transport failures with isTransportError (retry later, the server may be gone).

import type { Status, StatusDetails } from './types.js';

/** A non-2xx API answer; `status` is the server's Status, or one synthesised from the code. */
export class ApiStatusError extends Error {
  override readonly name = 'ApiStatusError';
  readonly status: Status;

  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason;
  }

  get details(): StatusDetails | undefined {
    return this.status.details;
  }
}

/** The request was not answered: connection refused, partition, timeout (Transport rejected). */
export class ClientTransportError extends Error {
  override readonly name = 'ClientTransportError';
}

/** A 2xx answer whose body was not the JSON the call expects. */
export class ResponseDecodeError extends Error {
  override readonly name = 'ResponseDecodeError';
}

/** Reasons upstream's NewGenericServerResponse derives from a bare HTTP code. */
const reasonsByCode: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a Status from a parsed body; undefined when the value is not one. */
export function asStatus(value: unknown): Status | undefined {
  if (!isRecord(value) || value.kind !== 'Status') return undefined;
  if (typeof value.code !== 'number') return undefined;
  return {
    kind: 'Status',
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : 'v1',
    metadata: isRecord(value.metadata) ? value.metadata : {},
    status: value.status === 'Success' ? 'Success' : 'Failure',
    message: typeof value.message === 'string' ? value.message : '',
    reason: typeof value.reason === 'string' ? value.reason : '',
    ...(isRecord(value.details) ? { details: value.details as StatusDetails } : {}),
    code: value.code,
  };
}

const bodyExcerptLengthMax = 200;

/** The error for a non-2xx response: its Status body, or one made from the code and body text. */
export function statusErrorFromResponse(code: number, body: string): ApiStatusError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const status = asStatus(parsed);
  if (status !== undefined && status.status === 'Failure') {
    return new ApiStatusError(status.code === 0 ? { ...status, code } : status);
  }
  const excerpt =
    body.length > bodyExcerptLengthMax ? `${body.slice(0, bodyExcerptLengthMax)}…` : body;
  const reason = reasonsByCode[code] ?? 'Unknown';
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `the server responded with status ${code}: ${excerpt}`,
    reason,
    code,
  });
}

function reasonOf(error: unknown): string | undefined {
  return error instanceof ApiStatusError ? error.reason : undefined;
}

export function isNotFound(error: unknown): boolean {
  return reasonOf(error) === 'NotFound';
}

export function isAlreadyExists(error: unknown): boolean {
  return reasonOf(error) === 'AlreadyExists';
}

/** 409 Conflict from optimistic concurrency (a stale resourceVersion) or a failed precondition. */
export function isConflict(error: unknown): boolean {
  return reasonOf(error) === 'Conflict';
}

export function isInvalid(error: unknown): boolean {
  return reasonOf(error) === 'Invalid';
}

export function isForbidden(error: unknown): boolean {
  return reasonOf(error) === 'Forbidden';
}

export function isBadRequest(error: unknown): boolean {
  return reasonOf(error) === 'BadRequest';
}

export function isTooManyRequests(error: unknown): boolean {
  return reasonOf(error) === 'TooManyRequests';
}

export function isGone(error: unknown): boolean {
  return reasonOf(error) === 'Gone';
}

/** 410 Expired: a too-old resourceVersion or continue token (client-go IsResourceExpired). */
export function isExpired(error: unknown): boolean {
  return reasonOf(error) === 'Expired';
}

/** What a reflector re-lists on: Expired or Gone (client-go's isExpiredError). */
export function isGoneOrExpired(error: unknown): boolean {
  return isExpired(error) || isGone(error);
}

export function isTransportError(error: unknown): boolean {
  return error instanceof ClientTransportError;
}
