// Errors of the strategic merge patch engine, worded as apimachinery v0.32's mergepatch package.
//
// `kind` says how upstream's API server answers each: BadRequest (400) for the malformed
// directive errors it recognises, Invalid (422, message hidden) for lists of lists, and
// Unknown for every other error, which upstream lets through as a 500 with an empty reason.

import type { DraftMap, DraftNode } from './draft.js';
import { goSprint, goSprintS, goTypeName } from './go-fmt.js';

export type SmpFailureKind = 'BadRequest' | 'Invalid' | 'Unknown';

export class SmpFailure {
  constructor(
    readonly kind: SmpFailureKind,
    readonly message: string,
  ) {}
}

export const badPatchFormatForPrimitiveList = (): SmpFailure =>
  new SmpFailure('BadRequest', 'invalid patch format of primitive list');
export const badPatchFormatForRetainKeys = (): SmpFailure =>
  new SmpFailure('BadRequest', 'invalid patch format of retainKeys');
export const badPatchFormatForSetElementOrderList = (): SmpFailure =>
  new SmpFailure('BadRequest', 'invalid patch format of setElementOrder list');
export const noListOfLists = (): SmpFailure =>
  new SmpFailure('Invalid', 'lists of lists are not supported');

export function noMergeKey(map: DraftMap, mergeKey: string): SmpFailure {
  return new SmpFailure(
    'Unknown',
    `map: ${goSprint(map)} does not contain declared merge key: ${mergeKey}`,
  );
}

/** ErrBadArgType: `expected` names the Go type upstream asserted. */
export function badArgType(expected: 'map' | 'slice', actual: DraftNode | undefined): SmpFailure {
  const expectedType = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return new SmpFailure(
    'Unknown',
    `expected a ${expectedType}, but received a ${goTypeName(actual)}`,
  );
}

export function badPatchType(directive: DraftNode, map: DraftMap): SmpFailure {
  return new SmpFailure(
    'Unknown',
    `unknown patch type: ${goSprintS(directive)} in map: ${goSprint(map)}`,
  );
}

export function notAMap(index: number): SmpFailure {
  return new SmpFailure('Unknown', `value for key ${index} is not a map`);
}

export function unknown(message: string): SmpFailure {
  return new SmpFailure('Unknown', message);
}
