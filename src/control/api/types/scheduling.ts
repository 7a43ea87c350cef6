// Pod placement types: node selectors and affinity, pod (anti-)affinity, tolerations, taints and
// topology spread constraints.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import {
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../schema/field-errors.js';
import { arrayAt, childPath, stringAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  int32,
  int64,
  obj,
  ref,
  str,
  strEnum,
  strKnown,
  stringList,
  time,
} from '../schema/schema.js';
import { validateLabelKey, validateLabelValue } from '../values/labels.js';
import { labelSelectorSchema } from './label-selector.js';

export const nodeSelectorRequirementSchema = obj(
  'NodeSelectorRequirement',
  'A key, an operator and values matched against node labels or fields.',
  {
    key: str('Label key (or field name for matchFields).'),
    operator: strKnown(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'], 'Operator.', {
      goType: 'v1.NodeSelectorOperator',
    }),
    values: stringList('Values; one integer for Gt and Lt, none for Exists/DoesNotExist.'),
  },
  { hooks: { validate: validateNodeSelectorRequirement } },
);

export const nodeSelectorTermSchema = obj(
  'NodeSelectorTerm',
  'Requirements that are ANDed; an empty term matches nothing.',
  {
    matchExpressions: arr(nodeSelectorRequirementSchema, 'Requirements on node labels.', {
      listType: 'atomic',
    }),
    matchFields: arr(nodeSelectorRequirementSchema, 'Requirements on node fields.', {
      listType: 'atomic',
    }),
  },
);

export const nodeSelectorSchema = obj('NodeSelector', 'Terms that are ORed.', {
  nodeSelectorTerms: arr(nodeSelectorTermSchema, 'The terms.', {
    required: true,
    listType: 'atomic',
  }),
});

const weightRange = {
  required: true,
  minimum: 1,
  maximum: 100,
  rangeDetail: 'must be in the range 1-100',
};

export const preferredSchedulingTermSchema = obj(
  'PreferredSchedulingTerm',
  'A weighted node preference.',
  {
    weight: int32('Weight in 1-100.', weightRange),
    preference: ref(nodeSelectorTermSchema, 'The preferred nodes.', { required: true }),
  },
);

export const nodeAffinitySchema = obj('NodeAffinity', 'Node affinity rules.', {
  requiredDuringSchedulingIgnoredDuringExecution: ref(nodeSelectorSchema, 'Hard requirement.'),
  preferredDuringSchedulingIgnoredDuringExecution: arr(
    preferredSchedulingTermSchema,
    'Soft preferences.',
    { listType: 'atomic' },
  ),
});

export const podAffinityTermSchema = obj(
  'PodAffinityTerm',
  'Pods (by labels and namespaces) to be co-located with, per topology domain.',
  {
    labelSelector: ref(labelSelectorSchema, 'Pods to match.'),
    namespaces: stringList("Namespaces to search; the pod's own when empty."),
    topologyKey: str('Node label whose values define the domains.'),
    namespaceSelector: ref(labelSelectorSchema, 'Namespaces to search, by label.'),
    matchLabelKeys: stringList('Label keys whose values are copied into the selector.'),
    mismatchLabelKeys: stringList('Label keys whose values must differ.'),
  },
  { hooks: { validate: validateTopologyKey } },
);

export const weightedPodAffinityTermSchema = obj(
  'WeightedPodAffinityTerm',
  'A weighted pod affinity preference.',
  {
    weight: int32('Weight in 1-100.', weightRange),
    podAffinityTerm: ref(podAffinityTermSchema, 'The term.', { required: true }),
  },
);

const podAffinityFields = {
  requiredDuringSchedulingIgnoredDuringExecution: arr(podAffinityTermSchema, 'Hard rules.', {
    listType: 'atomic',
  }),
  preferredDuringSchedulingIgnoredDuringExecution: arr(
    weightedPodAffinityTermSchema,
    'Soft preferences.',
    { listType: 'atomic' },
  ),
};

export const affinitySchema = obj('Affinity', 'Scheduling constraints.', {
  nodeAffinity: ref(nodeAffinitySchema, 'Node affinity.'),
  podAffinity: obj('PodAffinity', 'Co-location with other pods.', podAffinityFields),
  podAntiAffinity: obj('PodAntiAffinity', 'Separation from other pods.', podAffinityFields),
});

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export const tolerationSchema = obj(
  'Toleration',
  'Allows (not requires) scheduling onto nodes with a matching taint.',
  {
    key: str('Taint key; empty with Exists matches every taint.'),
    operator: strKnown(['Exists', 'Equal'], 'Exists or Equal (default).', {
      goType: 'v1.TolerationOperator',
    }),
    value: str('Taint value for Equal.'),
    effect: strKnown(['', ...taintEffects], 'Effect to match; empty matches all.', {
      goType: 'v1.TaintEffect',
    }),
    tolerationSeconds: int64('For NoExecute: how long the pod stays after the taint appears.'),
  },
  { hooks: { validate: validateToleration } },
);

export const taintSchema = obj(
  'Taint',
  'Repels pods that do not tolerate it.',
  {
    key: str('Taint key.'),
    value: str('Taint value.'),
    effect: strEnum(taintEffects, 'NoSchedule, PreferNoSchedule or NoExecute.', {
      required: true,
      goType: 'v1.TaintEffect',
    }),
    timeAdded: time('When a NoExecute taint was added.'),
  },
  { hooks: { validate: validateTaint } },
);

