// Declarations of spec.controlPlane (timing and rate knobs under upstream's names) and
// spec.scheduler (a KubeSchedulerConfiguration document).
import { defaultTolerationSecondsDefault } from '../../control/apiserver/admission/default-toleration-seconds.js';
import { upstreamClientRateLimits } from '../../control/controllers/client-defaults.js';
import type { ClientComponent } from '../../control/controllers/client-defaults.js';
import { nodeLifecycleDefaults as nl } from '../../control/controllers/node-lifecycle/node-lifecycle-options.js';
import { formatGoDurationMs } from '../../control/kubelet/go-duration.js';
import {
  extensionPoints,
  resolveSchedulerConfig,
  schedulerConfigApiVersion,
} from '../../control/scheduler/config.js';
import type { SchedulerConfigInput } from '../../control/scheduler/config.js';
import { inTreeRegistry } from '../../control/scheduler/framework/registry.js';
import { parseFieldPath } from './format-common.js';
import {
  duration,
  field,
  int,
  invalid,
  json,
  list,
  num,
  object,
  oneOfStrings,
  str,
} from './schema-dsl.js';
import type { BuildContext, Fields } from './schema-dsl.js';

const go = formatGoDurationMs;

function clientFields(component: ClientComponent, flags: string): Fields {
  const limits = upstreamClientRateLimits[component];
  return {
    kubeAPIQPS: field(num({ min: 0 }), `Client requests per second (${flags}); 0: unlimited.`, {
      defaultDoc: String(limits.qps),
    }),
    kubeAPIBurst: field(int({ min: 1 }), 'Client burst: requests allowed at once above the rate.', {
      defaultDoc: String(limits.burst),
    }),
  };
}

const apiServer = object({
  name: 'ApiServerSettings',
  doc: 'kube-apiserver flags that change timing.',
  fields: {
    defaultNotReadyTolerationSeconds: field(
      int({ min: 0 }),
      'tolerationSeconds that DefaultTolerationSeconds admission gives every pod for the ' +
        '`node.kubernetes.io/not-ready:NoExecute` taint (--default-not-ready-toleration-seconds).',
      { defaultDoc: String(defaultTolerationSecondsDefault) },
    ),
    defaultUnreachableTolerationSeconds: field(
      int({ min: 0 }),
      'The same for `node.kubernetes.io/unreachable:NoExecute` ' +
        '(--default-unreachable-toleration-seconds): how long pods stay on a lost node.',
      { defaultDoc: String(defaultTolerationSecondsDefault) },
    ),
  },
});

const controllerManager = object({
  name: 'ControllerManagerSettings',
  doc: 'kube-controller-manager settings (KubeControllerManagerConfiguration names).',
  fields: {
    ...clientFields(
      'kube-controller-manager',
      '--kube-api-qps; each controller has its own client',
    ),
    nodeMonitorPeriod: field(
      duration({ positive: true }),
      'How often the node lifecycle controller checks node health.',
      {
        defaultDoc: go(nl.nodeMonitorPeriodMs),
      },
    ),
    nodeMonitorGracePeriod: field(
      duration({ positive: true }),
      'Time without a heartbeat (Lease renewal or status update) before a node becomes ' +
        'Ready=Unknown.',
      { defaultDoc: go(nl.nodeMonitorGracePeriodMs) },
    ),
    nodeStartupGracePeriod: field(
      duration({ positive: true }),
      'The same for a node that never posted Ready.',
      { defaultDoc: go(nl.nodeStartupGracePeriodMs) },
    ),
    nodeEvictionRate: field(
      num({ min: 0 }),
      'Nodes per second and zone that get the NoExecute taint.',
      {
        defaultDoc: String(nl.evictionLimiterQps),
      },
    ),
    secondaryNodeEvictionRate: field(
      num({ min: 0 }),
      'The rate in a partially disrupted zone larger than largeClusterSizeThreshold.',
      { defaultDoc: String(nl.secondaryEvictionLimiterQps) },
    ),
    largeClusterSizeThreshold: field(
      int({ min: 0 }),
      'A partially disrupted zone of at most this many nodes stops NoExecute tainting.',
      { defaultDoc: String(nl.largeClusterSizeThreshold) },
    ),
    unhealthyZoneThreshold: field(
      num({ above: 0, max: 1 }),
      'Fraction of not-Ready nodes (with more than 2 of them) that makes a zone partially ' +
        'disrupted.',
      { defaultDoc: String(nl.unhealthyZoneThreshold) },
    ),
    terminatedPodGCThreshold: field(
      int(),
      'Terminated pods kept before PodGC deletes the oldest; 0 or less disables it.',
      { defaultDoc: '12500' },
    ),
  },
  hints: {
    podEvictionTimeout:
      'not used with taint-based eviction; set apiServer.defaultUnreachableTolerationSeconds',
  },
});

const scheduler = object({
  name: 'SchedulerSettings',
  doc: 'kube-scheduler settings outside KubeSchedulerConfiguration (see spec.scheduler).',
  fields: clientFields('kube-scheduler', 'clientConnection.qps'),
});

