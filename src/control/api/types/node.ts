// core/v1 Node: spec (podCIDR, unschedulable, taints), status as the kubelet reports it.

import type { JsonObject } from '../../store/types.js';
import { arrayAt, isObject, objectAt, stringAt, valueAtPath, withField } from '../schema/json.js';
import type { ObjectSchema } from '../schema/schema.js';
import {
  arr,
  bool,
  int32,
  int64,
  obj,
  ref,
  resourceList,
  str,
  strKnown,
  stringList,
  time,
} from '../schema/schema.js';
import { compareGoStrings } from '../values/go-format.js';
import { metadataField, typeMetaFields } from './meta.js';
import { ageColumn, fieldColumn, nameColumn, computedColumn } from './printing.js';
import type { PrinterColumn, ResourceDeclaration } from './resource.js';
import { taintSchema } from './scheduling.js';

const configMapNodeConfigSourceSchema = obj(
  'ConfigMapNodeConfigSource',
  'A ConfigMap holding kubelet configuration.',
  {
    namespace: str('Namespace of the ConfigMap.', { required: true }),
    name: str('Name of the ConfigMap.', { required: true }),
    uid: str('UID of the ConfigMap.', { goName: 'UID' }),
    resourceVersion: str('Resource version of the ConfigMap.'),
    kubeletConfigKey: str('Key holding the KubeletConfiguration.', { required: true }),
  },
);

const nodeConfigSourceSchema = obj('NodeConfigSource', 'Source of kubelet configuration.', {
  configMap: ref(configMapNodeConfigSourceSchema, 'The ConfigMap source.'),
});

export const nodeSpecSchema = obj('NodeSpec', 'Desired state of a node.', {
  podCIDR: str('Pod IP range of the node.', { goName: 'PodCIDR' }),
  podCIDRs: stringList('Pod IP ranges, one per IP family.', {
    patchStrategy: 'merge',
    listType: 'set',
    goName: 'PodCIDRs',
  }),
  providerID: str('Cloud provider id of the node.', { goName: 'ProviderID' }),
  unschedulable: bool('Keep new pods off the node (cordon).'),
  taints: arr(taintSchema, 'Taints of the node.', { listType: 'atomic' }),
  configSource: ref(nodeConfigSourceSchema, 'Deprecated dynamic kubelet configuration.'),
  externalID: str('Deprecated.', { goName: 'DoNotUseExternalID' }),
});

export const nodeConditionSchema = obj('NodeCondition', 'A condition of a node.', {
  type: strKnown(
    ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'],
    'Condition type.',
    { required: true, goType: 'v1.NodeConditionType' },
  ),
  status: strKnown(['True', 'False', 'Unknown'], 'True, False or Unknown.', {
    required: true,
    goType: 'v1.ConditionStatus',
  }),
  lastHeartbeatTime: time('Last time the condition was reported.'),
  lastTransitionTime: time('Last time the status changed.'),
  reason: str('Machine-readable reason.'),
  message: str('Human-readable details.'),
});

export const nodeAddressSchema = obj('NodeAddress', 'An address of a node.', {
  type: strKnown(['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS'], 'Kind.', {
    required: true,
    goType: 'v1.NodeAddressType',
  }),
  address: str('The address.', { required: true }),
});

export const nodeSystemInfoSchema = obj('NodeSystemInfo', 'Identity and versions of a node.', {
  machineID: str('Machine id.', { goName: 'MachineID' }),
  systemUUID: str('System UUID.', { goName: 'SystemUUID' }),
  bootID: str('Boot id.', { goName: 'BootID' }),
  kernelVersion: str('Kernel version (uname -r).'),
  osImage: str('OS image (/etc/os-release).'),
  containerRuntimeVersion: str('Runtime and version, e.g. containerd://1.7.0.'),
  kubeletVersion: str('Kubelet version.'),
  kubeProxyVersion: str('Deprecated kube-proxy version.'),
  operatingSystem: str('GOOS of the node.'),
  architecture: str('GOARCH of the node.'),
});

const containerImageSchema = obj('ContainerImage', 'An image present on a node.', {
  names: stringList('Names of the image.'),
  sizeBytes: int64('Size of the image.'),
});

