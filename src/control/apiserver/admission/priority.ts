// Priority admission (plugin/pkg/admission/priority): resolves a new pod's priority from its
// PriorityClass and keeps at most one globalDefault PriorityClass.
//
// Pods (main resource only):
// - CREATE: `spec.priorityClassName` names the class; empty → the globalDefault class (its name
//   is written into the pod) or, with none, priority 0 and PreemptLowerPriority. An unknown
//   class → 403 `pods "x" is forbidden: no PriorityClass with name <n> was found`. A pod that
//   sets `spec.priority` or `spec.preemptionPolicy` to something else than the class gives → 403
//   (messages below). Then `spec.priority` and `spec.preemptionPolicy` are set.
// - UPDATE: a request that drops `spec.priority` / `spec.preemptionPolicy` keeps the stored
//   values (validation forbids changing them).
// PriorityClasses (validating phase, CREATE and UPDATE): `globalDefault: true` while another
// class is the default → 403 `PriorityClass <other> is already marked as default. Only one
// default can exist`. The value limit and the reserved `system-` names are schema validation
// (pkg/apis/scheduling/validation), not this plugin.
import type { ResourceType } from '../../api/registry.js';
import { findResource } from '../../api/registry.js';
import type { JsonObject } from '../../store/types.js';
import { assert } from '../../util/assert.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission.js';
import { collectionPrefix, objectKey } from '../context.js';
import type { Draft } from '../json-body.js';
import type { ApiError } from '../status.js';
import type { AdmissionStoreReader } from './attributes.js';
import { admissionForbidden, draftSpecOf, isResource } from './attributes.js';

export const priorityPluginName = 'Priority';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
export const defaultPriorityWhenNoDefaultClass = 0;
const preemptLowerPriority = 'PreemptLowerPriority';

export interface PriorityOptions {
  store: AdmissionStoreReader;
}

interface ResolvedClass {
  /** '' when no class applies. */
  name: string;
  value: number;
  preemptionPolicy: string | undefined;
}

function classValue(pc: JsonObject): number {
  return typeof pc.value === 'number' ? pc.value : 0;
}

function classOf(pc: JsonObject): ResolvedClass {
  const meta = pc.metadata as JsonObject;
  const policy = pc.preemptionPolicy;
  return {
    name: String(meta.name),
    value: classValue(pc),
    preemptionPolicy: typeof policy === 'string' ? policy : undefined,
  };
}

/** Where the plugin finds PriorityClasses. */
interface ClassReader {
  store: AdmissionStoreReader;
  classes: ResourceType;
}

/** The globalDefault class with the lowest value (upstream's tie rule), first by name on ties. */
function defaultClass(reader: ClassReader): JsonObject | undefined {
  const listed = reader.store.list(collectionPrefix(reader.classes, ''));
  assert(listed.ok, 'listing priority classes cannot fail at the current revision');
  let found: JsonObject | undefined;
  for (const pc of listed.value.items) {
    if (pc.globalDefault !== true) continue;
    if (found === undefined || classValue(found) > classValue(pc)) found = pc;
  }
  return found;
}

/** The class a pod asking for `name` gets; undefined when that class does not exist. */
function resolveClass(reader: ClassReader, name: string): ResolvedClass | undefined {
  if (name === '') {
    const found = defaultClass(reader);
    if (found !== undefined) return classOf(found);
    return {
      name: '',
      value: defaultPriorityWhenNoDefaultClass,
      preemptionPolicy: preemptLowerPriority,
    };
  }
  const pc = reader.store.get(objectKey(reader.classes, '', name));
  return pc === undefined ? undefined : classOf(pc);
}

function admitPodCreate(
  reader: ClassReader,
  attributes: AdmissionAttributes,
  pod: Draft,
): ApiError | undefined {
  const spec = draftSpecOf(pod);
  const requested = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  const resolved = resolveClass(reader, requested);
  if (resolved === undefined) {
    return admissionForbidden(attributes, `no PriorityClass with name ${requested} was found`);
  }
  if (requested === '' && resolved.name !== '') spec.priorityClassName = resolved.name;
  const given = spec.priority;
  const computed = resolved.value;
  if (typeof given === 'number' && given !== computed) {
    return admissionForbidden(
      attributes,
      `the integer value of priority (${given}) must not be provided in pod spec; ` +
        `priority admission controller computed ${computed} from the given PriorityClass name`,
    );
  }
  spec.priority = resolved.value;
  const policy = resolved.preemptionPolicy;
  if (policy === undefined) return undefined;
  const givenPolicy = spec.preemptionPolicy;
  if (typeof givenPolicy === 'string' && givenPolicy !== policy) {
    return admissionForbidden(
      attributes,
      `the string value of PreemptionPolicy (${givenPolicy}) must not be provided in pod spec; ` +
        `priority admission controller computed ${policy} from the given PriorityClass name`,
    );
  }
  spec.preemptionPolicy = policy;
  return undefined;
}

/** An update that leaves priority or preemptionPolicy out keeps the stored values. */
function admitPodUpdate(pod: Draft, old: JsonObject | undefined): undefined {
  const oldSpec = old?.spec;
  if (typeof oldSpec !== 'object' || oldSpec === null || Array.isArray(oldSpec)) return undefined;
  const spec = draftSpecOf(pod);
  const oldValues = oldSpec as JsonObject;
  for (const field of ['priority', 'preemptionPolicy'] as const) {
    const kept = oldValues[field];
    if (spec[field] === undefined && (typeof kept === 'number' || typeof kept === 'string')) {
      spec[field] = kept;
    }
  }
  return undefined;
}

function validateClass(reader: ClassReader, attributes: AdmissionAttributes): ApiError | undefined {
  if (attributes.subresource !== '') return undefined;
  if (!isResource(attributes.type, 'scheduling.k8s.io', 'priorityclasses')) return undefined;
  const pc = attributes.object;
  if (pc === undefined || attributes.operation === 'DELETE' || pc.globalDefault !== true) {
    return undefined;
  }
  const existing = defaultClass(reader);
  if (existing === undefined) return undefined;
  const existingName = String((existing.metadata as JsonObject).name);
  if (attributes.operation === 'UPDATE' && existingName === attributes.name) return undefined;
  return admissionForbidden(
    attributes,
    `PriorityClass ${existingName} is already marked as default. Only one default can exist`,
  );
}

export function priorityPlugin(options: PriorityOptions): AdmissionPlugin {
  const classes = findResource('scheduling.k8s.io', 'v1', 'priorityclasses');
  assert(classes !== undefined, 'the registry has priorityclasses');
  const reader: ClassReader = { store: options.store, classes };
  const admit = (attributes: AdmissionAttributes): ApiError | undefined => {
    if (attributes.subresource !== '' || !isResource(attributes.type, '', 'pods')) return undefined;
    const pod = attributes.object;
    if (pod === undefined) return undefined;
    if (attributes.operation === 'CREATE') return admitPodCreate(reader, attributes, pod);
    if (attributes.operation === 'UPDATE') return admitPodUpdate(pod, attributes.oldObject);
    return undefined;
  };
  return {
    name: priorityPluginName,
    admit,
    validate: (attributes) => validateClass(reader, attributes),
  };
}
