// Node selectors as component-helpers/scheduling/corev1/nodeaffinity: compiled NodeSelectorTerms
// (label expressions incl. Gt/Lt, matchFields on metadata.name) and a pod's required affinity.
import { parseGoInt64 } from '../../api/values/label-requirement.js';
import type { JsonObject } from '../../store/types.js';
import { arrayAt, objectAt, objectsAt, stringAt, stringMapAt } from './json-fields.js';

type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface Requirement {
  key: string;
  operator: Operator;
  values: readonly string[];
  bound: bigint;
}

/** One NodeSelectorTerm; `valid` false (a parse error) makes it match nothing. */
export interface NodeSelectorTerm {
  valid: boolean;
  labels: readonly Requirement[];
  fields: readonly Requirement[];
}

const operators = new Set<string>(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);

function stringValues(req: JsonObject): string[] {
  return arrayAt(req, 'values').filter((v): v is string => typeof v === 'string');
}

function labelRequirement(req: JsonObject): Requirement | undefined {
  const operator = stringAt(req, 'operator') ?? '';
  if (!operators.has(operator)) return undefined;
  const values = stringValues(req);
  const r: Requirement = {
    key: stringAt(req, 'key') ?? '',
    operator: operator as Operator,
    values,
    bound: 0n,
  };
  if (r.key === '') return undefined;
  if (operator === 'In' || operator === 'NotIn') return values.length > 0 ? r : undefined;
  if (operator === 'Exists' || operator === 'DoesNotExist')
    return values.length === 0 ? r : undefined;
  const bound = values.length === 1 ? parseGoInt64(values[0] ?? '') : undefined;
  return bound === undefined ? undefined : { ...r, bound };
}

function fieldRequirement(req: JsonObject): Requirement | undefined {
  const operator = stringAt(req, 'operator');
  if (operator !== 'In' && operator !== 'NotIn') return undefined;
  const values = stringValues(req);
  if (values.length !== 1) return undefined;
  return { key: stringAt(req, 'key') ?? '', operator, values, bound: 0n };
}

/** Compiles one term; undefined for an empty term (which matches nothing and is dropped). */
export function compileNodeSelectorTerm(term: JsonObject): NodeSelectorTerm | undefined {
  const exprs = objectsAt(term, 'matchExpressions');
  const fieldExprs = objectsAt(term, 'matchFields');
  if (exprs.length === 0 && fieldExprs.length === 0) return undefined;
  const labels = exprs.map(labelRequirement);
  const fields = fieldExprs.map(fieldRequirement);
  const valid = !labels.includes(undefined) && !fields.includes(undefined);
  return {
    valid,
    labels: labels.filter((r) => r !== undefined),
    fields: fields.filter((r) => r !== undefined),
  };
}

export function compileNodeSelectorTerms(terms: readonly JsonObject[]): NodeSelectorTerm[] {
  const out: NodeSelectorTerm[] = [];
  for (const term of terms) {
    const compiled = compileNodeSelectorTerm(term);
    if (compiled !== undefined) out.push(compiled);
  }
  return out;
}

function labelMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? (labels[r.key] as string) : '';
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(value);
    case 'NotIn':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const actual = has ? parseGoInt64(value) : undefined;
      if (actual === undefined) return false;
      return r.operator === 'Gt' ? actual > r.bound : actual < r.bound;
    }
  }
}

function fieldMatches(r: Requirement, nodeName: string): boolean {
  const value = r.key === 'metadata.name' ? nodeName : '';
  return (value === r.values[0]) === (r.operator === 'In');
}

export function termMatches(
  term: NodeSelectorTerm,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  if (!term.valid) return false;
  for (const r of term.labels) if (!labelMatches(r, labels)) return false;
  for (const r of term.fields) if (!fieldMatches(r, nodeName)) return false;
  return true;
}

/** Terms are ORed; no terms match nothing. */
export function anyTermMatches(
  terms: readonly NodeSelectorTerm[],
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  for (const term of terms) if (termMatches(term, labels, nodeName)) return true;
  return false;
}

/** A pod's spec.nodeSelector plus its required node affinity (GetRequiredNodeAffinity). */
export interface RequiredNodeAffinity {
  /** spec.nodeSelector as entries (undefined when absent), precomputed for the hot path. */
  nodeSelector: readonly (readonly [string, string])[] | undefined;
  /** undefined when the pod has no required node affinity. */
  terms: readonly NodeSelectorTerm[] | undefined;
}

export function requiredNodeAffinityOf(pod: JsonObject): RequiredNodeAffinity {
  const spec = objectAt(pod, 'spec');
  const nodeSelector = objectAt(spec, 'nodeSelector')
    ? Object.entries(stringMapAt(spec, 'nodeSelector'))
    : undefined;
  const required = objectAt(
    objectAt(objectAt(spec, 'affinity'), 'nodeAffinity'),
    'requiredDuringSchedulingIgnoredDuringExecution',
  );
  const terms = required
    ? compileNodeSelectorTerms(objectsAt(required, 'nodeSelectorTerms'))
    : undefined;
  return { nodeSelector, terms };
}

/** RequiredNodeAffinity.Match: every nodeSelector label equal, and some required term matching. */
export function requiredNodeAffinityMatches(
  affinity: RequiredNodeAffinity,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  if (affinity.nodeSelector !== undefined) {
    for (const [key, value] of affinity.nodeSelector) {
      if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
    }
  }
  return affinity.terms === undefined || anyTermMatches(affinity.terms, labels, nodeName);
}
