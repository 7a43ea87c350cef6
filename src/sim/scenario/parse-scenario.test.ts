// parseScenario turns a scenario that uses every field of the format into exactly the typed
// model the simulator executes: durations in ms, times in epoch ms, defaults filled in.
import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from './index.js';
import type { Scenario } from './index.js';

/** Every field of the format at least once. */
const fullScenario = `apiVersion: miniku.dev/v1alpha1
kind: Scenario
metadata:
  name: everything
  description: Every field of the format once.
spec:
  seed: chaos-1
  startTime: "2026-03-01T12:00:00+01:00"
  duration: 1h
  controlPlane:
    apiServer: {defaultNotReadyTolerationSeconds: 30, defaultUnreachableTolerationSeconds: 40}
    controllerManager:
      kubeAPIQPS: 0
      kubeAPIBurst: 1
      nodeMonitorPeriod: 2s
      nodeMonitorGracePeriod: 20s
      nodeStartupGracePeriod: 30s
      nodeEvictionRate: 0.5
      secondaryNodeEvictionRate: 0.05
      largeClusterSizeThreshold: 10
      unhealthyZoneThreshold: 0.6
      terminatedPodGCThreshold: 100
    scheduler: {kubeAPIQPS: 100.5, kubeAPIBurst: 200}
    kubelet:
      kubeAPIQPS: 10
      kubeAPIBurst: 20
      eventRecordQPS: 5
      eventBurst: 10
      nodeStatusUpdateFrequency: 4s
      nodeStatusReportFrequency: 1m
      nodeLeaseDurationSeconds: 20
      syncFrequency: 30s
  scheduler:
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    podMaxBackoffSeconds: 20
    profiles:
      - schedulerName: default-scheduler
        plugins:
          score:
            enabled: [{name: NodeResourcesBalancedAllocation, weight: 5}]
            disabled: [{name: ImageLocality}]
        pluginConfig:
          - name: NodeResourcesFit
            args: {scoringStrategy: {type: MostAllocated}}
  network:
    latency: {normal: {mean: 2ms, stddev: 1ms}}
  nodePools:
    - name: worker
      count: 3
      capacity: {cpu: 4, memory: 8Gi, pods: 110}
      labels: {tier: general}
      zones: [zone-a, zone-b]
      taints: [{key: dedicated, value: web, effect: NoSchedule}]
    - name: big
      count: 1
      capacity: {cpu: "16", memory: 64Gi}
  bootstrap: no
  runtime:
    imagePull: 1s
    containerStart: {exponential: 200ms}
    images:
      busybox:1.36:
        pull: {uniform: [1s, 2s]}
        failPull: false
        size: 4Mi
        exitAfter: 30s
        exitCode: 1
        memory: 1Gi
        memoryAfter: 5s
        terminationDelay: 2s
        ignoreSigterm: true
        sigtermExitCode: 0
        logLines: [hello]
        exec: {exitCode: 3, stdout: out}
        listen:
          - port: 8080
            from: 1s
            until: 1m
            http: [{path: /healthz, statusCode: 200, body: ok, from: 2s, delay: 10ms}]
  workloads:
    - at: 0s
      manifest:
        apiVersion: v1
        kind: Namespace
        metadata: {name: shop}
    - at: 1s
      manifests:
        - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}
        - apiVersion: v1
          kind: List
          items:
            - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop}, spec: {ports: [{port: 80}]}}
    - at: 2s
      file: web.yaml
    - at: 10m
      until: 20m
      poisson: {ratePerSecond: 0.5}
      namePrefix: batch-
      countMax: 50
      template:
        apiVersion: v1
        kind: Pod
        metadata: {namespace: shop, labels: {app: batch}}
        spec:
          containers: [{name: main, image: "busybox:1.36"}]
  faults:
    - {at: 1m, crashNode: {node: worker-2, restartAfter: 5m}}
    - {at: 2m, restartKubelet: {node: worker-0}}
    - {at: 3m, stopHeartbeats: {node: worker-1, for: 1m}}
    - {at: 4m, partition: {from: [node/worker-0, scheduler], to: [apiserver], oneWay: true, for: 30s}}
    - {at: 5m, heal: {}}
    - {at: 5m, heal: {from: [client/kubectl], to: [apiserver]}}
    - {at: 6m, delayLinks: {from: [controller-manager], to: [apiserver], latency: 100ms}}
    - {at: 7m, dropMessages: {from: [node/big-0], to: [apiserver], rate: 0.25, for: 10s}}
    - {at: 8m, restartApiServer: {}}
    - {at: 8m, restartComponent: {component: scheduler, downFor: 5s}}
    - at: 9m
      conflictingWrites:
        object: {apiVersion: v1, kind: Service, namespace: shop, name: web}
        clients: 2
        field: "metadata.labels['owner']"
        values: [alice, bob]
        writes: 3
        interval: {uniform: [10ms, 20ms]}
        retryOnConflict: false
    - {at: 10m, killContainer: {pod: shop/batch-0}}
    - {at: 10m, oomContainer: {pod: {selector: app=batch, namespace: shop}, container: main}}
    - {at: 11m, cordonNode: {node: big-0}}
    - {at: 12m, drainNode: {node: big-0}}
    - {at: 13m, addNodes: {pool: worker, count: 2}}
    - {at: 14m, crashNode: {node: worker-4}}
    - {at: 15m, removeNodes: {pool: worker, count: 2}}
    - {at: 16m, removeNodes: {nodes: [big-0]}}
    - {at: 17m, skewClock: {node: worker-0, offset: -30s}}
    - {at: 17m, skewClock: {component: controller-manager, driftPpm: 500}}
  expectations:
    - name: batch pods run
      at: 15m
      pods: {namespace: shop, selector: app=batch, phase: Running, ready: true, terminating: false, onNode: worker-0, countMin: 1}
    - name: few pods elsewhere
      by: 20m
      pods: {selector: app=batch, notOnNode: worker-1, countMax: 3}
    - name: worker-2 goes unknown
      always: true
      from: 2m
      until: 5m
      nodes: {names: [worker-2], condition: {type: Ready, status: Unknown}}
    - name: no tainted workers at the end
      eventually: true
      nodes:
        selector: tier=general
        taint: {key: node.kubernetes.io/unreachable, effect: NoExecute}
        unschedulable: false
        count: 0
    - name: owner label settled
      eventually: true
      object: {apiVersion: v1, kind: Service, namespace: shop, name: web, path: "metadata.labels['owner']", exists: true}
    - name: web has port 80
      at: 1h
      object: {apiVersion: v1, kind: Service, namespace: shop, name: web, path: "spec.ports[0]", equals: {port: 80}}
`;

