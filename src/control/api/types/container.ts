// core/v1 Container and what it is made of: ports, env, resources, mounts, security context.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { duplicateError, invalidError } from '../schema/field-errors.js';
import { validatePortName } from '../schema/formats.js';
import { arrayAt, childPath, indexPath, isObject, stringAt } from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  bool,
  int32,
  int64,
  obj,
  quantity,
  ref,
  resourceList,
  str,
  strEnum,
  strKnown,
  stringList,
} from '../schema/schema.js';
import { imagePullPolicyDefault } from './image.js';
import { lifecycleSchema, probeSchema } from './probe.js';
import { validateResourceRequirements } from './resources.js';

export const containerPortSchema = obj('ContainerPort', 'A network port of a container.', {
  name: str('IANA_SVC_NAME-style name, unique within the pod; services refer to it.', {
    format: 'port-name',
  }),
  hostPort: int32('Port exposed on the host; 0 means none.', {
    zeroIsUnset: true,
    minimum: 1,
    maximum: 65535,
  }),
  containerPort: int32('Port number on the pod IP.', {
    required: true,
    zeroIsUnset: true,
    minimum: 1,
    maximum: 65535,
  }),
  protocol: strEnum(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP.', {
    default: 'TCP',
    zeroIsUnset: true,
    goType: 'v1.Protocol',
  }),
  hostIP: str('Host IP to bind the host port to.', { goName: 'HostIP' }),
});

const localObjectReferenceFields = {
  name: str('Name of the referent in the same namespace.'),
};

export const localObjectReferenceSchema = obj(
  'LocalObjectReference',
  'A reference to an object in the same namespace.',
  localObjectReferenceFields,
);

export const objectFieldSelectorSchema = obj(
  'ObjectFieldSelector',
  'Selects a field of the pod (downward API).',
  {
    apiVersion: str('Schema version fieldPath is written in.', {
      default: 'v1',
      zeroIsUnset: true,
      goName: 'APIVersion',
    }),
    fieldPath: str('Path of the field to select.', { required: true }),
  },
);

export const resourceFieldSelectorSchema = obj(
  'ResourceFieldSelector',
  'Selects a resource limit or request of a container (downward API).',
  {
    containerName: str('Container name; required for volumes.'),
    resource: str('Resource to select, e.g. limits.cpu.', { required: true }),
    divisor: quantity('Output unit; defaults to 1.'),
  },
);

const keySelectorFields = {
  ...localObjectReferenceFields,
  key: str('Key to select.', { required: true }),
  optional: bool('Whether the referent or its key may be missing.'),
};

export const envVarSourceSchema = obj('EnvVarSource', 'A source for an environment value.', {
  fieldRef: ref(objectFieldSelectorSchema, 'A field of the pod.'),
  resourceFieldRef: ref(resourceFieldSelectorSchema, 'A resource of the container.'),
  configMapKeyRef: obj('ConfigMapKeySelector', 'A key of a ConfigMap.', keySelectorFields),
  secretKeyRef: obj('SecretKeySelector', 'A key of a Secret.', keySelectorFields),
});

export const envVarSchema = obj(
  'EnvVar',
  'An environment variable.',
  {
    name: str('Variable name.', { required: true }),
    value: str('Value, with $(VAR) references expanded.'),
    valueFrom: ref(envVarSourceSchema, 'Source of the value; not allowed with value.'),
  },
  { hooks: { validate: validateEnvVar } },
);

const envSourceFields = {
  ...localObjectReferenceFields,
  optional: bool('Whether the referent may be missing.'),
};

export const envFromSourceSchema = obj('EnvFromSource', 'A set of environment variables.', {
  prefix: str('Prefix added to every key.'),
  configMapRef: obj('ConfigMapEnvSource', 'All keys of a ConfigMap.', envSourceFields),
  secretRef: obj('SecretEnvSource', 'All keys of a Secret.', envSourceFields),
});

export const resourceRequirementsSchema = obj(
  'ResourceRequirements',
  'Compute resource requests and limits.',
  {
    limits: resourceList('Maximum amount of each resource.'),
    requests: resourceList('Minimum amount of each resource; defaults to limits on pods.'),
    claims: arr(
      obj('ResourceClaim', 'A claim used by the container.', {
        name: str('Name of a pod resource claim.', { required: true }),
        request: str('Request within the claim.'),
      }),
      'Dynamic resource claims used.',
      { listType: 'map', listMapKeys: ['name'] },
    ),
  },
  { hooks: { validate: (value, ctx) => validateResourceRequirements(value, ctx.path) } },
);

