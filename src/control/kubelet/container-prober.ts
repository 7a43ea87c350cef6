// The prober as the kubelet uses it: the narrow shape of prober/prober-manager.ts's
// ProberManager that the pod syncer and killer depend on.
//
// The kubelet calls addContainer when it sees a container of a pod running (it started it, or
// found it running after a restart), removeContainer when that container stops or is killed,
// removePod when the pod terminates or goes away, and asks isReady/isStarted for containers that
// have a readiness/startup probe. Verdict changes come back through the manager's onChange: a
// liveness or startup 'failure' asks for a restart.

import type { JsonObject } from '../store/types.js';
import type { ProbedContainer } from './prober/prober-manager.js';

export type { ProbeChange, ProbedContainer } from './prober/prober-manager.js';

export interface ContainerProber {
  addContainer(pod: JsonObject, container: ProbedContainer): void;
  removeContainer(podUid: string, containerName: string): void;
  removePod(podUid: string): void;
  isReady(podUid: string, containerName: string): boolean;
  isStarted(podUid: string, containerName: string): boolean;
  stop(): void;
}
