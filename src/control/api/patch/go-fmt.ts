// Go fmt renderings of decoded JSON (`%v`, `%s`, reflect type names) for upstream error texts.
//
// Upstream decodes patches into interface{} values with integers kept as int64 and other numbers
// as float64; its messages print those values with fmt, e.g.
//   map: map[image:nginx] does not contain declared merge key: name

import { goFormatFloat } from '../schema/go-float.js';
import { compareGoStrings } from '../values/go-format.js';
import type { DraftNode } from './draft.js';
import { isDraftList, isDraftMap } from './draft.js';

function numberType(value: number): 'int64' | 'float64' {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64';
}

/** `%v` of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`, `true`, `1.5`. */
export function goSprint(node: DraftNode): string {
  if (node === null) return '<nil>';
  if (isDraftMap(node)) {
    const keys = [...node.keys()].sort(compareGoStrings);
    return `map[${keys.map((key) => `${key}:${goSprint(node.get(key) ?? null)}`).join(' ')}]`;
  }
  if (isDraftList(node)) return `[${node.map(goSprint).join(' ')}]`;
  if (typeof node === 'number') return goFormatFloat(node);
  return String(node);
}

/** `%s` of a decoded JSON value: strings as they are, other scalars as `%!s(int64=1)`. */
export function goSprintS(node: DraftNode): string {
  if (typeof node === 'string') return node;
  if (node === null) return '%!s(<nil>)';
  if (typeof node === 'number') return `%!s(${numberType(node)}=${goFormatFloat(node)})`;
  if (typeof node === 'boolean') return `%!s(bool=${String(node)})`;
  return goSprint(node);
}

/** `%s` of reflect.TypeOf(value), as printed by upstream's ErrBadArgType. */
export function goTypeName(node: DraftNode | undefined): string {
  if (node === null || node === undefined) return '%!s(<nil>)';
  if (isDraftMap(node)) return 'map[string]interface {}';
  if (isDraftList(node)) return '[]interface {}';
  if (typeof node === 'number') return numberType(node);
  if (typeof node === 'boolean') return 'bool';
  return 'string';
}