export const volumeMountSchema = obj('VolumeMount', 'A volume mounted into a container.', {
  name: str('Name of a pod volume.', { required: true }),
  readOnly: bool('Mount read-only.'),
  recursiveReadOnly: str('Disabled, IfPossible or Enabled.'),
  mountPath: str('Path inside the container; must not contain ":".', { required: true }),
  subPath: str('Path within the volume to mount instead of its root.'),
  mountPropagation: strKnown(['None', 'HostToContainer', 'Bidirectional'], 'Propagation mode.'),
  subPathExpr: str('Like subPath, with $(VAR) expansion.'),
});

export const volumeDeviceSchema = obj('VolumeDevice', 'A raw block device.', {
  name: str('Name of a persistentVolumeClaim volume.', { required: true }),
  devicePath: str('Path inside the container.', { required: true }),
});

export const seLinuxOptionsSchema = obj('SELinuxOptions', 'An SELinux label.', {
  user: str('SELinux user.'),
  role: str('SELinux role.'),
  type: str('SELinux type.'),
  level: str('SELinux level.'),
});

export const seccompProfileSchema = obj('SeccompProfile', 'A seccomp profile.', {
  type: strKnown(['Localhost', 'RuntimeDefault', 'Unconfined'], 'Kind of profile.', {
    required: true,
  }),
  localhostProfile: str('Profile file on the node, for Localhost.'),
});

export const appArmorProfileSchema = obj('AppArmorProfile', 'An AppArmor profile.', {
  type: strKnown(['Localhost', 'RuntimeDefault', 'Unconfined'], 'Kind of profile.', {
    required: true,
  }),
  localhostProfile: str('Profile loaded on the node, for Localhost.'),
});

export const windowsOptionsSchema = obj('WindowsSecurityContextOptions', 'Windows settings.', {
  gmsaCredentialSpecName: str('Name of the GMSA credential spec.'),
  gmsaCredentialSpec: str('Inlined GMSA credential spec.'),
  runAsUserName: str('User to run as.'),
  hostProcess: bool('Run as a host process.'),
});

export const securityContextSchema = obj('SecurityContext', 'Container security settings.', {
  capabilities: obj('Capabilities', 'Capabilities to add and drop.', {
    add: stringList('Capabilities to add.'),
    drop: stringList('Capabilities to drop.'),
  }),
  privileged: bool('Run as privileged.'),
  seLinuxOptions: ref(seLinuxOptionsSchema, 'SELinux context.', { goName: 'SELinuxOptions' }),
  windowsOptions: ref(windowsOptionsSchema, 'Windows settings.'),
  runAsUser: int64('UID to run as.'),
  runAsGroup: int64('GID to run as.'),
  runAsNonRoot: bool('Refuse to start as UID 0.'),
  readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
  allowPrivilegeEscalation: bool('Whether a process may gain more privileges.'),
  procMount: strKnown(['Default', 'Unmasked'], 'Proc mount type.'),
  seccompProfile: ref(seccompProfileSchema, 'Seccomp profile.'),
  appArmorProfile: ref(appArmorProfileSchema, 'AppArmor profile.'),
});

