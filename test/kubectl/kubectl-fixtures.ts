// Objects the kubectl suites create, and the writes a scheduler or kubelet would make, by hand.
import type { KubectlSession } from './kubectl-helpers.js';

/** A Ready worker node with capacity and node info, as a kubelet would register it. */
export function nodeYaml(name: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {kubernetes.io/hostname: ${name}, node-role.kubernetes.io/worker: ""}
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  addresses: [{type: InternalIP, address: 10.0.0.11}, {type: Hostname, address: ${name}}]
  nodeInfo:
    kubeletVersion: v1.32.0-miniku
    osImage: Debian GNU/Linux 12 (bookworm)
    kernelVersion: 6.1.0-miniku
    containerRuntimeVersion: miniku://0.1.0
    operatingSystem: linux
    architecture: amd64
    machineID: m
    systemUUID: s
    bootID: b
    kubeProxyVersion: ""
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status,
     lastHeartbeatTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z"}
`;
}

export function podYaml(name: string, labels = 'app: solo'): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, "3600"]}
`;
}

export const workloadsYaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: cache}
spec:
  replicas: 2
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: redis, image: redis:7}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

/** A Normal Scheduled event about `pod` (give its uid for `kubectl describe` to find it). */
export function eventYaml(pod: string, uid = ''): string {
  return `apiVersion: v1
kind: Event
metadata: {name: ${pod}.1}
involvedObject: {kind: Pod, namespace: default, name: ${pod}, uid: "${uid}", apiVersion: v1}
reason: Scheduled
message: Successfully assigned default/${pod} to node-1
type: Normal
source: {component: default-scheduler}
count: 1
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
`;
}

const podsPath = '/api/v1/namespaces/default/pods';

/** Binds a pod through the binding subresource, as the scheduler does. */
export async function bindPod(session: KubectlSession, pod: string, node: string): Promise<void> {
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  };
  const reply = await session.api('POST', `${podsPath}/${pod}/binding`, binding);
  if (reply.status !== 201) throw new Error(`binding ${pod}: ${JSON.stringify(reply.json)}`);
}

/** Writes a pod's status as a kubelet would (merge patch on the status subresource). */
export async function setPodStatus(
  session: KubectlSession,
  pod: string,
  status: Record<string, unknown>,
): Promise<void> {
  const path = `${podsPath}/${pod}/status`;
  const reply = await session.api('PATCH', path, { status }, 'application/merge-patch+json');
  if (reply.status !== 200) throw new Error(`status of ${pod}: ${JSON.stringify(reply.json)}`);
}

const started = '2026-01-01T00:00:00Z';

export const runningStatus = {
  phase: 'Running',
  podIP: '10.244.0.5',
  podIPs: [{ ip: '10.244.0.5' }],
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [
    {
      name: 'main',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'busybox:1.36',
      imageID: '',
      state: { running: { startedAt: started } },
    },
  ],
};

export const crashLoopStatus = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'main',
      ready: false,
      restartCount: 3,
      image: 'busybox:1.36',
      imageID: '',
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
      lastState: {
        terminated: { exitCode: 1, reason: 'Error', startedAt: started, finishedAt: started },
      },
    },
  ],
};

export const completedStatus = {
  phase: 'Succeeded',
  containerStatuses: [
    {
      name: 'main',
      ready: false,
      restartCount: 0,
      image: 'busybox:1.36',
      imageID: '',
      state: {
        terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started },
      },
    },
  ],
};
