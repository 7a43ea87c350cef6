// Decodes a YAML mapping against an object type: unknown fields (with a suggestion), required
// fields, defaults, and groups of mutually exclusive keys; then the type's build hook.
import { isMap } from 'yaml';
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { assert } from '../../control/util/assert.js';
import { buildContext, defaultNode, isNullNode, mapEntries, remember } from './decode-state.js';
import type { DecodeState, MapEntry } from './decode-state.js';
import { quote } from './scenario-errors.js';
import type { ObjectPath } from './scenario-errors.js';
import { invalid, modelKeyOf } from './schema-dsl.js';
import type { Field, Fields, Group, ObjectType } from './schema-dsl.js';

type Entries = ReadonlyMap<string, MapEntry>;

export function decodeObject(
  state: DecodeState,
  type: ObjectType,
  node: YamlNode | null,
  path: ObjectPath,
  line: number,
): unknown {
  const entries = isMap(node) ? mapEntries(state, node as YAMLMap, path, (key) => key) : [];
  const byKey: Entries = new Map(entries.map((entry) => [entry.key, entry]));
  reportUnknownFields(state, type, entries, path);
  const result: Record<string, unknown> = {};
  let ok = decodeFields(state, type.fields, byKey, result, path, line);
  for (const group of type.groups ?? []) {
    ok = decodeGroup(state, group, byKey, result, path, line) && ok;
  }
  if (!ok) return invalid;
  if (type.build === undefined) return result;
  const built = type.build(result as never, buildContext(state, path));
  remember(state, built, path);
  return built;
}

function decodeFields(
  state: DecodeState,
  fields: Fields,
  byKey: Entries,
  target: Record<string, unknown>,
  path: ObjectPath,
  line: number,
): boolean {
  let ok = true;
  for (const [name, field] of Object.entries(fields)) {
    const entry = byKey.get(name);
    const fieldPath = [...path, name];
    const key = modelKeyOf(name, field.type, field.model);
    if (entry !== undefined && !isNullNode(entry.value)) {
      const value = state.decode(state, field.type, entry.value, fieldPath, entry.keyLine);
      if (value !== invalid) {
        target[key] = value;
        continue;
      }
      if (field.required === true) ok = false;
    } else if (field.required === true) {
      state.report(fieldPath, entry?.keyLine ?? line, 'missing required field');
      ok = false;
      continue;
    }
    fillDefault(state, field, target, key, fieldPath, entry?.keyLine ?? line);
  }
  return ok;
}

function fillDefault(
  state: DecodeState,
  field: Field,
  target: Record<string, unknown>,
  key: string,
  path: ObjectPath,
  line: number,
): void {
  if (field.default === undefined) return;
  const value = state.decode(state, field.type, defaultNode(state, field.default), path, line);
  assert(value !== invalid, `the default of ${path.join('.')} must be valid`);
  target[key] = value;
}

function decodeGroup(
  state: DecodeState,
  group: Group,
  byKey: Entries,
  target: Record<string, unknown>,
  path: ObjectPath,
  line: number,
): boolean {
  const names = Object.keys(group.options);
  const present = names.filter((name) => byKey.has(name));
  reportStrayCompanions(state, group, byKey, present, path);
  const [chosen, second] = present;
  if (chosen === undefined) {
    if (!group.required) return true;
    state.report(path, line, `missing ${group.label} (one of: ${names.join(', ')})`);
    return false;
  }
  if (second !== undefined) {
    const keyLine = byKey.get(second)?.keyLine ?? line;
    const message = `only one ${group.label} may be set (also found ${quote(chosen)})`;
    state.report([...path, second], keyLine, message);
    return false;
  }
  const option = group.options[chosen];
  const entry = byKey.get(chosen);
  assert(option !== undefined && entry !== undefined, 'a present option has an entry');
  const emptyObject = option.type.kind === 'object' && isNullNode(entry.value);
  const node = emptyObject ? defaultNode(state, {}) : entry.value;
  const optionPath = [...path, chosen];
  const value = state.decode(state, option.type, node, optionPath, entry.keyLine);
  if (value === invalid) return false;
  const nested: Record<string, unknown> = { kind: chosen };
  if (option.type.kind === 'object') Object.assign(nested, value);
  else nested[modelKeyOf(chosen, option.type)] = value;
  const ok = decodeFields(state, option.with ?? {}, byKey, nested, path, line);
  target[group.name] = nested;
  remember(state, nested, optionPath);
  return ok;
}

/** Fields that belong to another option of the group than the one chosen. */
function reportStrayCompanions(
  state: DecodeState,
  group: Group,
  byKey: Entries,
  present: readonly string[],
  path: ObjectPath,
): void {
  const owners = new Map<string, string[]>();
  for (const [name, option] of Object.entries(group.options)) {
    for (const companion of Object.keys(option.with ?? {})) {
      owners.set(companion, [...(owners.get(companion) ?? []), name]);
    }
  }
  for (const [companion, names] of owners) {
    const entry = byKey.get(companion);
    if (entry === undefined || names.some((name) => present.includes(name))) continue;
    const message = `only allowed with ${names.map(quote).join(' or ')}`;
    state.report([...path, companion], entry.keyLine, message);
  }
}

function allowedKeys(type: ObjectType): string[] {
  const keys = Object.keys(type.fields);
  for (const group of type.groups ?? []) {
    for (const [name, option] of Object.entries(group.options)) {
      keys.push(name, ...Object.keys(option.with ?? {}));
    }
  }
  return [...new Set(keys)];
}

function reportUnknownFields(
  state: DecodeState,
  type: ObjectType,
  entries: readonly MapEntry[],
  path: ObjectPath,
): void {
  const allowed = allowedKeys(type);
  for (const entry of entries) {
    if (allowed.includes(entry.key)) continue;
    const hint = type.hints?.[entry.key];
    const near = closestName(entry.key, allowed);
    const advice =
      hint !== undefined
        ? ` (${hint})`
        : near !== undefined
          ? ` (did you mean ${quote(near)}?)`
          : allowed.length <= 8
            ? ` (fields here: ${allowed.join(', ')})`
            : '';
    state.report([...path, entry.key], entry.keyLine, `unknown field${advice}`);
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The allowed name nearest to `name`, if it is close enough to be a typo. */
export function closestName(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.MAX_SAFE_INTEGER;
  for (const candidate of allowed) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.trunc(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}
