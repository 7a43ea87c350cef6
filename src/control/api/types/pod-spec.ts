// core/v1 PodSpec and PodTemplateSpec, with the pod-wide validation upstream's ValidatePodSpec does.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import {
  duplicateError,
  forbiddenError,
  invalidError,
  notFoundError,
} from '../schema/field-errors.js';
import { arrayAt, childPath, indexPath, isObject, stringAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  bool,
  int32,
  int64,
  obj,
  ref,
  resourceList,
  str,
  strEnum,
  strKnown,
  stringList,
  stringMap,
} from '../schema/schema.js';
import { validateLabelKey } from '../values/labels.js';
import {
  appArmorProfileSchema,
  containerSchema,
  ephemeralContainerSchema,
  localObjectReferenceSchema,
  resourceRequirementsSchema,
  seccompProfileSchema,
  seLinuxOptionsSchema,
  windowsOptionsSchema,
} from './container.js';
import { validateLabelMap } from './label-selector.js';
import { metadataField } from './meta.js';
import { affinitySchema, tolerationSchema, topologySpreadConstraintSchema } from './scheduling.js';
import { volumeSchema } from './volume.js';

export const podSecurityContextSchema = obj('PodSecurityContext', 'Pod-wide security settings.', {
  seLinuxOptions: ref(seLinuxOptionsSchema, 'SELinux context.', { goName: 'SELinuxOptions' }),
  windowsOptions: ref(windowsOptionsSchema, 'Windows settings.'),
  runAsUser: int64('UID to run containers as.'),
  runAsGroup: int64('GID to run containers as.'),
  runAsNonRoot: bool('Refuse to start containers as UID 0.'),
  supplementalGroups: arr(int64(''), 'Extra groups of the first process.', { listType: 'atomic' }),
  supplementalGroupsPolicy: strKnown(['Merge', 'Strict'], 'How supplemental groups are computed.'),
  fsGroup: int64('Group owning the volumes.'),
  sysctls: arr(
    obj('Sysctl', 'A kernel parameter.', {
      name: str('Parameter name.', { required: true }),
      value: str('Parameter value.', { required: true }),
    }),
    'Namespaced sysctls.',
    { listType: 'atomic' },
  ),
  fsGroupChangePolicy: strKnown(['OnRootMismatch', 'Always'], 'When to change volume ownership.'),
  seccompProfile: ref(seccompProfileSchema, 'Seccomp profile.'),
  appArmorProfile: ref(appArmorProfileSchema, 'AppArmor profile.'),
  seLinuxChangePolicy: str('How SELinux labels are applied to volumes.', {
    goName: 'SELinuxChangePolicy',
  }),
});

const mergeByName = {
  patchStrategy: 'merge',
  patchMergeKey: 'name',
  listType: 'map',
  listMapKeys: ['name'],
} as const;

