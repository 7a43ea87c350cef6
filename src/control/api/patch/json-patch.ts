// JSON patch (RFC 6902) as the API server applies it: evanphx/json-patch v4.12.0 semantics and
// error texts, behind apiserver v0.32's limits and Status codes.
//
// Upstream deviates from the RFC in ways clients can observe, and this module follows it:
// - `replace` of a missing object member adds it (the RFC says error);
// - negative array indices count from the end (`/a/-1` is the last item);
// - indices are Go integers (`+1` and `01` are accepted);
// - `add` at the root path "" fails; `replace` at "" swaps the whole document for an object
//   or array value (and does nothing for a scalar);
// - a missing `value` reads as null; `test` of a missing member against null passes.
// A failed operation is a 422 whose Status message hides the cause (upstream builds it with
// NewGenericServerResponse); the cause is kept in `detail`.

import type { JsonValue } from '../../store/types.js';
import { utf8ByteLength } from '../values/go-format.js';
import type { DraftMap, DraftNode } from './draft.js';
import { cloneDraft, draftEqual, fromDraft, isDraftList, isDraftMap, toDraft } from './draft.js';
import type { PatchError } from './patch-error.js';
import { badRequest, entityTooLarge, genericInvalid } from './patch-error.js';
import { goJsonKind, unmarshalTypeError } from './go-json.js';

export interface JsonPatchLimits {
  /** Most operations in one patch (apiserver's maxJSONPatchOperations). Default 10 000. */
  operationsMax: number;
  /** Most bytes that `copy` operations may add in one patch (JSONPatchMaxCopyBytes). 3 MiB. */
  copyBytesMax: number;
}

export const defaultJsonPatchLimits: JsonPatchLimits = {
  operationsMax: 10_000,
  copyBytesMax: 3 * 1024 * 1024,
};