export const topologySpreadConstraintSchema: ObjectSchema = obj(
  'TopologySpreadConstraint',
  'How matching pods spread over topology domains.',
  {
    maxSkew: int32('Largest allowed difference of matching pods between domains.', {
      minimum: 1,
      rangeDetail: 'must be greater than zero',
    }),
    topologyKey: str('Node label whose values define the domains.'),
    whenUnsatisfiable: strEnum(['DoNotSchedule', 'ScheduleAnyway'], 'Hard or soft.', {
      required: true,
      goType: 'v1.UnsatisfiableConstraintAction',
    }),
    labelSelector: ref(labelSelectorSchema, 'Pods to count.'),
    minDomains: int32('Minimum number of eligible domains.', {
      minimum: 1,
      rangeDetail: 'must be greater than 0',
    }),
    nodeAffinityPolicy: strEnum(['Honor', 'Ignore'], 'Whether node affinity limits domains.', {
      goType: 'v1.NodeInclusionPolicy',
    }),
    nodeTaintsPolicy: strEnum(['Honor', 'Ignore'], 'Whether taints limit domains.', {
      goType: 'v1.NodeInclusionPolicy',
    }),
    matchLabelKeys: stringList('Label keys whose values are added to the selector.'),
  },
  { hooks: { validate: validateTopologyKey } },
);

function validateNodeSelectorRequirement(req: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const operator = stringAt(req, 'operator') ?? '';
  const count = arrayAt(req, 'values').length;
  const valuesPath = childPath(ctx.path, 'values');
  if (operator === 'In' || operator === 'NotIn') {
    if (count === 0) {
      const detail = "must be specified when `operator` is 'In' or 'NotIn'";
      errors.push(requiredError(valuesPath, detail));
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (count > 0) {
      const detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
      errors.push(forbiddenError(valuesPath, detail));
    }
  } else if (operator === 'Gt' || operator === 'Lt') {
    if (count !== 1) {
      const detail = "must be specified single value when `operator` is 'Lt' or 'Gt'";
      errors.push(requiredError(valuesPath, detail));
    }
  } else {
    const path = childPath(ctx.path, 'operator');
    errors.push(invalidError(path, operator, 'not a valid selector operator'));
  }
  const key = stringAt(req, 'key') ?? '';
  for (const detail of validateLabelKey(key)) {
    errors.push(invalidError(childPath(ctx.path, 'key'), key, detail));
  }
  return errors;
}

function validateTopologyKey(term: JsonObject, ctx: ValidationContext): FieldError[] {
  const key = stringAt(term, 'topologyKey') ?? '';
  const path = childPath(ctx.path, 'topologyKey');
  if (key === '') return [requiredError(path, 'can not be empty')];
  return validateLabelKey(key).map((detail) => invalidError(path, key, detail));
}

function validateTolerationOperator(toleration: JsonObject, path: string): FieldError[] {
  const operator = stringAt(toleration, 'operator') ?? '';
  const value = stringAt(toleration, 'value') ?? '';
  const operatorPath = childPath(path, 'operator');
  if (operator === 'Equal' || operator === '') {
    const details = validateLabelValue(value);
    return details.length === 0 ? [] : [invalidError(operatorPath, value, details.join(';'))];
  }
  if (operator === 'Exists') {
    if (value === '') return [];
    return [invalidError(operatorPath, value, "value must be empty when `operator` is 'Exists'")];
  }
  return [notSupportedError(operatorPath, operator, ['Equal', 'Exists'])];
}

function validateToleration(toleration: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const key = stringAt(toleration, 'key') ?? '';
  const operator = stringAt(toleration, 'operator') ?? '';
  const effect = stringAt(toleration, 'effect') ?? '';
  for (const detail of key === '' ? [] : validateLabelKey(key)) {
    errors.push(invalidError(childPath(ctx.path, 'key'), key, detail));
  }
  if (key === '' && operator !== 'Exists') {
    const detail =
      'operator must be Exists when `key` is empty, which means "match all values and all keys"';
    errors.push(invalidError(childPath(ctx.path, 'operator'), operator, detail));
  }
  const seconds = toleration.tolerationSeconds;
  if (seconds !== undefined && seconds !== null && effect !== 'NoExecute') {
    const detail = "effect must be 'NoExecute' when `tolerationSeconds` is set";
    errors.push(invalidError(childPath(ctx.path, 'effect'), effect, detail));
  }
  errors.push(...validateTolerationOperator(toleration, ctx.path));
  if (effect !== '' && !taintEffects.includes(effect)) {
    errors.push(notSupportedError(childPath(ctx.path, 'effect'), effect, taintEffects));
  }
  return errors;
}

function validateTaint(taint: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const key = stringAt(taint, 'key') ?? '';
  const value = stringAt(taint, 'value') ?? '';
  for (const detail of validateLabelKey(key)) {
    errors.push(invalidError(childPath(ctx.path, 'key'), key, detail));
  }
  const details = validateLabelValue(value);
  if (details.length > 0)
    errors.push(invalidError(childPath(ctx.path, 'value'), value, details.join(';')));
  return errors;
}
