// Tests of upstream v1.32 defaults for every declared kind, and their idempotence.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { deploymentSchema } from '../types/deployment.js';
import { eventSchema } from '../types/event.js';
import { leaseSchema } from '../types/lease.js';
import { namespaceSchema } from '../types/namespace.js';
import { nodeSchema } from '../types/node.js';
import { podSchema } from '../types/pod.js';
import { priorityClassSchema } from '../types/priority-class.js';
import { replicaSetSchema } from '../types/replica-set.js';
import { serviceSchema } from '../types/service.js';
import { applyDefaults } from './defaults.js';
import { valueAtPath } from './json.js';
import type { ObjectSchema } from './schema.js';

const at = (value: JsonValue, path: string): JsonValue | undefined =>
  valueAtPath(value, path.split('.'));

function pod(container: JsonObject = {}, spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', ...container }], ...spec },
  };
}

const template = { metadata: { labels: { app: 'web' } }, spec: pod().spec as JsonObject };
const deployment: JsonObject = {
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template },
};

describe('applyDefaults for pods', () => {
  const defaulted = applyDefaults(podSchema, pod());
  it.each<[string, JsonValue]>([
    ['spec.restartPolicy', 'Always'],
    ['spec.terminationGracePeriodSeconds', 30],
    ['spec.dnsPolicy', 'ClusterFirst'],
    ['spec.schedulerName', 'default-scheduler'],
    ['spec.securityContext', {}],
    ['spec.enableServiceLinks', true],
  ])('sets %s to %j', (path, expected) => {
    expect(at(defaulted, path)).toEqual(expected);
  });

  it('fills container defaults', () => {
    const container = (at(defaulted, 'spec.containers') as JsonObject[])[0];
    expect(container).toMatchObject({
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry.local:5000/team/nginx', 'Always'],
    ['registry.local:5000/team/nginx:1.2', 'IfNotPresent'],
    [
      'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'IfNotPresent',
    ],
    ['Nginx', 'IfNotPresent'],
  ])('pulls image %s with policy %s', (image, policy) => {
    const result = applyDefaults(podSchema, pod({ image }));
    expect(at(result, 'spec.containers')).toMatchObject([{ imagePullPolicy: policy }]);
  });

  it('defaults port protocols to TCP and copies limits into missing requests', () => {
    const result = applyDefaults(
      podSchema,
      pod({
        ports: [{ containerPort: 80 }],
        resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } },
      }),
    );
    expect(at(result, 'spec.containers')).toMatchObject([
      {
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { requests: { cpu: '500m', memory: '1Gi' } },
      },
    ]);
  });

  it('exposes container ports on the host with hostNetwork', () => {
    const result = applyDefaults(
      podSchema,
      pod({ ports: [{ containerPort: 80 }] }, { hostNetwork: true }),
    );
    expect(at(result, 'spec.containers')).toMatchObject([{ ports: [{ hostPort: 80 }] }]);
  });

  it('keeps explicit values, including Go zero values of pointer fields', () => {
    const result = applyDefaults(
      podSchema,
      pod(
        {},
        { terminationGracePeriodSeconds: 0, restartPolicy: 'Never', enableServiceLinks: false },
      ),
    );
    expect(at(result, 'spec.terminationGracePeriodSeconds')).toBe(0);
    expect(at(result, 'spec.restartPolicy')).toBe('Never');
    expect(at(result, 'spec.enableServiceLinks')).toBe(false);
  });

  it('treats empty strings of non-pointer fields as unset', () => {
    const result = applyDefaults(podSchema, pod({}, { restartPolicy: '', dnsPolicy: '' }));
    expect(at(result, 'spec.restartPolicy')).toBe('Always');
    expect(at(result, 'spec.dnsPolicy')).toBe('ClusterFirst');
  });

  it('defaults probes, HTTP actions, volumes and downward API selectors', () => {
    const result = applyDefaults(
      podSchema,
      pod(
        {
          livenessProbe: { httpGet: { port: 8080 } },
          env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
        {
          volumes: [
            { name: 'scratch' },
            { name: 'cm', configMap: { name: 'x' } },
            { name: 'h', hostPath: { path: '/' } },
          ],
        },
      ),
    );
    expect(at(result, 'spec.containers')).toMatchObject([
      {
        livenessProbe: {
          httpGet: { path: '/', scheme: 'HTTP', port: 8080 },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        env: [{ valueFrom: { fieldRef: { apiVersion: 'v1' } } }],
      },
    ]);
    expect(at(result, 'spec.volumes')).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'cm', configMap: { name: 'x', defaultMode: 420 } },
      { name: 'h', hostPath: { path: '/', type: '' } },
    ]);
  });

  it('sets phase and QoS class only for a new pod', () => {
    const created = applyDefaults(podSchema, pod(), { operation: 'create' });
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(applyDefaults(podSchema, pod()).status).toBeUndefined();
  });

  it('computes the QoS class after requests were defaulted from limits', () => {
    const limits = { cpu: '1', memory: '1Gi' };
    const created = applyDefaults(podSchema, pod({ resources: { limits } }), {
      operation: 'create',
    });
    expect(at(created, 'status.qosClass')).toBe('Guaranteed');
  });

  it('does not modify its input', () => {
    const input = pod();
    const copy = JSON.parse(JSON.stringify(input)) as JsonObject;
    applyDefaults(podSchema, input, { operation: 'create' });
    expect(input).toEqual(copy);
  });
});

