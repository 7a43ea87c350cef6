// apps/v1 Deployment: declarative rollouts of ReplicaSets.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import {
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../schema/field-errors.js';
import { childPath, isObject, numberAt, objectAt, stringAt, withField } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import { arr, bool, int32, int64, intOrString, obj, ref, strKnown } from '../schema/schema.js';
import { goQuote } from '../values/go-format.js';
import { regexError } from '../values/names.js';
import { labelSelectorSchema } from './label-selector.js';
import { metadataField, typeMetaFields } from './meta.js';
import { podTemplateSpecSchema } from './pod-spec.js';
import { ageColumn, computedColumn, nameColumn } from './printing.js';
import { conditionsOptions, workloadCondition } from './replica-set.js';
import type { ResourceDeclaration } from './resource.js';
import { integerColumn, validateSelectorAndTemplate, workloadWideColumns } from './workload.js';

const nonNegative = { minimum: 0 };
/** Default maxUnavailable and maxSurge of a rolling update. */
export const defaultRollingUpdatePercent = '25%';

export const rollingUpdateSchema = obj(
  'RollingUpdateDeployment',
  'Parameters of a rolling update.',
  {
    maxUnavailable: intOrString('Pods that may be unavailable during the update (count or %).'),
    maxSurge: intOrString('Pods that may exist above the desired count (count or %).'),
  },
  { hooks: { validate: validateRollingUpdate } },
);

export const deploymentStrategySchema: ObjectSchema = obj(
  'DeploymentStrategy',
  'How old pods are replaced by new ones.',
  {
    type: strKnown(['Recreate', 'RollingUpdate'], 'Recreate or RollingUpdate (default).', {
      default: 'RollingUpdate',
      zeroIsUnset: true,
      goType: 'v1.DeploymentStrategyType',
    }),
    rollingUpdate: ref(rollingUpdateSchema, 'Rolling update parameters; only for RollingUpdate.'),
  },
  { hooks: { defaults: defaultStrategy, validate: validateStrategy } },
);

export const deploymentSpecSchema: ObjectSchema = obj(
  'DeploymentSpec',
  'Desired state of a Deployment.',
  {
    replicas: int32('Desired number of pods.', { default: 1, ...nonNegative }),
    selector: ref(labelSelectorSchema, 'Pods the Deployment owns; immutable.', {
      immutable: true,
    }),
    template: ref(podTemplateSpecSchema, 'Template of the pods.'),
    strategy: ref(deploymentStrategySchema, 'Replacement strategy.', {
      default: {},
      patchStrategy: 'retainKeys',
    }),
    minReadySeconds: int32('Seconds a pod must be ready to count as available.', nonNegative),
    revisionHistoryLimit: int32('Old ReplicaSets to keep.', { default: 10, ...nonNegative }),
    paused: bool('Pause rollouts.'),
    progressDeadlineSeconds: int32('Seconds before a stalled rollout is reported.', {
      default: 600,
      ...nonNegative,
    }),
  },
  { hooks: { validate: validateDeploymentSpec } },
);

export const deploymentStatusSchema = obj(
  'DeploymentStatus',
  'Observed state of a Deployment.',
  {
    observedGeneration: int64('Generation last acted on.', nonNegative),
    replicas: int32('Pods of all its ReplicaSets.', nonNegative),
    updatedReplicas: int32('Pods of the newest ReplicaSet.', nonNegative),
    readyReplicas: int32('Ready pods.', nonNegative),
    availableReplicas: int32('Available pods.', nonNegative),
    unavailableReplicas: int32('Pods still needed for full availability.', nonNegative),
    conditions: arr(
      workloadCondition('DeploymentCondition', true),
      'Conditions.',
      conditionsOptions,
    ),
    collisionCount: int32('Template hash collisions seen.', nonNegative),
  },
  { hooks: { validate: validateDeploymentStatus } },
);