export interface JsonPatchOptions {
  limits?: Partial<JsonPatchLimits>;
  /**
   * The request's fieldValidation: Strict and Warn (the default) decode the operations with a
   * typed strict decoder first, which words decoding errors differently.
   */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export type JsonPatchResult = { ok: true; value: JsonValue } | { ok: false; error: PatchError };

type Container = DraftMap | DraftNode[];
type Operation = DraftMap | null;

class OpFailure {
  constructor(readonly message: string) {}
}

const missing = 'missing value';
const invalidIndex = 'invalid index referenced';

/** Go's strconv.Atoi: optional sign, decimal digits, within int64. */
function goAtoi(text: string): number | OpFailure {
  if (!/^[+-]?\d+$/.test(text)) {
    return new OpFailure(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    return new OpFailure(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(big);
}

function badIndex(index: number): OpFailure {
  return new OpFailure(`Unable to access invalid index: ${index}: ${invalidIndex}`);
}

/** The existing index `key` names in `list` (negative counts from the end). */
function existingIndex(list: DraftNode[], key: string): number | OpFailure {
  const index = goAtoi(key);
  if (index instanceof OpFailure) return index;
  if (index < 0) return index < -list.length ? badIndex(index) : index + list.length;
  return index >= list.length ? badIndex(index) : index;
}

function getChild(container: Container, key: string): DraftNode | undefined | OpFailure {
  if (isDraftMap(container)) return container.get(key);
  const index = existingIndex(container, key);
  return index instanceof OpFailure ? index : container[index];
}

function addChild(container: Container, key: string, value: DraftNode): OpFailure | undefined {
  if (isDraftMap(container)) {
    container.set(key, value);
    return undefined;
  }
  if (key === '-') {
    container.push(value);
    return undefined;
  }
  let index = goAtoi(key);
  if (index instanceof OpFailure) {
    return new OpFailure(`value was not a proper array index: '${key}': ${index.message}`);
  }
  const size = container.length + 1;
  if (index >= size || index < -size) return badIndex(index);
  if (index < 0) index += size;
  container.splice(index, 0, value);
  return undefined;
}

function removeChild(container: Container, key: string): OpFailure | undefined {
  if (isDraftMap(container)) {
    if (!container.has(key)) {
      return new OpFailure(`Unable to remove nonexistent key: ${key}: ${missing}`);
    }
    container.delete(key);
    return undefined;
  }
  const index = existingIndex(container, key);
  if (index instanceof OpFailure) return index;
  container.splice(index, 1);
  return undefined;
}

function setChild(container: Container, key: string, value: DraftNode): OpFailure | undefined {
  if (isDraftMap(container)) {
    container.set(key, value);
    return undefined;
  }
  const index = existingIndex(container, key);
  if (index instanceof OpFailure) return index;
  container[index] = value;
  return undefined;
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The container holding the last token of `path`, and that token (evanphx findObject). */
function findParent(
  root: DraftNode,
  path: string,
): { container: Container; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2 || (!isDraftMap(root) && !isDraftList(root))) return undefined;
  let container: Container = root;
  for (const token of tokens.slice(1, -1)) {
    const next = getChild(container, decodeToken(token));
    if (next instanceof OpFailure || next === undefined) return undefined;
    if (!isDraftMap(next) && !isDraftList(next)) return undefined;
    container = next;
  }
  return { container, key: decodeToken(tokens[tokens.length - 1] ?? '') };
}

/** A string member of the operation; undefined when absent or null, a failure when not a string. */
function stringMember(op: Operation, name: string): string | undefined | OpFailure {
  const value = op?.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return new OpFailure(unmarshalTypeError(goJsonKind(value), 'string'));
}

/** The operation's path or from, with evanphx's wording when it is missing or not a string. */
function pointerMember(op: Operation, name: 'path' | 'from'): string | OpFailure {
  const value = stringMember(op, name);
  if (typeof value === 'string' || value instanceof OpFailure) return value;
  const what = name === 'path' ? 'operation missing path field' : 'operation, missing from field';
  return new OpFailure(`${what}: ${missing}`);
}

function valueOf(op: Operation): DraftNode {
  return op?.get('value') ?? null;
}

/** Size of Go's json.Marshal of a value: HTML-escaped <, >, & and U+2028/9 grow. */
function marshalledBytes(node: DraftNode): number {
  const text = JSON.stringify(fromDraft(node));
  const htmlEscapes = (text.match(/[<>&]/g) ?? []).length;
  const lineEscapes = (text.match(/[\u2028\u2029]/g) ?? []).length;
  return utf8ByteLength(text) + 5 * htmlEscapes + 3 * lineEscapes;
}

interface ApplyState {
  root: DraftNode;
  copiedBytes: number;
  copyBytesMax: number;
}

function applyAdd(state: ApplyState, op: Operation): OpFailure | undefined {
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure)
    return new OpFailure(`add operation failed to decode path: ${missing}`);
  const parent = findParent(state.root, path);
  if (!parent)
    return new OpFailure(
      `add operation does not apply: doc is missing path: "${path}": ${missing}`,
    );
  const failure = addChild(parent.container, parent.key, valueOf(op));
  return failure && new OpFailure(`error in add for path: '${path}': ${failure.message}`);
}

function applyRemove(state: ApplyState, op: Operation): OpFailure | undefined {
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure)
    return new OpFailure(`remove operation failed to decode path: ${missing}`);
  const parent = findParent(state.root, path);
  if (!parent) {
    return new OpFailure(
      `remove operation does not apply: doc is missing path: "${path}": ${missing}`,
    );
  }
  const failure = removeChild(parent.container, parent.key);
  return failure && new OpFailure(`error in remove for path: '${path}': ${failure.message}`);
}

function applyReplace(state: ApplyState, op: Operation): OpFailure | undefined {
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure) {
    return new OpFailure(`replace operation failed to decode path: ${path.message}`);
  }
  if (path === '') {
    const value = valueOf(op);
    if (isDraftMap(value) || isDraftList(value)) state.root = value;
    return undefined;
  }
  const parent = findParent(state.root, path);
  if (!parent)
    return new OpFailure(
      `replace operation does not apply: doc is missing path: ${path}: ${missing}`,
    );
  if (getChild(parent.container, parent.key) instanceof OpFailure) {
    return new OpFailure(
      `replace operation does not apply: doc is missing key: ${path}: ${missing}`,
    );
  }
  const failure = setChild(parent.container, parent.key, valueOf(op));
  return failure && new OpFailure(`error in remove for path: '${path}': ${failure.message}`);
}

function applyMove(state: ApplyState, op: Operation): OpFailure | undefined {
  const from = pointerMember(op, 'from');
  if (from instanceof OpFailure)
    return new OpFailure(`move operation failed to decode from: ${from.message}`);
  const source = findParent(state.root, from);
  if (!source)
    return new OpFailure(
      `move operation does not apply: doc is missing from path: ${from}: ${missing}`,
    );
  const value = getChild(source.container, source.key);
  if (value instanceof OpFailure)
    return new OpFailure(`error in move for path: '${source.key}': ${value.message}`);
  const removed = removeChild(source.container, source.key);
  if (removed) return new OpFailure(`error in move for path: '${source.key}': ${removed.message}`);
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure)
    return new OpFailure(`move operation failed to decode path: ${path.message}`);
  const target = findParent(state.root, path);
  if (!target) {
    return new OpFailure(
      `move operation does not apply: doc is missing destination path: ${path}: ${missing}`,
    );
  }
  const failure = addChild(target.container, target.key, value ?? null);
  return failure && new OpFailure(`error in move for path: '${path}': ${failure.message}`);
}

