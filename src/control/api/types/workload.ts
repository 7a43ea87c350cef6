// What ReplicaSets and Deployments share: selector/template validation and printer columns.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import {
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../schema/field-errors.js';
import { arrayAt, childPath, isObject, objectAt, stringAt, valueAtPath } from '../schema/json.js';
import type { LabelSelectorObject } from '../values/labels.js';
import {
  isEverythingLabelSelector,
  matchesLabels,
  selectorFromLabelSelector,
  selectorToString,
} from '../values/labels.js';
import { goLabelSelectorText, goLabelsText } from './label-selector.js';
import type { PrinterColumn } from './resource.js';
import { computedColumn } from './printing.js';

function labelsOf(value: JsonValue | undefined): Readonly<Record<string, string>> {
  if (!isObject(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value))
    if (typeof label === 'string') labels[key] = label;
  return labels;
}

function selectorErrors(spec: JsonObject, path: string): FieldError[] {
  const selector = spec.selector;
  if (!isObject(selector)) return [requiredError(childPath(path, 'selector'))];
  const count =
    Object.keys(objectAt(selector, 'matchLabels') ?? {}).length +
    arrayAt(selector, 'matchExpressions').length;
  if (count > 0) return [];
  const text = goLabelSelectorText(selector);
  return [
    invalidError(
      childPath(path, 'selector'),
      selector,
      'empty selector is invalid for deployment',
      text,
    ),
  ];
}

function templateErrors(template: JsonObject | undefined, path: string): FieldError[] {
  const templatePath = childPath(path, 'template');
  const spec = objectAt(template, 'spec');
  const errors: FieldError[] = [];
  const restartPolicy = stringAt(spec, 'restartPolicy') ?? '';
  if (restartPolicy !== 'Always') {
    errors.push(notSupportedError(`${templatePath}.spec.restartPolicy`, restartPolicy, ['Always']));
  }
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const detail = 'activeDeadlineSeconds in ReplicaSet is not Supported';
    errors.push(forbiddenError(`${templatePath}.spec.activeDeadlineSeconds`, detail));
  }
  return errors;
}

/**
 * ValidateReplicaSetSpec / ValidateDeploymentSpec's selector and template rules: the selector
 * is required and non-empty, must match the template labels, and templates restart Always.
 */
export function validateSelectorAndTemplate(spec: JsonObject, path: string): FieldError[] {
  const errors = selectorErrors(spec, path);
  const selectorValue = spec.selector;
  const parsed = selectorFromLabelSelector(
    isObject(selectorValue) ? (selectorValue as unknown as LabelSelectorObject) : undefined,
  );
  const template = objectAt(spec, 'template');
  if (!parsed.ok) {
    const text = goLabelSelectorText(selectorValue);
    errors.push(
      invalidError(
        childPath(path, 'selector'),
        selectorValue ?? null,
        'invalid label selector',
        text,
      ),
    );
    return errors;
  }
  const labels = valueAtPath(template, ['metadata', 'labels']);
  if (
    !isEverythingLabelSelector(parsed.selector) &&
    !matchesLabels(parsed.selector, labelsOf(labels))
  ) {
    const where = `${childPath(path, 'template')}.metadata.labels`;
    const detail = '`selector` does not match template `labels`';
    errors.push(invalidError(where, labels ?? null, detail, goLabelsText(labels)));
  }
  errors.push(...templateErrors(template, path));
  return errors;
}

/** metav1.FormatLabelSelector. */
export function formatSelector(selector: JsonValue | undefined): string {
  const parsed = selectorFromLabelSelector(
    isObject(selector) ? (selector as unknown as LabelSelectorObject) : undefined,
  );
  if (!parsed.ok) return '<error>';
  const text = selectorToString(parsed.selector);
  return text === '' ? '<none>' : text;
}

function templateContainers(object: JsonObject): readonly JsonValue[] {
  return arrayAt(valueAtPath(object, ['spec', 'template', 'spec']), 'containers');
}

/** The wide Containers, Images and Selector columns (layoutContainerCells). */
export function workloadWideColumns(): PrinterColumn[] {
  return [
    computedColumn('Containers', 'Names of each container in the template.', 1, (o) =>
      templateContainers(o)
        .map((c) => stringAt(c, 'name') ?? '')
        .join(','),
    ),
    computedColumn('Images', 'Images referenced by each container in the template.', 1, (o) =>
      templateContainers(o)
        .map((c) => stringAt(c, 'image') ?? '')
        .join(','),
    ),
    computedColumn('Selector', 'Label selector for pods.', 1, (o) =>
      formatSelector(valueAtPath(o, ['spec', 'selector'])),
    ),
  ];
}

export function integerColumn(
  name: string,
  path: readonly string[],
  description: string,
): PrinterColumn {
  return computedColumn(
    name,
    description,
    0,
    (o) => {
      const value = valueAtPath(o, path);
      return typeof value === 'number' ? value : 0;
    },
    'integer',
  );
}
