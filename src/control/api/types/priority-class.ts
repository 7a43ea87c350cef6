// scheduling.k8s.io/v1 PriorityClass: a named pod priority value.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { forbiddenError } from '../schema/field-errors.js';
import { objectAt, stringAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import { bool, int32, obj, str, strEnum } from '../schema/schema.js';
import { semanticEqual } from '../schema/semantic-equal.js';
import { metadataField, typeMetaFields } from './meta.js';
import { ageColumn, fieldColumn, nameColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';

/** scheduling.HighestUserDefinablePriority. */
export const highestUserDefinablePriority = 1_000_000_000;
/** The built-in system classes and their values. */
export const systemPriorityClasses: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

export const priorityClassSchema: ObjectSchema = obj(
  'PriorityClass',
  'Maps a priority class name to an integer priority.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    value: int32('Priority of pods using the class; higher is more important.'),
    globalDefault: bool('Use this class for pods without priorityClassName.'),
    description: str('What the class is for.'),
    preemptionPolicy: strEnum(['PreemptLowerPriority', 'Never'], 'Whether pods may preempt.', {
      default: 'PreemptLowerPriority',
      goType: 'v1.PreemptionPolicy',
      immutable: true,
    }),
  },
  {
    hooks: { validate: validatePriorityClass, validateUpdate: validatePriorityClassUpdate },
    root: {
      group: 'scheduling.k8s.io',
      version: 'v1',
      kind: 'PriorityClass',
      scope: 'Cluster',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

/** ValidatePriorityClass: reserved `system-` names and the user-definable maximum. */
function validatePriorityClass(pc: JsonObject): FieldError[] {
  const name = stringAt(objectAt(pc, 'metadata'), 'name') ?? '';
  const value = typeof pc.value === 'number' ? pc.value : 0;
  if (name.startsWith('system-')) {
    const known = systemPriorityClasses[name];
    if (known === undefined) {
      const detail = `priority class names with 'system-' prefix are reserved for system use only. error: ${name} is not a known system priority class`;
      return [forbiddenError('metadata.name', detail)];
    }
    return [];
  }
  if (value > highestUserDefinablePriority) {
    const detail = `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`;
    return [forbiddenError('value', detail)];
  }
  return [];
}

function validatePriorityClassUpdate(pc: JsonObject, old: JsonObject, ctx: ValidationContext) {
  if (ctx.path !== '') return [];
  const schema = priorityClassSchema.fields.value;
  if (schema === undefined || semanticEqual(schema, pc.value, old.value)) return [];
  return [forbiddenError('value', 'may not be changed in an update.')];
}

export const priorityClassResource: ResourceDeclaration = {
  schema: priorityClassSchema,
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  categories: [],
  subresources: [],
  statusFields: [],
  fieldLabels: {},
  printerColumns: [
    nameColumn(),
    fieldColumn('Value', ['value'], 'Value of the priority class.', { type: 'integer' }),
    {
      ...fieldColumn('Global-Default', ['globalDefault'], 'Whether it is the global default.', {
        type: 'boolean',
      }),
      value: (pc) => pc.globalDefault === true,
    },
    ageColumn(),
    fieldColumn('PreemptionPolicy', ['preemptionPolicy'], 'The preemption policy.', {
      priority: 1,
    }),
  ],
  tracksGeneration: false,
};
