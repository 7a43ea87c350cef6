// Taints and tolerations as core/v1 helpers: parsing node taints and Toleration.ToleratesTaint.
import type { JsonObject } from '../../store/types.js';
import { objectAt, objectsAt, stringAt } from './json-fields.js';

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export function taintsOf(node: JsonObject): Taint[] {
  return objectsAt(objectAt(node, 'spec'), 'taints').map((t) => ({
    key: stringAt(t, 'key') ?? '',
    value: stringAt(t, 'value') ?? '',
    effect: stringAt(t, 'effect') ?? '',
  }));
}

export function tolerationsOf(pod: JsonObject): Toleration[] {
  return objectsAt(objectAt(pod, 'spec'), 'tolerations').map((t) => ({
    key: stringAt(t, 'key') ?? '',
    operator: stringAt(t, 'operator') ?? '',
    value: stringAt(t, 'value') ?? '',
    effect: stringAt(t, 'effect') ?? '',
  }));
}

/**
 * Toleration.ToleratesTaint: an empty effect matches every effect, an empty key (with Exists)
 * every key; Equal (the default) needs equal values, Exists ignores them.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  switch (t.operator) {
    case '':
    case 'Equal':
      return t.value === taint.value;
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function taintToleratedBy(taint: Taint, tolerations: readonly Toleration[]): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}
