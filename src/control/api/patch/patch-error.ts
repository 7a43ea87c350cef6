// The error values of the patch engines: an HTTP code, a Status reason and upstream's message.

export type PatchErrorReason =
  | 'BadRequest'
  | 'Invalid'
  | 'UnsupportedMediaType'
  | 'NotFound'
  | 'Conflict'
  | 'RequestEntityTooLarge';

export interface PatchError {
  code: number;
  reason: PatchErrorReason;
  /** The Status message upstream's API server answers with. */
  message: string;
  /**
   * The engine's own error text when upstream's Status hides it: for 422 answers built by
   * NewGenericServerResponse the message is only "the server rejected our request due to an
   * error in our request", and this holds e.g. `testing value /a failed: test failed`.
   */
  detail?: string;
  /** Status details (NotFound and Conflict name the object, as upstream does). */
  details?: { name: string; group?: string; kind: string };
}

/** Upstream's message for any 422 answer built by apimachinery's NewGenericServerResponse. */
export const genericInvalidMessage =
  'the server rejected our request due to an error in our request';

export function badRequest(message: string): PatchError {
  return { code: 400, reason: 'BadRequest', message };
}

/** A 422 as NewGenericServerResponse builds it: the cause is lost from the Status message. */
export function genericInvalid(detail: string): PatchError {
  return { code: 422, reason: 'Invalid', message: genericInvalidMessage, detail };
}

export function entityTooLarge(message: string): PatchError {
  return { code: 413, reason: 'RequestEntityTooLarge', message };
}