const podSpecFields = {
  volumes: arr(volumeSchema, 'Volumes the containers may mount.', {
    ...mergeByName,
    patchStrategy: 'merge,retainKeys',
  }),
  initContainers: arr(containerSchema, 'Containers run to completion, in order, first.', {
    ...mergeByName,
  }),
  containers: arr(containerSchema, 'The containers of the pod; at least one.', {
    ...mergeByName,
    required: true,
  }),
  ephemeralContainers: arr(ephemeralContainerSchema, 'Debugging containers.', mergeByName),
  restartPolicy: strEnum(['Always', 'OnFailure', 'Never'], 'Restart policy of all containers.', {
    default: 'Always',
    zeroIsUnset: true,
    goType: 'v1.RestartPolicy',
  }),
  terminationGracePeriodSeconds: int64('Seconds between SIGTERM and SIGKILL.', {
    default: 30,
    required: true,
  }),
  activeDeadlineSeconds: int64('Seconds the pod may be active before it is failed.', {
    minimum: 1,
    maximum: 2147483647,
  }),
  dnsPolicy: strEnum(
    ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    'DNS policy of the pod.',
    { default: 'ClusterFirst', zeroIsUnset: true, goType: 'v1.DNSPolicy' },
  ),
  nodeSelector: stringMap('Labels a node must have.', { mapType: 'atomic' }),
  serviceAccountName: str('Service account the pod runs as.', { format: 'dns1123-subdomain' }),
  serviceAccount: str('Deprecated alias of serviceAccountName.'),
  automountServiceAccountToken: bool('Whether to mount the service account token.'),
  nodeName: str('Node the pod is bound to; set by the scheduler via binding.', {
    format: 'dns1123-subdomain',
  }),
  hostNetwork: bool('Use the node network namespace.'),
  hostPID: bool('Use the node PID namespace.', { goName: 'HostPID' }),
  hostIPC: bool('Use the node IPC namespace.', { goName: 'HostIPC' }),
  shareProcessNamespace: bool('One PID namespace for all containers.'),
  securityContext: ref(podSecurityContextSchema, 'Pod-wide security settings.', { default: {} }),
  imagePullSecrets: arr(localObjectReferenceSchema, 'Secrets used to pull images.', mergeByName),
  hostname: str('Hostname of the pod; the pod name when empty.', { format: 'dns1123-label' }),
  subdomain: str('Subdomain for the pod FQDN.', { format: 'dns1123-label' }),
  affinity: ref(affinitySchema, 'Scheduling constraints.'),
  schedulerName: str('Scheduler that places the pod.', {
    default: 'default-scheduler',
    zeroIsUnset: true,
  }),
  tolerations: arr(tolerationSchema, 'Tolerated taints.', { listType: 'atomic' }),
  hostAliases: arr(
    obj('HostAlias', 'Extra /etc/hosts entries for one IP.', {
      ip: str('The IP address.', { required: true, goName: 'IP' }),
      hostnames: stringList('Host names of the IP.'),
    }),
    'Extra /etc/hosts entries.',
    {
      patchStrategy: 'merge',
      patchMergeKey: 'ip',
      listType: 'map',
      listMapKeys: ['ip'],
    },
  ),
  priorityClassName: str('PriorityClass giving the pod its priority.', {
    format: 'dns1123-subdomain',
  }),
  priority: int32('Priority, set from priorityClassName by admission.'),
  dnsConfig: obj('PodDNSConfig', 'Extra DNS settings.', {
    nameservers: stringList('Name servers.'),
    searches: stringList('Search domains.'),
    options: arr(
      obj('PodDNSConfigOption', 'A resolver option.', {
        name: str('Option name.'),
        value: str('Option value.'),
      }),
      'Resolver options.',
      { listType: 'atomic' },
    ),
  }),
  readinessGates: arr(
    obj('PodReadinessGate', 'An extra condition for readiness.', {
      conditionType: str('Pod condition type that must be True.', {
        required: true,
        format: 'qualified-name',
      }),
    }),
    'Extra conditions the pod needs to be ready.',
    { listType: 'atomic' },
  ),
  runtimeClassName: str('RuntimeClass to run the pod with.'),
  enableServiceLinks: bool('Inject service environment variables (default true on pods).'),
  preemptionPolicy: strEnum(['PreemptLowerPriority', 'Never'], 'Whether the pod may preempt.', {
    goType: 'v1.PreemptionPolicy',
  }),
  overhead: resourceList('Resources of the pod sandbox, set by RuntimeClass admission.'),
  topologySpreadConstraints: arr(topologySpreadConstraintSchema, 'Spreading rules.', {
    patchStrategy: 'merge',
    patchMergeKey: 'topologyKey',
    listType: 'map',
    listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  }),
  setHostnameAsFQDN: bool('Set the hostname to the pod FQDN.', { goName: 'SetHostnameAsFQDN' }),
  os: obj('PodOS', 'The OS the pod needs.', {
    name: strKnown(['linux', 'windows'], 'linux or windows.', { required: true }),
  }),
  hostUsers: bool('Use the host user namespace (default true).'),
  schedulingGates: arr(
    obj('PodSchedulingGate', 'A gate holding the pod from scheduling.', {
      name: str('Gate name, a qualified name.', { required: true }),
    }),
    'While non-empty the scheduler ignores the pod.',
    mergeByName,
  ),
  resourceClaims: arr(
    obj('PodResourceClaim', 'A dynamic resource claim.', {
      name: str('Name within the pod.', { required: true }),
      resourceClaimName: str('Existing ResourceClaim.'),
      resourceClaimTemplateName: str('Template to create a claim from.'),
    }),
    'Dynamic resource claims.',
    { ...mergeByName, patchStrategy: 'merge,retainKeys' },
  ),
  resources: ref(resourceRequirementsSchema, 'Pod-level resources (alpha, off in v1.32).'),
};

export const podSpecSchema: ObjectSchema = obj(
  'PodSpec',
  'Desired state of a pod.',
  podSpecFields,
  { hooks: { validate: validatePodSpec } },
);