const kubelet = object({
  name: 'KubeletSettings',
  doc: 'KubeletConfiguration fields, applied to every node.',
  fields: {
    ...clientFields('kubelet', 'kubeAPIQPS'),
    eventRecordQPS: field(
      num({ min: 0 }),
      "Event writes per second (the kubelet's event client); 0: unlimited.",
      {
        defaultDoc: String(upstreamClientRateLimits['kubelet-events'].qps),
      },
    ),
    eventBurst: field(int({ min: 1 }), 'Event write burst.', {
      defaultDoc: String(upstreamClientRateLimits['kubelet-events'].burst),
    }),
    nodeStatusUpdateFrequency: field(
      duration({ positive: true }),
      'How often the kubelet computes node status.',
      {
        defaultDoc: '10s',
      },
    ),
    nodeStatusReportFrequency: field(
      duration({ positive: true }),
      'Posts an unchanged node status at least this often.',
      { defaultDoc: '5m, or nodeStatusUpdateFrequency when only that is set' },
    ),
    nodeLeaseDurationSeconds: field(
      int({ min: 1 }),
      'Lease duration; the kubelet renews its Lease every quarter of it.',
      { defaultDoc: '40' },
    ),
    syncFrequency: field(duration({ positive: true }), 'Every pod is synced at least this often.', {
      defaultDoc: '1m',
    }),
  },
});

export const controlPlane = object({
  name: 'ControlPlane',
  doc:
    'Timing knobs of the control-plane components, under upstream names. A knob left out ' +
    'keeps the upstream v1.32 default shown.',
  fields: {
    apiServer: field(apiServer, 'kube-apiserver.', { default: {} }),
    controllerManager: field(controllerManager, 'kube-controller-manager.', { default: {} }),
    scheduler: field(scheduler, 'kube-scheduler client.', { default: {} }),
    kubelet: field(kubelet, 'Every kubelet.', { default: {} }),
  },
});

const pluginRef = object({
  name: 'SchedulerPlugin',
  doc: 'A plugin enabled at an extension point.',
  fields: {
    name: field(str({ minLength: 1 }), 'Plugin name, e.g. `NodeResourcesFit`.', { required: true }),
    weight: field(int({ min: 0, max: 100 }), 'Score weight (score point only); 0 means 1.'),
  },
});

const pluginSet = object({
  name: 'SchedulerPluginSet',
  doc: 'Plugins enabled and disabled at one extension point.',
  fields: {
    enabled: field(list(pluginRef), 'Plugins added, or replacing a default of the same name.'),
    disabled: field(
      list(
        object({
          name: 'DisabledSchedulerPlugin',
          doc: 'A plugin disabled at an extension point.',
          fields: {
            name: field(str({ minLength: 1 }), 'Plugin name, or `*` for every default plugin.', {
              required: true,
            }),
          },
        }),
      ),
      'Default plugins turned off.',
    ),
  },
});

const plugins = object({
  name: 'SchedulerPlugins',
  doc: 'Plugin sets per extension point.',
  fields: Object.fromEntries(
    ['multiPoint', ...extensionPoints].map((point) => [
      point,
      field(pluginSet, `The ${point} point.`),
    ]),
  ),
  hints: {
    permit: 'miniku has no permit plugins',
    preBind: 'miniku has no preBind plugins',
    postBind: 'miniku has no postBind plugins',
    preEnqueue: 'miniku has no preEnqueue plugins',
  },
});

const profile = object({
  name: 'SchedulerProfile',
  doc: 'One scheduling profile.',
  fields: {
    schedulerName: field(str(), 'Pods with this spec.schedulerName use the profile.', {
      defaultDoc: 'default-scheduler',
    }),
    plugins: field(plugins, 'Changes to the default plugins.'),
    pluginConfig: field(
      list(
        object({
          name: 'SchedulerPluginConfig',
          doc: 'Arguments of one plugin.',
          fields: {
            name: field(str({ minLength: 1 }), 'Plugin name.', { required: true }),
            args: field(json('object'), "The plugin's args object, as upstream."),
          },
        }),
      ),
      'Plugin arguments.',
    ),
    percentageOfNodesToScore: field(
      int({ min: 0, max: 100 }),
      'Overrides the global value; 0: unset.',
    ),
  },
});

export const schedulerConfiguration = object({
  name: 'KubeSchedulerConfiguration',
  doc:
    'A `kubescheduler.config.k8s.io/v1` KubeSchedulerConfiguration, checked as kube-scheduler ' +
    'checks it (plugin names must exist in miniku). Left out: the default profile.',
  fields: {
    apiVersion: field(
      oneOfStrings([schedulerConfigApiVersion]),
      'Optional; must be this when set.',
    ),
    kind: field(oneOfStrings(['KubeSchedulerConfiguration']), 'Optional; must be this when set.'),
    percentageOfNodesToScore: field(
      int({ min: 0, max: 100 }),
      'Share of feasible nodes to score; 0: adaptive (50 − nodes/125, at least 5).',
    ),
    podInitialBackoffSeconds: field(int({ min: 1 }), 'First back-off of an unschedulable pod.', {
      defaultDoc: '1',
    }),
    podMaxBackoffSeconds: field(int({ min: 1 }), 'Longest back-off.', { defaultDoc: '10' }),
    profiles: field(list(profile), 'Scheduling profiles.', { defaultDoc: 'one default profile' }),
  },
  hints: {
    clientConnection: 'set spec.controlPlane.scheduler.kubeAPIQPS and kubeAPIBurst instead',
  },
  build: checkSchedulerConfiguration,
});

/** Runs kube-scheduler's own checks; each `path: message` it returns is reported at its field. */
function checkSchedulerConfiguration(value: SchedulerConfigInput, context: BuildContext): unknown {
  const registry = inTreeRegistry();
  const result = resolveSchedulerConfig(value, { isKnownPlugin: (name) => registry.has(name) });
  if (result.ok) return value;
  for (const error of result.errors) {
    const split = error.indexOf(': ');
    const parsed = split < 0 ? undefined : parseFieldPath(error.slice(0, split));
    if (parsed?.ok === true) context.error(parsed.path, error.slice(split + 2));
    else context.error([], error);
  }
  return invalid;
}