function applyCopy(state: ApplyState, op: Operation): OpFailure | undefined {
  const from = pointerMember(op, 'from');
  if (from instanceof OpFailure)
    return new OpFailure(`copy operation failed to decode from: ${from.message}`);
  const source = findParent(state.root, from);
  if (!source)
    return new OpFailure(
      `copy operation does not apply: doc is missing from path: ${from}: ${missing}`,
    );
  const value = getChild(source.container, source.key);
  if (value instanceof OpFailure)
    return new OpFailure(`error in copy for from: '${from}': ${value.message}`);
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure)
    return new OpFailure(`copy operation failed to decode path: ${missing}`);
  const target = findParent(state.root, path);
  if (!target) {
    return new OpFailure(
      `copy operation does not apply: doc is missing destination path: ${path}: ${missing}`,
    );
  }
  const copy = value === undefined || value === null ? null : cloneDraft(value);
  state.copiedBytes += copy === null ? 0 : marshalledBytes(copy);
  if (state.copiedBytes > state.copyBytesMax) {
    return new OpFailure(
      'Unable to complete the copy, the accumulated size increase of copy is ' +
        `${state.copiedBytes}, exceeding the limit ${state.copyBytesMax}`,
    );
  }
  const failure = addChild(target.container, target.key, copy);
  return failure && new OpFailure(`error while adding value during copy: ${failure.message}`);
}

function applyTest(state: ApplyState, op: Operation): OpFailure | undefined {
  const path = pointerMember(op, 'path');
  if (path instanceof OpFailure)
    return new OpFailure(`test operation failed to decode path: ${path.message}`);
  const failed = new OpFailure(`testing value ${path} failed: test failed`);
  const expected = op?.get('value');
  if (path === '') return draftEqual(state.root, expected) ? undefined : failed;
  const parent = findParent(state.root, path);
  if (!parent)
    return new OpFailure(`test operation does not apply: is missing path: ${path}: ${missing}`);
  const actual = getChild(parent.container, parent.key);
  if (actual instanceof OpFailure)
    return new OpFailure(`error in test for path: '${path}': ${actual.message}`);
  if (actual === undefined || actual === null) return expected === null ? undefined : failed;
  return expected !== undefined && draftEqual(actual, expected) ? undefined : failed;
}

function kindOf(op: Operation): string {
  const kind = op?.get('op');
  return typeof kind === 'string' ? kind : 'unknown';
}

function applyOperation(state: ApplyState, op: Operation): OpFailure | undefined {
  const kind = kindOf(op);
  switch (kind) {
    case 'add':
      return applyAdd(state, op);
    case 'remove':
      return applyRemove(state, op);
    case 'replace':
      return applyReplace(state, op);
    case 'move':
      return applyMove(state, op);
    case 'copy':
      return applyCopy(state, op);
    case 'test':
      return applyTest(state, op);
    default:
      return new OpFailure(`Unexpected kind: ${kind}`);
  }
}

/** Checks the operations' shape the way upstream decodes them; the message of a 400 if not. */
function decodeError(operations: DraftNode, strict: boolean): string | undefined {
  const prefix = strict ? 'error decoding patch: ' : '';
  const listType = strict ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch';
  const itemType = strict ? 'handlers.jsonPatchOp' : 'jsonpatch.Operation';
  if (operations === null) return undefined;
  if (!isDraftList(operations)) {
    return prefix + unmarshalTypeError(goJsonKind(operations), listType);
  }
  for (const op of operations) {
    if (op !== null && !isDraftMap(op)) {
      return prefix + unmarshalTypeError(goJsonKind(op), itemType);
    }
    for (const field of strict && op !== null ? ['op', 'path', 'from'] : []) {
      const value = op?.get(field);
      if (value !== undefined && value !== null && typeof value !== 'string') {
        const kind = goJsonKind(value);
        const target = `Go struct field jsonPatchOp.${field} of type string`;
        return `${prefix}json: cannot unmarshal ${kind} into ${target}`;
      }
    }
  }
  return undefined;
}

/** Applies decoded operations to a draft (consumed); the result may be a new root. */
export function jsonPatchDraft(
  original: DraftNode,
  operations: DraftNode,
  options: JsonPatchOptions = {},
): { ok: true; value: DraftNode } | { ok: false; error: PatchError } {
  const limits = { ...defaultJsonPatchLimits, ...options.limits };
  const decodeMessage = decodeError(operations, options.fieldValidation !== 'Ignore');
  if (decodeMessage !== undefined) return { ok: false, error: badRequest(decodeMessage) };
  const ops = isDraftList(operations) ? (operations as Operation[]) : [];
  if (ops.length > limits.operationsMax) {
    const message =
      `The allowed maximum operations in a JSON patch is ${limits.operationsMax}, ` +
      `got ${ops.length}`;
    return { ok: false, error: entityTooLarge(message) };
  }
  const state: ApplyState = { root: original, copiedBytes: 0, copyBytesMax: limits.copyBytesMax };
  for (const op of ops) {
    const failure = applyOperation(state, op);
    if (failure) return { ok: false, error: genericInvalid(failure.message) };
  }
  return { ok: true, value: state.root };
}

/**
 * Applies a JSON patch (the parsed request body: a list of operations) to a value.
 * Errors: 400 when the operations do not decode, 413 past `operationsMax`, 422 when an
 * operation fails (its evanphx/json-patch text in `detail`).
 */
export function applyJsonPatch(
  original: JsonValue,
  operations: JsonValue,
  options: JsonPatchOptions = {},
): JsonPatchResult {
  const result = jsonPatchDraft(toDraft(original), toDraft(operations), options);
  return result.ok ? { ok: true, value: fromDraft(result.value) } : result;
}
