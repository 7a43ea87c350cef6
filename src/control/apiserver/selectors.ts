// Turns `labelSelector` and `fieldSelector` query parameters into one object filter.
import type { ResourceType } from '../api/registry.js';
import { parseLabelSelector, matchesLabels } from '../api/values/labels.js';
import { parseFieldSelector, matchesFields, fieldSelectorLabels } from '../api/values/fields.js';
import type { JsonObject, ObjectFilter } from '../store/types.js';
import type { ApiError } from './status.js';
import { badRequest } from './status.js';

/** Legacy field labels upstream rewrites before matching. */
const fieldLabelAliases: Record<string, Record<string, string>> = {
  pods: { 'spec.host': 'spec.nodeName' },
};

function labelsOf(object: JsonObject): Record<string, string> {
  const meta = object.metadata as JsonObject;
  return (meta.labels ?? {}) as Record<string, string>;
}

/** Builds the filter, or undefined when the request selects everything. */
export function selectorFilter(
  type: ResourceType,
  query: Record<string, string>,
): { ok: true; filter: ObjectFilter | undefined } | { ok: false; error: ApiError } {
  const filters: ObjectFilter[] = [];
  const labelText = query.labelSelector ?? '';
  if (labelText.trim() !== '') {
    const parsed = parseLabelSelector(labelText);
    if (!parsed.ok) return { ok: false, error: badRequest(parsed.message) };
    const selector = parsed.selector;
    filters.push((object) => matchesLabels(selector, labelsOf(object)));
  }
  const fieldText = query.fieldSelector ?? '';
  if (fieldText.trim() !== '') {
    const parsed = parseFieldSelector(fieldText);
    if (!parsed.ok) return { ok: false, error: badRequest(parsed.message) };
    const aliases = fieldLabelAliases[type.plural] ?? {};
    for (const label of fieldSelectorLabels(parsed.selector)) {
      const real = aliases[label] ?? label;
      if (type.fieldLabels[real] === undefined) {
        return { ok: false, error: badRequest(`field label not supported: ${label}`) };
      }
    }
    const selector = parsed.selector;
    filters.push((object) =>
      matchesFields(selector, (label) => {
        const getter = type.fieldLabels[aliases[label] ?? label];
        return getter === undefined ? undefined : getter(object);
      }),
    );
  }
  if (filters.length === 0) return { ok: true, filter: undefined };
  if (filters.length === 1) return { ok: true, filter: filters[0] };
  return { ok: true, filter: (object) => filters.every((f) => f(object)) };
}
