// core/v1 Volume with the common sources: emptyDir, hostPath, configMap, secret,
// persistentVolumeClaim, projected and downwardAPI.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { forbiddenError, requiredError } from '../schema/field-errors.js';
import { childPath, isObject } from '../schema/json.js';
import type { ObjectSchema } from '../schema/schema.js';
import {
  arr,
  bool,
  int32,
  int64,
  obj,
  quantity,
  ref,
  str,
  strEnum,
  strKnown,
} from '../schema/schema.js';
import { objectFieldSelectorSchema, resourceFieldSelectorSchema } from './container.js';
import { labelSelectorSchema } from './label-selector.js';

/** Octal 0644, the default file mode of projected files. */
export const defaultFileMode = 420;

const fileModeDetail = 'must be a number between 0 and 0777 (octal), both inclusive';
const modeRange = { minimum: 0, maximum: 511, rangeDetail: fileModeDetail };

const modeField = (description: string) =>
  int32(description, { default: defaultFileMode, ...modeRange });

export const keyToPathSchema = obj('KeyToPath', 'Maps a key to a file path.', {
  key: str('Key to project.', { required: true }),
  path: str('Relative file path.', { required: true }),
  mode: int32('File mode bits (0000-0777).', modeRange),
});

const itemsField = (description: string) =>
  arr(keyToPathSchema, description, { listType: 'atomic' });

export const downwardApiFileSchema = obj('DownwardAPIVolumeFile', 'A pod field as a file.', {
  path: str('Relative file path.', { required: true }),
  fieldRef: ref(objectFieldSelectorSchema, 'A field of the pod.'),
  resourceFieldRef: ref(resourceFieldSelectorSchema, 'A resource of a container.'),
  mode: int32('File mode bits (0000-0777).', modeRange),
});

const hostPathTypes = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

export const hostPathSourceSchema = obj('HostPathVolumeSource', 'A path on the node.', {
  path: str('Path on the host.', { required: true }),
  type: strEnum(hostPathTypes, 'What must exist at the path; "" checks nothing.', {
    default: '',
    enumAllowsEmpty: true,
    goType: 'v1.HostPathType',
  }),
});

export const emptyDirSourceSchema = obj('EmptyDirVolumeSource', 'A scratch directory.', {
  medium: strKnown(['', 'Memory', 'HugePages'], 'Storage medium; "" is the node default.'),
  sizeLimit: quantity('Maximum size of the directory.'),
});

export const configMapSourceSchema = obj('ConfigMapVolumeSource', 'ConfigMap keys as files.', {
  name: str('Name of the ConfigMap.'),
  items: itemsField('Keys to project; all keys when empty.'),
  defaultMode: modeField('Default file mode (0644).'),
  optional: bool('Whether the ConfigMap or its keys may be missing.'),
});

export const secretSourceSchema = obj('SecretVolumeSource', 'Secret keys as files.', {
  secretName: str('Name of the Secret.'),
  items: itemsField('Keys to project; all keys when empty.'),
  defaultMode: modeField('Default file mode (0644).'),
  optional: bool('Whether the Secret or its keys may be missing.'),
});

export const pvcSourceSchema = obj(
  'PersistentVolumeClaimVolumeSource',
  'A PersistentVolumeClaim in the same namespace.',
  {
    claimName: str('Name of the claim.', { required: true }),
    readOnly: bool('Mount read-only.'),
  },
);

export const downwardApiSourceSchema = obj('DownwardAPIVolumeSource', 'Pod fields as files.', {
  items: arr(downwardApiFileSchema, 'Files to create.', { listType: 'atomic' }),
  defaultMode: modeField('Default file mode (0644).'),
});

const projectionItems = {
  name: str('Name of the referent.'),
  items: itemsField('Keys to project.'),
  optional: bool('Whether the referent may be missing.'),
};

export const volumeProjectionSchema = obj('VolumeProjection', 'One projected source.', {
  secret: obj('SecretProjection', 'Secret keys.', projectionItems),
  downwardAPI: obj('DownwardAPIProjection', 'Pod fields.', {
    items: arr(downwardApiFileSchema, 'Files to create.', { listType: 'atomic' }),
  }),
  configMap: obj('ConfigMapProjection', 'ConfigMap keys.', projectionItems),
  serviceAccountToken: obj('ServiceAccountTokenProjection', 'A service account token.', {
    audience: str('Intended audience of the token.'),
    expirationSeconds: int64('Requested token lifetime.', { default: 3600 }),
    path: str('Relative file path.', { required: true }),
  }),
  clusterTrustBundle: obj('ClusterTrustBundleProjection', 'Trust anchors.', {
    name: str('Bundle name.'),
    signerName: str('Signer of the bundles to select.'),
    labelSelector: ref(labelSelectorSchema, 'Bundles to select.'),
    optional: bool('Whether the bundle may be missing.'),
    path: str('Relative file path.', { required: true }),
  }),
});

export const projectedSourceSchema = obj('ProjectedVolumeSource', 'Several sources in one.', {
  sources: arr(volumeProjectionSchema, 'The projected sources.', { listType: 'atomic' }),
  defaultMode: modeField('Default file mode (0644).'),
});

const volumeSources = [
  'hostPath',
  'emptyDir',
  'secret',
  'persistentVolumeClaim',
  'downwardAPI',
  'configMap',
  'projected',
] as const;

export const volumeSchema: ObjectSchema = obj(
  'Volume',
  'A named volume the containers of a pod may mount.',
  {
    name: str('Volume name, a DNS-1123 label unique within the pod.', {
      required: true,
      format: 'dns1123-label',
    }),
    hostPath: ref(hostPathSourceSchema, 'A directory or file on the node.'),
    emptyDir: ref(emptyDirSourceSchema, 'A scratch directory living as long as the pod.'),
    secret: ref(secretSourceSchema, 'Contents of a Secret.'),
    persistentVolumeClaim: ref(pvcSourceSchema, 'A claimed persistent volume.'),
    downwardAPI: ref(downwardApiSourceSchema, 'Pod fields.', { goName: 'DownwardAPI' }),
    configMap: ref(configMapSourceSchema, 'Contents of a ConfigMap.'),
    projected: ref(projectedSourceSchema, 'Several sources in one directory.'),
  },
  { hooks: { defaults: defaultVolumeSource, validate: validateVolumeSource } },
);

/** SetDefaults_Volume: a volume with no source is an emptyDir. */
function defaultVolumeSource(volume: JsonObject): JsonObject {
  if (volumeSources.some((source) => volume[source] !== undefined && volume[source] !== null)) {
    return volume;
  }
  return { ...volume, emptyDir: {} };
}

function validateVolumeSource(volume: JsonObject, ctx: { path: string }): FieldError[] {
  const present = volumeSources.filter((source) => isObject(volume[source]));
  if (present.length === 0) return [requiredError(ctx.path, 'must specify a volume type')];
  return present
    .slice(1)
    .map((source) =>
      forbiddenError(childPath(ctx.path, source), 'may not specify more than 1 volume type'),
    );
}
