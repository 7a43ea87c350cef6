// Builders for the Kubernetes `Status` objects the API server answers errors with (upstream shapes).
import type { JsonObject, JsonValue } from '../store/types.js';

export type StatusReason =
  | 'BadRequest'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'Expired'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'Timeout'
  | 'TooManyRequests'
  | 'InternalError';

/** A cause; upstream omits an empty reason or field from the JSON. */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

/** An error the API answers with: HTTP status code plus the `Status` body. */
export interface ApiError {
  code: number;
  reason: StatusReason;
  message: string;
  details?: StatusDetails;
}

/** Identifies a resource in messages: `pods` or `deployments.apps`, plus its group. */
export interface ResourceRef {
  group: string;
  plural: string;
}

function qualified(ref: ResourceRef): string {
  return ref.group === '' ? ref.plural : `${ref.plural}.${ref.group}`;
}

function details(ref: ResourceRef, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (ref.group !== '') d.group = ref.group;
  d.kind = ref.plural;
  return d;
}

export function notFound(ref: ResourceRef, name: string): ApiError {
  return {
    code: 404,
    reason: 'NotFound',
    message: `${qualified(ref)} "${name}" not found`,
    details: details(ref, name),
  };
}

export function alreadyExists(ref: ResourceRef, name: string): ApiError {
  return {
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualified(ref)} "${name}" already exists`,
    details: details(ref, name),
  };
}

export const optimisticLockMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict; `what` is usually the qualified resource, `pods/binding` for bindings. */
export function conflict(ref: ResourceRef, name: string, reasonText: string): ApiError {
  return {
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${reasonText}`,
    details: details(ref, name),
  };
}

export function invalid(
  qualifiedKind: string,
  group: string,
  name: string,
  fieldMessages: string[],
  causes: StatusCause[],
): ApiError {
  const body = fieldMessages.length === 1 ? fieldMessages[0] : `[${fieldMessages.join(', ')}]`;
  const kind = qualifiedKind.split('.')[0] ?? qualifiedKind;
  const d: StatusDetails = { name };
  if (group !== '') d.group = group;
  d.kind = kind;
  d.causes = causes;
  return {
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind} "${name}" is invalid: ${body}`,
    details: d,
  };
}

export function badRequest(message: string): ApiError {
  return { code: 400, reason: 'BadRequest', message };
}

export function forbidden(ref: ResourceRef, name: string, reasonText: string): ApiError {
  return {
    code: 403,
    reason: 'Forbidden',
    message: `${qualified(ref)} "${name}" is forbidden: ${reasonText}`,
    details: details(ref, name),
  };
}

export function methodNotAllowed(): ApiError {
  return {
    code: 405,
    reason: 'MethodNotAllowed',
    message: 'the server does not allow this method on the requested resource',
    details: {},
  };
}

export function resourceNotFound(): ApiError {
  return {
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
    details: {},
  };
}

export function requestEntityTooLarge(message: string): ApiError {
  return { code: 413, reason: 'RequestEntityTooLarge', message };
}

export function expired(message: string): ApiError {
  return { code: 410, reason: 'Expired', message };
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

export function internalError(message: string): ApiError {
  return {
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${message}`,
    details: { causes: [{ message }] },
  };
}

/** The `Status` object for an error, in upstream field order. */
export function statusObject(error: ApiError): JsonObject {
  const out: Record<string, JsonValue> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
  };
  if (error.details !== undefined) out.details = error.details as unknown as JsonObject;
  out.code = error.code;
  return out;
}

/** A `Status` of success (bindings, some deletes). */
export function successStatus(code: number, extra: Record<string, JsonValue> = {}): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...extra, code };
}