const containerFields = {
  name: str('Container name, a DNS-1123 label unique within the pod.', {
    required: true,
    format: 'dns1123-label',
  }),
  image: str('Container image reference.', { required: true }),
  command: stringList('Entrypoint; the image ENTRYPOINT when empty.'),
  args: stringList('Arguments; the image CMD when empty.'),
  workingDir: str('Working directory.'),
  ports: arr(containerPortSchema, 'Ports exposed (informational, except hostPort).', {
    patchStrategy: 'merge',
    patchMergeKey: 'containerPort',
    listType: 'map',
    listMapKeys: ['containerPort', 'protocol'],
  }),
  envFrom: arr(envFromSourceSchema, 'Sources of environment variables.', { listType: 'atomic' }),
  env: arr(envVarSchema, 'Environment variables.', {
    patchStrategy: 'merge',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  }),
  resources: ref(resourceRequirementsSchema, 'Compute resources.', { default: {} }),
  resizePolicy: arr(
    obj('ContainerResizePolicy', 'How a resource may be resized.', {
      resourceName: str('cpu or memory.', { required: true }),
      restartPolicy: str('NotRequired or RestartContainer.', { required: true }),
    }),
    'Resize policies.',
    { listType: 'atomic' },
  ),
  restartPolicy: strEnum(['Always'], 'Always makes an init container a sidecar.', {
    goType: 'v1.ContainerRestartPolicy',
  }),
  volumeMounts: arr(volumeMountSchema, 'Volumes mounted into the container.', {
    patchStrategy: 'merge',
    patchMergeKey: 'mountPath',
    listType: 'map',
    listMapKeys: ['mountPath'],
  }),
  volumeDevices: arr(volumeDeviceSchema, 'Block devices used by the container.', {
    patchStrategy: 'merge',
    patchMergeKey: 'devicePath',
    listType: 'map',
    listMapKeys: ['devicePath'],
  }),
  livenessProbe: ref(probeSchema, 'Restarts the container when it fails.'),
  readinessProbe: ref(probeSchema, 'Removes the pod from endpoints when it fails.'),
  startupProbe: ref(probeSchema, 'Holds other probes until it succeeds.'),
  lifecycle: ref(lifecycleSchema, 'Lifecycle hooks.'),
  terminationMessagePath: str('File the termination message is read from.', {
    default: '/dev/termination-log',
    zeroIsUnset: true,
  }),
  terminationMessagePolicy: strEnum(['File', 'FallbackToLogsOnError'], 'Message source.', {
    default: 'File',
    zeroIsUnset: true,
    goType: 'v1.TerminationMessagePolicy',
  }),
  imagePullPolicy: strEnum(['Always', 'IfNotPresent', 'Never'], 'When to pull the image.', {
    default: imagePullPolicyDefault,
    zeroIsUnset: true,
    goType: 'v1.PullPolicy',
  }),
  securityContext: ref(securityContextSchema, 'Security settings.'),
  stdin: bool('Allocate a stdin buffer.'),
  stdinOnce: bool('Close stdin after the first attach ends.'),
  tty: bool('Allocate a TTY.', { goName: 'TTY' }),
};

export const containerSchema: ObjectSchema = obj(
  'Container',
  'A container run in a pod.',
  containerFields,
  { hooks: { validate: validateContainer } },
);

export const ephemeralContainerSchema: ObjectSchema = obj(
  'EphemeralContainer',
  'A debugging container added to a running pod.',
  {
    ...containerFields,
    targetContainerName: str('Container whose namespaces to share.'),
  },
);

function validateEnvVar(env: JsonObject, ctx: ValidationContext): FieldError[] {
  const source = env.valueFrom;
  if (!isObject(source)) return [];
  const path = childPath(ctx.path, 'valueFrom');
  const count = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((key) =>
    isObject(source[key]),
  ).length;
  if (count === 0) {
    const detail =
      'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`';
    return [invalidError(path, '', detail)];
  }
  if ((stringAt(env, 'value') ?? '') !== '') {
    return [invalidError(path, '', 'may not be specified when `value` is not empty')];
  }
  if (count > 1) {
    return [invalidError(path, '', 'may not have more than one field specified at a time')];
  }
  return [];
}

function validatePortNames(container: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  arrayAt(container, 'ports').forEach((port, i) => {
    const name = stringAt(port, 'name') ?? '';
    if (name === '' || validatePortName(name).length > 0) return;
    if (seen.has(name)) errors.push(duplicateError(childPath(indexPath(path, i), 'name'), name));
    seen.add(name);
  });
  return errors;
}

function validateSuccessThresholds(container: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const probe of ['livenessProbe', 'startupProbe']) {
    const value = container[probe];
    if (!isObject(value)) continue;
    const threshold = value.successThreshold;
    if (typeof threshold === 'number' && threshold !== 1) {
      errors.push(
        invalidError(childPath(childPath(path, probe), 'successThreshold'), threshold, 'must be 1'),
      );
    }
  }
  return errors;
}

function validateContainer(container: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors = validatePortNames(container, childPath(ctx.path, 'ports'));
  errors.push(...validateSuccessThresholds(container, ctx.path));
  const image = stringAt(container, 'image') ?? '';
  if (image !== '' && image.trim() !== image && ctx.operation === 'update') {
    const detail = 'must not have leading or trailing whitespace';
    errors.push(invalidError(childPath(ctx.path, 'image'), image, detail));
  }
  return errors;
}