export const deploymentSchema: ObjectSchema = obj(
  'Deployment',
  'Declarative updates of pods through ReplicaSets.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(deploymentSpecSchema, 'Desired state.', { default: {} }),
    status: ref(deploymentStatusSchema, 'Observed state; written by the controller.'),
  },
  {
    root: {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

/** SetDefaults_Deployment's strategy part: only RollingUpdate gets rollingUpdate and 25%/25%. */
function defaultStrategy(strategy: JsonObject): JsonObject {
  if (strategy.type !== 'RollingUpdate') return strategy;
  const rolling = objectAt(strategy, 'rollingUpdate') ?? {};
  const next: Record<string, JsonValue> = { ...rolling };
  for (const key of ['maxUnavailable', 'maxSurge']) {
    if (next[key] === undefined || next[key] === null) next[key] = defaultRollingUpdatePercent;
  }
  return withField(strategy, 'rollingUpdate', next);
}

/** Go `%#v` of an intstr.IntOrString value. */
function intOrStringText(value: JsonValue | undefined): string {
  if (typeof value === 'string')
    return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`;
  const number = typeof value === 'number' ? value : 0;
  return `intstr.IntOrString{Type:0, IntVal:${number}, StrVal:""}`;
}

const percentPattern = /^[0-9]+%$/;

function percentValue(value: JsonValue | undefined): number | undefined {
  return typeof value === 'string' && percentPattern.test(value)
    ? Number(value.slice(0, -1))
    : undefined;
}

function intOrPercentErrors(value: JsonValue | undefined, path: string): FieldError[] {
  if (typeof value === 'string' && !percentPattern.test(value)) {
    const detail = regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      '[0-9]+%',
      ['1%', '93%'],
    );
    return [invalidError(path, value, detail, intOrStringText(value))];
  }
  if (typeof value === 'number' && value < 0) {
    return [invalidError(path, value, 'must be greater than or equal to 0')];
  }
  return [];
}

/** IntOrString.IntValue(): a string that is not an integer counts as 0. */
function intOrPercent(value: JsonValue | undefined): number {
  const percent = percentValue(value);
  if (percent !== undefined) return percent;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^[+-]?[0-9]+$/.test(value) ? Number(value) : 0;
}

function validateRollingUpdate(rolling: JsonObject, ctx: ValidationContext): FieldError[] {
  const unavailablePath = childPath(ctx.path, 'maxUnavailable');
  const errors = [
    ...intOrPercentErrors(rolling.maxUnavailable, unavailablePath),
    ...intOrPercentErrors(rolling.maxSurge, childPath(ctx.path, 'maxSurge')),
  ];
  const text = intOrStringText(rolling.maxUnavailable);
  if (intOrPercent(rolling.maxUnavailable) === 0 && intOrPercent(rolling.maxSurge) === 0) {
    const detail = 'may not be 0 when `maxSurge` is 0';
    errors.push(invalidError(unavailablePath, rolling.maxUnavailable ?? null, detail, text));
  }
  const percent = percentValue(rolling.maxUnavailable);
  if (percent !== undefined && percent > 100) {
    errors.push(
      invalidError(
        unavailablePath,
        rolling.maxUnavailable ?? null,
        'must not be greater than 100%',
        text,
      ),
    );
  }
  return errors;
}

function strategyText(strategy: JsonObject): string {
  const type = goQuote(stringAt(strategy, 'type') ?? '');
  const rolling = isObject(strategy.rollingUpdate)
    ? '(*apps.RollingUpdateDeployment)(0xc000000000)'
    : '(*apps.RollingUpdateDeployment)(nil)';
  return `apps.DeploymentStrategy{Type:${type}, RollingUpdate:${rolling}}`;
}

function validateStrategy(strategy: JsonObject, ctx: ValidationContext): FieldError[] {
  const type = stringAt(strategy, 'type') ?? '';
  const rollingPath = childPath(ctx.path, 'rollingUpdate');
  if (type === 'Recreate') {
    if (!isObject(strategy.rollingUpdate)) return [];
    const detail = "may not be specified when strategy `type` is 'Recreate'";
    return [forbiddenError(rollingPath, detail)];
  }
  if (type === 'RollingUpdate') {
    if (isObject(strategy.rollingUpdate)) return [];
    return [requiredError(rollingPath, 'this should be defaulted and never be nil')];
  }
  const error = notSupportedError(ctx.path, strategy, ['Recreate', 'RollingUpdate']);
  return [{ ...error, badValueText: strategyText(strategy) }];
}

function validateDeploymentSpec(spec: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors = validateSelectorAndTemplate(spec, ctx.path);
  const deadline = numberAt(spec, 'progressDeadlineSeconds');
  const minReady = numberAt(spec, 'minReadySeconds') ?? 0;
  if (deadline !== undefined && deadline <= minReady) {
    const path = childPath(ctx.path, 'progressDeadlineSeconds');
    errors.push(invalidError(path, deadline, 'must be greater than minReadySeconds'));
  }
  return errors;
}

function validateDeploymentStatus(status: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const count = (key: string) => numberAt(status, key) ?? 0;
  const replicas = count('replicas');
  for (const key of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    if (count(key) > replicas) {
      errors.push(
        invalidError(
          childPath(ctx.path, key),
          count(key),
          'cannot be greater than status.replicas',
        ),
      );
    }
  }
  if (count('availableReplicas') > count('readyReplicas')) {
    const path = childPath(ctx.path, 'availableReplicas');
    errors.push(
      invalidError(path, count('availableReplicas'), 'cannot be greater than readyReplicas'),
    );
  }
  return errors;
}

function readyText(deployment: JsonObject): string {
  const desired = numberAt(objectAt(deployment, 'spec'), 'replicas') ?? 0;
  const ready = numberAt(objectAt(deployment, 'status'), 'readyReplicas') ?? 0;
  return `${ready}/${desired}`;
}

export const deploymentResource: ResourceDeclaration = {
  schema: deploymentSchema,
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['scale', 'status'],
  statusFields: ['status'],
  fieldLabels: {},
  printerColumns: [
    nameColumn(),
    computedColumn('Ready', 'Number of the pod with ready state', 0, readyText),
    integerColumn(
      'Up-to-date',
      ['status', 'updatedReplicas'],
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    integerColumn(
      'Available',
      ['status', 'availableReplicas'],
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn(),
    ...workloadWideColumns(),
  ],
  tracksGeneration: true,
};