describe('applyDefaults for workloads', () => {
  it('fills Deployment defaults and pod template defaults', () => {
    const result = applyDefaults(deploymentSchema, deployment);
    expect(result.spec).toMatchObject({
      replicas: 1,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } },
    });
  });

  it('does not give templates the pod-only defaults', () => {
    const result = applyDefaults(deploymentSchema, deployment);
    expect(at(result, 'spec.template.spec.enableServiceLinks')).toBeUndefined();
  });

  it('leaves rollingUpdate out of a Recreate strategy', () => {
    const recreate = {
      ...deployment,
      spec: { ...(deployment.spec as JsonObject), strategy: { type: 'Recreate' } },
    };
    expect(at(applyDefaults(deploymentSchema, recreate), 'spec.strategy')).toEqual({
      type: 'Recreate',
    });
  });

  it('keeps explicit replicas 0 and defaults ReplicaSet replicas to 1', () => {
    const zero = { ...deployment, spec: { ...(deployment.spec as JsonObject), replicas: 0 } };
    expect(at(applyDefaults(deploymentSchema, zero), 'spec.replicas')).toBe(0);
    expect(at(applyDefaults(replicaSetSchema, deployment), 'spec.replicas')).toBe(1);
  });
});

describe('applyDefaults for other kinds', () => {
  it('defaults Services: type, affinity, protocol and target port', () => {
    const service: JsonObject = {
      metadata: { name: 's' },
      spec: { ports: [{ port: 80 }, { port: 81, targetPort: 'http' }] },
    };
    expect(applyDefaults(serviceSchema, service).spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 81, protocol: 'TCP', targetPort: 'http' },
      ],
    });
  });

  it('defaults ClientIP affinity timeout and LoadBalancer fields', () => {
    const service = {
      spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] },
    };
    expect(applyDefaults(serviceSchema, service).spec).toMatchObject({
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      externalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    });
  });

  it('defaults Namespaces: phase always, finalizer on create, name label', () => {
    const namespace = { metadata: { name: 'team' } };
    const created = applyDefaults(namespaceSchema, namespace, { operation: 'create' });
    expect(created).toMatchObject({
      metadata: { labels: { 'kubernetes.io/metadata.name': 'team' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    const finalized = { ...created, spec: { finalizers: [] } };
    expect(applyDefaults(namespaceSchema, finalized).spec).toEqual({ finalizers: [] });
  });

  it('defaults Node allocatable to capacity', () => {
    const node = { metadata: { name: 'n' }, status: { capacity: { cpu: '4', pods: '110' } } };
    expect(at(applyDefaults(nodeSchema, node), 'status.allocatable')).toEqual({
      cpu: '4',
      pods: '110',
    });
  });

  it('defaults PriorityClass preemptionPolicy', () => {
    const pc = { metadata: { name: 'high' }, value: 1000 };
    expect(applyDefaults(priorityClassSchema, pc).preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('adds nothing to Leases and Events', () => {
    const lease = {
      metadata: { name: 'n', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'n' },
    };
    expect(applyDefaults(leaseSchema, lease)).toEqual(lease);
    const event = { metadata: { name: 'e', namespace: 'default' }, reason: 'Started' };
    expect(applyDefaults(eventSchema, event)).toEqual(event);
  });
});

const schemas: [string, ObjectSchema, JsonObject][] = [
  [
    'Pod',
    podSchema,
    pod(
      { ports: [{ containerPort: 1 }], resources: { limits: { cpu: '1' } } },
      { hostNetwork: true },
    ),
  ],
  ['Deployment', deploymentSchema, deployment],
  ['Service', serviceSchema, { spec: { ports: [{ port: 1 }], sessionAffinity: 'ClientIP' } }],
  ['Namespace', namespaceSchema, { metadata: { name: 'ns' } }],
  ['Node', nodeSchema, { status: { capacity: { cpu: '1' } } }],
];

describe('applyDefaults is idempotent', () => {
  it.each(schemas)('for a %s', (_, schema, object) => {
    const once = applyDefaults(schema, object, { operation: 'create' });
    expect(applyDefaults(schema, once, { operation: 'create' })).toEqual(once);
  });

  it('for arbitrary JSON mixed into objects of every kind', () => {
    const arbitrary = fc.dictionary(
      fc.constantFrom('spec', 'status', 'metadata', 'x'),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...schemas), arbitrary, ([, schema, base], extra) => {
        const object = { ...base, ...(extra as JsonObject) };
        const once = applyDefaults(schema, object, { operation: 'create' });
        expect(applyDefaults(schema, once, { operation: 'create' })).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});
