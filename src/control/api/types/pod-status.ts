// core/v1 PodStatus: phase, conditions, container statuses with their states, IPs and QoS class.

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
  time,
} from '../schema/schema.js';
import { resourceRequirementsSchema } from './container.js';

export const podPhases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export const qosClasses = ['Guaranteed', 'Burstable', 'BestEffort'] as const;
const conditionStatuses = ['True', 'False', 'Unknown'];

export const podConditionSchema = obj('PodCondition', 'A condition of a pod.', {
  type: strKnown(
    ['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'],
    'Condition type; readiness gates add their own.',
    { required: true, goType: 'v1.PodConditionType' },
  ),
  status: strKnown(conditionStatuses, 'True, False or Unknown.', {
    required: true,
    goType: 'v1.ConditionStatus',
  }),
  lastProbeTime: time('Last time the condition was probed.'),
  lastTransitionTime: time('Last time the status changed.'),
  reason: str('Machine-readable reason in CamelCase.'),
  message: str('Human-readable details.'),
});

export const containerStateSchema = obj(
  'ContainerState',
  'One of waiting, running or terminated; waiting when none is set.',
  {
    waiting: obj('ContainerStateWaiting', 'Not running yet.', {
      reason: str('Why, e.g. ContainerCreating, CrashLoopBackOff, ImagePullBackOff.'),
      message: str('Details.'),
    }),
    running: obj('ContainerStateRunning', 'Running.', {
      startedAt: time('When the container (last) started.'),
    }),
    terminated: obj('ContainerStateTerminated', 'Exited.', {
      exitCode: int32('Exit status of the last termination.'),
      signal: int32('Signal of the last termination.'),
      reason: str('Why, e.g. Completed, Error, OOMKilled.'),
      message: str('Details.'),
      startedAt: time('When the container started.'),
      finishedAt: time('When the container exited.'),
      containerID: str('Runtime id of the container.', { goName: 'ContainerID' }),
    }),
  },
);

export const containerStatusSchema = obj('ContainerStatus', 'Observed state of a container.', {
  name: str('Container name.'),
  state: ref(containerStateSchema, 'Current state.'),
  lastState: ref(containerStateSchema, 'Previous termination, kept across restarts.'),
  ready: bool('Whether the readiness probe passes.'),
  restartCount: int32('Number of restarts.'),
  image: str('Image the container runs.'),
  imageID: str('Image id the container runs.', { goName: 'ImageID' }),
  containerID: str('Runtime id, `<type>://<id>`.', { goName: 'ContainerID' }),
  started: bool('Whether the startup probe passed (true once running without one).'),
  allocatedResources: resourceList('Resources allocated by the node.'),
  resources: ref(resourceRequirementsSchema, 'Resources actually applied.'),
  volumeMounts: arr(
    obj('VolumeMountStatus', 'A mounted volume.', {
      name: str('Volume name.', { required: true }),
      mountPath: str('Mount path.', { required: true }),
      readOnly: bool('Mounted read-only.'),
      recursiveReadOnly: str('Recursive read-only mode in effect.'),
    }),
    'Mounted volumes.',
    {
      patchStrategy: 'merge',
      patchMergeKey: 'mountPath',
      listType: 'map',
      listMapKeys: ['mountPath'],
    },
  ),
  user: obj('ContainerUser', 'Identity of the first process.', {
    linux: obj('LinuxContainerUser', 'Linux identity.', {
      uid: int64('User id.', { goName: 'UID' }),
      gid: int64('Group id.', { goName: 'GID' }),
      supplementalGroups: arr(int64(''), 'Groups.', { listType: 'atomic' }),
    }),
  }),
  allocatedResourcesStatus: arr(
    obj('ResourceStatus', 'Health of allocated devices.', {
      name: str('Resource name.', { required: true }),
      resources: arr(
        obj('ResourceHealth', 'Health of one device.', {
          resourceID: str('Device id.', { goName: 'ResourceID' }),
          health: str('Healthy, Unhealthy or Unknown.'),
        }),
        'Devices.',
        { listType: 'map', listMapKeys: ['resourceID'] },
      ),
    }),
    'Allocated resources health.',
    {
      patchStrategy: 'merge',
      patchMergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    },
  ),
});

const ipSchema = (name: string, description: string) =>
  obj(name, description, { ip: str('The IP address.', { required: true, goName: 'IP' }) });

export const podStatusSchema = obj('PodStatus', 'Observed state of a pod.', {
  phase: strKnown(podPhases, 'Pending, Running, Succeeded, Failed or Unknown.', {
    goType: 'v1.PodPhase',
  }),
  conditions: arr(podConditionSchema, 'Current conditions.', {
    patchStrategy: 'merge',
    patchMergeKey: 'type',
    listType: 'map',
    listMapKeys: ['type'],
  }),
  message: str('Human-readable reason for the phase.'),
  reason: str('Short reason for the phase, e.g. Evicted, OutOfcpu.'),
  nominatedNodeName: str('Node the pod is expected to run on after preemption.'),
  hostIP: str('IP of the node the pod runs on.', { goName: 'HostIP' }),
  hostIPs: arr(ipSchema('HostIP', 'A node IP.'), 'IPs of the node.', {
    patchStrategy: 'merge',
    patchMergeKey: 'ip',
    listType: 'atomic',
    goName: 'HostIPs',
  }),
  podIP: str('Primary pod IP.', { goName: 'PodIP' }),
  podIPs: arr(ipSchema('PodIP', 'A pod IP.'), 'Pod IPs, primary first.', {
    patchStrategy: 'merge',
    patchMergeKey: 'ip',
    listType: 'map',
    listMapKeys: ['ip'],
    goName: 'PodIPs',
  }),
  startTime: time('When the kubelet acknowledged the pod.'),
  initContainerStatuses: arr(containerStatusSchema, 'Init container statuses.', {
    listType: 'atomic',
  }),
  containerStatuses: arr(containerStatusSchema, 'Container statuses.', { listType: 'atomic' }),
  qosClass: strKnown(qosClasses, 'QoS class, computed on create.', {
    goType: 'v1.PodQOSClass',
    goName: 'QOSClass',
  }),
  ephemeralContainerStatuses: arr(containerStatusSchema, 'Ephemeral container statuses.', {
    listType: 'atomic',
  }),
  resize: str('Status of an in-place resize.'),
  resourceClaimStatuses: arr(
    obj('PodResourceClaimStatus', 'A generated claim.', {
      name: str('Claim name within the pod.', { required: true }),
      resourceClaimName: str('Generated ResourceClaim name.'),
    }),
    'Generated resource claims.',
    {
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    },
  ),
});