export const podTemplateSpecSchema: ObjectSchema = obj(
  'PodTemplateSpec',
  'A pod template: metadata and spec of the pods to create.',
  {
    metadata: metadataField(),
    spec: ref(podSpecSchema, 'Specification of the pods.'),
  },
  { hooks: { validate: validatePodTemplate } },
);

function namesOf(list: readonly JsonValue[]): string[] {
  return list.map((item) => stringAt(item, 'name') ?? '');
}

function validateVolumeNames(spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  namesOf(arrayAt(spec, 'volumes')).forEach((name, i) => {
    if (name !== '' && seen.has(name)) {
      errors.push(duplicateError(childPath(indexPath(path, i), 'name'), name));
    }
    seen.add(name);
  });
  return errors;
}

function validateMounts(container: JsonValue, volumes: Set<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  arrayAt(container, 'volumeMounts').forEach((mount, i) => {
    const mountPath = childPath(path, `volumeMounts[${i}]`);
    const name = stringAt(mount, 'name') ?? '';
    if (name !== '' && !volumes.has(name))
      errors.push(notFoundError(childPath(mountPath, 'name'), name));
    const target = stringAt(mount, 'mountPath') ?? '';
    if (target !== '' && mountPaths.has(target)) {
      errors.push(invalidError(childPath(mountPath, 'mountPath'), target, 'must be unique'));
    }
    mountPaths.add(target);
  });
  return errors;
}

function validateContainerNames(spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const regular = new Set<string>();
  namesOf(arrayAt(spec, 'containers')).forEach((name, i) => {
    const namePath = childPath(indexPath(childPath(path, 'containers'), i), 'name');
    if (regular.has(name) && name !== '') errors.push(duplicateError(namePath, name));
    regular.add(name);
  });
  const all = new Set(regular);
  namesOf(arrayAt(spec, 'initContainers')).forEach((name, i) => {
    const namePath = childPath(indexPath(childPath(path, 'initContainers'), i), 'name');
    if (all.has(name) && name !== '') errors.push(duplicateError(namePath, name));
    else if (name !== '') all.add(name);
  });
  return errors;
}

const initOnlyFields = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;

function validateContainerKinds(spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  arrayAt(spec, 'containers').forEach((container, i) => {
    if (!isObject(container) || container.restartPolicy === undefined) return;
    const where = childPath(indexPath(childPath(path, 'containers'), i), 'restartPolicy');
    errors.push(forbiddenError(where, 'may not be set for non-init containers'));
  });
  arrayAt(spec, 'initContainers').forEach((container, i) => {
    if (!isObject(container) || container.restartPolicy === 'Always') return;
    for (const key of initOnlyFields) {
      if (!isObject(container[key])) continue;
      const where = childPath(indexPath(childPath(path, 'initContainers'), i), key);
      errors.push(
        forbiddenError(where, 'may not be set for init containers without restartPolicy=Always'),
      );
    }
  });
  return errors;
}

function validateSchedulingGates(spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  namesOf(arrayAt(spec, 'schedulingGates')).forEach((name, i) => {
    const where = indexPath(childPath(path, 'schedulingGates'), i);
    for (const detail of validateLabelKey(name)) errors.push(invalidError(where, name, detail));
    if (seen.has(name)) errors.push(duplicateError(where, name));
    seen.add(name);
  });
  return errors;
}

function validatePodSpec(spec: JsonObject, ctx: ValidationContext): FieldError[] {
  const path = ctx.path;
  const volumes = new Set(namesOf(arrayAt(spec, 'volumes')));
  const errors = validateVolumeNames(spec, childPath(path, 'volumes'));
  for (const list of ['containers', 'initContainers'] as const) {
    arrayAt(spec, list).forEach((container, i) => {
      errors.push(...validateMounts(container, volumes, indexPath(childPath(path, list), i)));
    });
  }
  errors.push(...validateContainerNames(spec, path));
  errors.push(...validateContainerKinds(spec, path));
  errors.push(...validateLabelMap(spec.nodeSelector, childPath(path, 'nodeSelector')));
  errors.push(...validateSchedulingGates(spec, path));
  return errors;
}

function validatePodTemplate(template: JsonObject, ctx: ValidationContext): FieldError[] {
  const spec = template.spec;
  if (!isObject(spec) || arrayAt(spec, 'ephemeralContainers').length === 0) return [];
  const path = childPath(childPath(ctx.path, 'spec'), 'ephemeralContainers');
  return [forbiddenError(path, 'ephemeral containers not allowed in pod template')];
}
