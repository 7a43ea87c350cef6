// Builders of Deployment and ReplicaSet objects for the deployment controller's unit tests.

import type { JsonObject } from '../../src/control/api/values/canonical-json.js';
import type {
  Deployment,
  DeploymentSpec,
  DeploymentStatus,
  ReplicaSet,
  ReplicaSetStatus,
} from '../../src/control/controllers/deployment/deployment-objects.js';
import { formatTime } from '../../src/control/api/values/time.js';

export const fixtureEpochMs = Date.UTC(2026, 0, 1);

export function template(image: string, app = 'web'): JsonObject {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: 'app', image }] },
  };
}

export function deploymentFixture(
  spec: Partial<DeploymentSpec> = {},
  extra: {
    status?: DeploymentStatus;
    annotations?: Record<string, string>;
    generation?: number;
    name?: string;
  } = {},
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: extra.name ?? 'web',
      namespace: 'default',
      uid: 'uid-deploy',
      generation: extra.generation ?? 1,
      ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }),
    },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      template: template('nginx:1'),
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
    ...(extra.status === undefined ? {} : { status: extra.status }),
  };
}

export interface ReplicaSetFixture {
  name: string;
  replicas: number;
  available?: number;
  ready?: number;
  current?: number;
  createdAtS?: number;
  revision?: number;
  annotations?: Record<string, string>;
  image?: string;
  status?: ReplicaSetStatus;
  generation?: number;
}

/** A ReplicaSet owned by `deploymentFixture()`; status.replicas defaults to spec.replicas. */
export function rsFixture(options: ReplicaSetFixture): ReplicaSet {
  const annotations: Record<string, string> = { ...(options.annotations ?? {}) };
  if (options.revision !== undefined) {
    annotations['deployment.kubernetes.io/revision'] = String(options.revision);
  }
  const available = options.available ?? options.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: options.name,
      namespace: 'default',
      uid: `uid-${options.name}`,
      labels: { app: 'web' },
      generation: options.generation ?? 1,
      creationTimestamp: formatTime(fixtureEpochMs + (options.createdAtS ?? 0) * 1000),
      annotations,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'web',
          uid: 'uid-deploy',
          controller: true,
        },
      ],
    },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template(options.image ?? `nginx:${options.name}`),
    },
    status: options.status ?? {
      replicas: options.current ?? options.replicas,
      readyReplicas: options.ready ?? available,
      availableReplicas: available,
      observedGeneration: options.generation ?? 1,
    },
  };
}