/** The manifest file `web.yaml` it names: two objects and an empty document. */
const webYaml = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: "nginx:1.27"}]}
---
# an empty document is skipped
---
apiVersion: v1
kind: Pod
metadata: {name: solo, namespace: shop}
spec: {containers: [{name: app, image: "nginx:1.27"}]}
`;

const expected: Scenario = {
  apiVersion: 'miniku.dev/v1alpha1',
  kind: 'Scenario',
  metadata: { name: 'everything', description: 'Every field of the format once.' },
  spec: {
    seed: 'chaos-1',
    startTimeMs: 1_772_362_800_000,
    durationMs: 3_600_000,
    controlPlane: {
      apiServer: { defaultNotReadyTolerationSeconds: 30, defaultUnreachableTolerationSeconds: 40 },
      controllerManager: {
        kubeAPIQPS: 0,
        kubeAPIBurst: 1,
        nodeMonitorPeriodMs: 2000,
        nodeMonitorGracePeriodMs: 20_000,
        nodeStartupGracePeriodMs: 30_000,
        nodeEvictionRate: 0.5,
        secondaryNodeEvictionRate: 0.05,
        largeClusterSizeThreshold: 10,
        unhealthyZoneThreshold: 0.6,
        terminatedPodGCThreshold: 100,
      },
      scheduler: { kubeAPIQPS: 100.5, kubeAPIBurst: 200 },
      kubelet: {
        kubeAPIQPS: 10,
        kubeAPIBurst: 20,
        eventRecordQPS: 5,
        eventBurst: 10,
        nodeStatusUpdateFrequencyMs: 4000,
        nodeStatusReportFrequencyMs: 60_000,
        nodeLeaseDurationSeconds: 20,
        syncFrequencyMs: 30_000,
      },
    },
    scheduler: {
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      podMaxBackoffSeconds: 20,
      profiles: [
        {
          schedulerName: 'default-scheduler',
          plugins: {
            score: {
              enabled: [{ name: 'NodeResourcesBalancedAllocation', weight: 5 }],
              disabled: [{ name: 'ImageLocality' }],
            },
          },
          pluginConfig: [
            { name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated' } } },
          ],
        },
      ],
    },
    network: { latency: { kind: 'normal', meanMs: 2, stddevMs: 1 } },
    nodePools: [
      {
        name: 'worker',
        count: 3,
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        labels: { tier: 'general' },
        zones: ['zone-a', 'zone-b'],
        taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      },
      { name: 'big', count: 1, capacity: { cpu: '16', memory: '64Gi' }, labels: {}, taints: [] },
    ],
    bootstrap: false,
    runtime: {
      imagePull: { kind: 'constant', valueMs: 1000 },
      containerStart: { kind: 'exponential', meanMs: 200 },
      images: {
        'busybox:1.36': {
          pull: { kind: 'uniform', minMs: 1000, maxMs: 2000 },
          failPull: false,
          sizeBytes: 4_194_304,
          exitAfter: { kind: 'constant', valueMs: 30_000 },
          exitCode: 1,
          memoryBytes: 1_073_741_824,
          memoryAfterMs: 5000,
          terminationDelayMs: 2000,
          ignoreSigterm: true,
          sigtermExitCode: 0,
          logLines: ['hello'],
          exec: { exitCode: 3, stdout: 'out', stderr: '', durationMs: 0 },
          listen: [
            {
              port: 8080,
              fromMs: 1000,
              untilMs: 60_000,
              http: [{ path: '/healthz', statusCode: 200, body: 'ok', fromMs: 2000, delayMs: 10 }],
            },
          ],
        },
      },
    },
    workloads: [
      {
        kind: 'apply',
        atMs: 0,
        objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
      },
      {
        kind: 'apply',
        atMs: 1000,
        objects: [
          {
            apiVersion: 'scheduling.k8s.io/v1',
            kind: 'PriorityClass',
            metadata: { name: 'high' },
            value: 1000,
          },
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'web', namespace: 'shop' },
            spec: { ports: [{ port: 80 }] },
          },
        ],
      },
      {
        kind: 'apply',
        atMs: 2000,
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: { name: 'web', namespace: 'shop' },
            spec: {
              replicas: 2,
              selector: { matchLabels: { app: 'web' } },
              template: {
                metadata: { labels: { app: 'web' } },
                spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
              },
            },
          },
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'solo', namespace: 'shop' },
            spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
          },
        ],
        file: 'web.yaml',
      },
      {
        kind: 'poisson',
        atMs: 600_000,
        untilMs: 1_200_000,
        ratePerSecond: 0.5,
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { namespace: 'shop', labels: { app: 'batch' } },
          spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
        },
        namePrefix: 'batch-',
        countMax: 50,
      },
    ],
    faults: [
      { atMs: 60_000, action: { kind: 'crashNode', node: 'worker-2', restartAfterMs: 300_000 } },
      { atMs: 120_000, action: { kind: 'restartKubelet', node: 'worker-0' } },
      { atMs: 180_000, action: { kind: 'stopHeartbeats', node: 'worker-1', forMs: 60_000 } },
      {
        atMs: 240_000,
        action: {
          kind: 'partition',
          from: ['node/worker-0', 'scheduler'],
          to: ['apiserver'],
          oneWay: true,
          forMs: 30_000,
        },
      },
      { atMs: 300_000, action: { kind: 'heal' } },
      { atMs: 300_000, action: { kind: 'heal', from: ['client/kubectl'], to: ['apiserver'] } },
      {
        atMs: 360_000,
        action: {
          kind: 'delayLinks',
          from: ['controller-manager'],
          to: ['apiserver'],
          latency: { kind: 'constant', valueMs: 100 },
          oneWay: false,
        },
      },
      {
        atMs: 420_000,
        action: {
          kind: 'dropMessages',
          from: ['node/big-0'],
          to: ['apiserver'],
          rate: 0.25,
          oneWay: false,
          forMs: 10_000,
        },
      },
      { atMs: 480_000, action: { kind: 'restartApiServer', downForMs: 0 } },
      {
        atMs: 480_000,
        action: { kind: 'restartComponent', component: 'scheduler', downForMs: 5000 },
      },
      {
        atMs: 540_000,
        action: {
          kind: 'conflictingWrites',
          object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' },
          clients: 2,
          field: "metadata.labels['owner']",
          values: ['alice', 'bob'],
          writes: 3,
          interval: { kind: 'uniform', minMs: 10, maxMs: 20 },
          retryOnConflict: false,
          fieldPath: ['metadata', 'labels', 'owner'],
        },
      },
      {
        atMs: 600_000,
        action: { kind: 'killContainer', pod: { namespace: 'shop', name: 'batch-0' } },
      },
      {
        atMs: 600_000,
        action: {
          kind: 'oomContainer',
          pod: { selector: 'app=batch', namespace: 'shop' },
          container: 'main',
        },
      },
      { atMs: 660_000, action: { kind: 'cordonNode', node: 'big-0' } },
      { atMs: 720_000, action: { kind: 'drainNode', node: 'big-0' } },
      { atMs: 780_000, action: { kind: 'addNodes', pool: 'worker', count: 2 } },
      { atMs: 840_000, action: { kind: 'crashNode', node: 'worker-4' } },
      {
        atMs: 900_000,
        action: { kind: 'removeNodes', nodes: ['worker-4', 'worker-3'], pool: 'worker', count: 2 },
      },
      { atMs: 960_000, action: { kind: 'removeNodes', nodes: ['big-0'] } },
      {
        atMs: 1_020_000,
        action: {
          kind: 'skewClock',
          offsetMs: -30_000,
          target: { kind: 'node', node: 'worker-0' },
        },
      },
      {
        atMs: 1_020_000,
        action: {
          kind: 'skewClock',
          driftPpm: 500,
          target: { kind: 'component', component: 'controller-manager' },
        },
      },
    ],
    expectations: [
      {
        name: 'batch pods run',
        timing: { kind: 'at', atMs: 900_000 },
        subject: {
          kind: 'pods',
          namespace: 'shop',
          selector: 'app=batch',
          phase: 'Running',
          ready: true,
          terminating: false,
          onNode: 'worker-0',
          countMin: 1,
        },
      },
      {
        name: 'few pods elsewhere',
        timing: { kind: 'by', byMs: 1_200_000 },
        subject: {
          kind: 'pods',
          selector: 'app=batch',
          notOnNode: 'worker-1',
          countMax: 3,
          countMin: 0,
        },
      },
      {
        name: 'worker-2 goes unknown',
        timing: { kind: 'always', always: true, fromMs: 120_000, untilMs: 300_000 },
        subject: {
          kind: 'nodes',
          names: ['worker-2'],
          condition: { type: 'Ready', status: 'Unknown' },
          countMin: 1,
        },
      },
      {
        name: 'no tainted workers at the end',
        timing: { kind: 'eventually', eventually: true },
        subject: {
          kind: 'nodes',
          selector: 'tier=general',
          taint: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          unschedulable: false,
          countMin: 0,
          countMax: 0,
        },
      },
      {
        name: 'owner label settled',
        timing: { kind: 'eventually', eventually: true },
        subject: {
          kind: 'object',
          ref: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' },
          path: "metadata.labels['owner']",
          pathSegments: ['metadata', 'labels', 'owner'],
          check: { kind: 'exists', exists: true },
        },
      },
      {
        name: 'web has port 80',
        timing: { kind: 'at', atMs: 3_600_000 },
        subject: {
          kind: 'object',
          ref: { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'shop' },
          path: 'spec.ports[0]',
          pathSegments: ['spec', 'ports', 0],
          check: { kind: 'equals', equals: { port: 80 } },
        },
      },
    ],
  },
};

describe('parseScenario', () => {
  it('turns a scenario with every field into the typed model', () => {
    const loaded: string[] = [];
    const result = parseScenario(fullScenario, {
      fileName: 'tests/full.yaml',
      loadFile: (path) => {
        loaded.push(path);
        return path === 'tests/web.yaml' ? webYaml : undefined;
      },
    });
    expect(result.ok ? [] : result.errors.map(formatScenarioError)).toEqual([]);
    expect(result.ok && result.scenario).toEqual(expected);
    expect(loaded).toEqual(['tests/web.yaml']);
  });

  it('returns a deep-frozen model', () => {
    const result = parseScenario(fullScenario, { fileName: 'full.yaml', loadFile: () => webYaml });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.isFrozen(result.scenario.spec.faults[0]?.action)).toBe(true);
  });

  it('fills every default of a minimal scenario', () => {
    const text = [
      'apiVersion: miniku.dev/v1alpha1',
      'kind: Scenario',
      'metadata: {name: minimal}',
      'spec: {seed: 0, startTime: "2026-01-01T00:00:00Z", duration: 90s}',
    ].join('\n');
    const result = parseScenario(text, { fileName: 'minimal.yaml' });
    expect(result.ok && result.scenario.spec).toEqual({
      seed: 0,
      startTimeMs: 1_767_225_600_000,
      durationMs: 90_000,
      controlPlane: { apiServer: {}, controllerManager: {}, scheduler: {}, kubelet: {} },
      network: { latency: { kind: 'constant', valueMs: 0 } },
      nodePools: [],
      bootstrap: true,
      runtime: {
        imagePull: { kind: 'constant', valueMs: 2000 },
        containerStart: { kind: 'constant', valueMs: 500 },
        images: {},
      },
      workloads: [],
      faults: [],
      expectations: [],
    });
  });
});
