// meta/v1 LabelSelector and label maps: declarations and upstream's label validation.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { forbiddenError, invalidError, requiredError } from '../schema/field-errors.js';
import { goValueText } from '../schema/go-value.js';
import { arrayAt, childPath, indexPath, isObject, stringAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import { arr, obj, str, stringList, stringMap } from '../schema/schema.js';
import { validateLabelKey, validateLabelValue } from '../values/labels.js';

export const labelSelectorRequirementSchema = obj(
  'LabelSelectorRequirement',
  'A key, an operator and values.',
  {
    key: str('Label key the requirement applies to.'),
    operator: str('In, NotIn, Exists or DoesNotExist.', { goType: 'v1.LabelSelectorOperator' }),
    values: stringList('Values for In and NotIn; empty for Exists and DoesNotExist.'),
  },
);

export const labelSelectorSchema: ObjectSchema = obj(
  'LabelSelector',
  'A label query; requirements are ANDed. Empty selects everything, absent selects nothing.',
  {
    matchLabels: stringMap('Equality requirements.'),
    matchExpressions: arr(labelSelectorRequirementSchema, 'Set-based requirements.', {
      listType: 'atomic',
    }),
  },
  { hooks: { validate: validateLabelSelector } },
);

/** Upstream ValidateLabels: errors are reported at the map's own path. */
export function validateLabelMap(value: JsonValue | undefined, path: string): FieldError[] {
  if (!isObject(value)) return [];
  const errors: FieldError[] = [];
  for (const [key, labelValue] of Object.entries(value)) {
    for (const detail of validateLabelKey(key)) errors.push(invalidError(path, key, detail));
    if (typeof labelValue !== 'string') continue;
    for (const detail of validateLabelValue(labelValue)) {
      errors.push(invalidError(path, labelValue, detail));
    }
  }
  return errors;
}

function validateLabelSelector(selector: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors = validateLabelMap(selector.matchLabels, childPath(ctx.path, 'matchLabels'));
  arrayAt(selector, 'matchExpressions').forEach((expression, i) => {
    if (!isObject(expression)) return;
    const path = indexPath(childPath(ctx.path, 'matchExpressions'), i);
    errors.push(...validateSelectorRequirement(expression, path));
  });
  return errors;
}

function validateSelectorRequirement(requirement: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const operator = stringAt(requirement, 'operator') ?? '';
  const values = arrayAt(requirement, 'values');
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) {
      const detail = "must be specified when `operator` is 'In' or 'NotIn'";
      errors.push(requiredError(childPath(path, 'values'), detail));
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) {
      const detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
      errors.push(forbiddenError(childPath(path, 'values'), detail));
    }
  } else {
    errors.push(
      invalidError(childPath(path, 'operator'), operator, 'not a valid selector operator'),
    );
  }
  const key = stringAt(requirement, 'key') ?? '';
  for (const detail of validateLabelKey(key)) {
    errors.push(invalidError(childPath(path, 'key'), key, detail));
  }
  values.forEach((value, i) => {
    if (typeof value !== 'string') return;
    for (const detail of validateLabelValue(value)) {
      errors.push(invalidError(indexPath(childPath(path, 'values'), i), value, detail));
    }
  });
  return errors;
}

/** Go `%#v` of a label map, as upstream prints `template.Labels` in errors. */
export function goLabelsText(labels: JsonValue | undefined): string {
  return goValueText(stringMap(''), labels);
}

/** Go `%#v` of a *metav1.LabelSelector's value. */
export function goLabelSelectorText(selector: JsonValue | undefined): string {
  return goValueText(labelSelectorSchema, selector);
}