export const nodeStatusSchema: ObjectSchema = obj(
  'NodeStatus',
  'Observed state of a node.',
  {
    capacity: resourceList('Total resources of the node.'),
    allocatable: resourceList('Resources available to pods; defaults to capacity.'),
    phase: strKnown(['Pending', 'Running', 'Terminated'], 'Deprecated.'),
    conditions: arr(nodeConditionSchema, 'Current conditions.', {
      patchStrategy: 'merge',
      patchMergeKey: 'type',
      listType: 'map',
      listMapKeys: ['type'],
    }),
    addresses: arr(nodeAddressSchema, 'Addresses of the node.', {
      patchStrategy: 'merge',
      patchMergeKey: 'type',
      listType: 'map',
      listMapKeys: ['type'],
    }),
    daemonEndpoints: obj('NodeDaemonEndpoints', 'Ports of daemons on the node.', {
      kubeletEndpoint: obj('DaemonEndpoint', 'A daemon port.', {
        Port: int32('Port number.', { required: true }),
      }),
    }),
    nodeInfo: ref(nodeSystemInfoSchema, 'Identity and versions.'),
    images: arr(containerImageSchema, 'Images on the node.', { listType: 'atomic' }),
    volumesInUse: stringList('Volumes in use.'),
    volumesAttached: arr(
      obj('AttachedVolume', 'An attached volume.', {
        name: str('Volume name.', { required: true }),
        devicePath: str('Device path.', { required: true }),
      }),
      'Attached volumes.',
      { listType: 'atomic' },
    ),
    config: obj('NodeConfigStatus', 'Deprecated dynamic configuration status.', {
      assigned: ref(nodeConfigSourceSchema, 'Assigned configuration.'),
      active: ref(nodeConfigSourceSchema, 'Active configuration.'),
      lastKnownGood: ref(nodeConfigSourceSchema, 'Last known good configuration.'),
      error: str('Error.'),
    }),
    runtimeHandlers: arr(
      obj('NodeRuntimeHandler', 'A runtime handler.', {
        name: str('Handler name; empty for the default.'),
        features: obj('NodeRuntimeHandlerFeatures', 'Handler features.', {
          recursiveReadOnlyMounts: bool('Supports recursive read-only mounts.'),
          userNamespaces: bool('Supports user namespaces.'),
        }),
      }),
      'Runtime handlers.',
      { listType: 'atomic' },
    ),
    features: obj('NodeFeatures', 'Node features.', {
      supplementalGroupsPolicy: bool('Supports supplementalGroupsPolicy.'),
    }),
  },
  { hooks: { defaults: defaultAllocatable } },
);

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
function defaultAllocatable(status: JsonObject): JsonObject {
  if (status.allocatable !== undefined && status.allocatable !== null) return status;
  if (!isObject(status.capacity)) return status;
  return withField(status, 'allocatable', status.capacity);
}

export const nodeSchema: ObjectSchema = obj(
  'Node',
  'A worker machine.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(nodeSpecSchema, 'Desired state of the node.', { default: {} }),
    status: ref(nodeStatusSchema, 'Observed state of the node; written by the kubelet.'),
  },
  {
    root: {
      group: '',
      version: 'v1',
      kind: 'Node',
      scope: 'Cluster',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

function readyStatus(node: JsonObject): string {
  const ready = arrayAt(objectAt(node, 'status'), 'conditions').find(
    (c) => stringAt(c, 'type') === 'Ready',
  );
  const status =
    ready === undefined ? 'Unknown' : stringAt(ready, 'status') === 'True' ? 'Ready' : 'NotReady';
  return objectAt(node, 'spec')?.unschedulable === true ? `${status},SchedulingDisabled` : status;
}

function roles(node: JsonObject): string {
  const labels = objectAt(objectAt(node, 'metadata'), 'labels') ?? {};
  const found = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role !== '') found.add(role);
    } else if (key === 'kubernetes.io/role' && typeof value === 'string' && value !== '') {
      found.add(value);
    }
  }
  return found.size === 0 ? '<none>' : [...found].sort(compareGoStrings).join(',');
}

function address(node: JsonObject, type: string): string {
  const entry = arrayAt(objectAt(node, 'status'), 'addresses').find(
    (a) => stringAt(a, 'type') === type,
  );
  return stringAt(entry, 'address') ?? '<none>';
}

const nodeInfo = (key: string) => ['status', 'nodeInfo', key];

function orUnknown(node: JsonObject, key: string): string {
  const value = valueAtPath(node, nodeInfo(key));
  return typeof value === 'string' && value !== '' ? value : '<unknown>';
}

export const nodePrinterColumns: readonly PrinterColumn[] = [
  nameColumn(),
  computedColumn('Status', 'The status of the node', 0, readyStatus),
  computedColumn('Roles', 'The roles of the node', 0, roles),
  ageColumn(),
  fieldColumn('Version', nodeInfo('kubeletVersion'), 'Kubelet Version reported by the node.'),
  computedColumn('Internal-IP', 'List of internal IPs.', 1, (node) => address(node, 'InternalIP')),
  computedColumn('External-IP', 'List of external IPs.', 1, (node) => address(node, 'ExternalIP')),
  computedColumn('OS-Image', 'OS Image reported by the node.', 1, (node) =>
    orUnknown(node, 'osImage'),
  ),
  computedColumn('Kernel-Version', 'Kernel Version reported by the node.', 1, (node) =>
    orUnknown(node, 'kernelVersion'),
  ),
  computedColumn(
    'Container-Runtime',
    'Container Runtime Version reported by the node.',
    1,
    (node) => orUnknown(node, 'containerRuntimeVersion'),
  ),
];

export const nodeResource: ResourceDeclaration = {
  schema: nodeSchema,
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  categories: [],
  subresources: ['status'],
  statusFields: ['status'],
  fieldLabels: {
    'spec.unschedulable': (node) => String(objectAt(node, 'spec')?.unschedulable === true),
  },
  printerColumns: nodePrinterColumns,
  tracksGeneration: false,
};
