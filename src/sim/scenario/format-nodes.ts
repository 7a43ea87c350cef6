// Declarations of spec.nodePools (machines named `<pool>-<index>`) and spec.runtime (the
// simulated container runtime's timings and per-image scripts).
import { quote } from './scenario-errors.js';
import type { NodePool } from './scenario-model.js';
import {
  byteQuantity,
  dnsLabelPattern,
  durationOrDistribution,
  labelKey,
  labelMap,
  labelValue,
  quantity,
} from './format-common.js';
import { validateDns1123Label } from '../../control/api/values/names.js';
import {
  bool,
  duration,
  field,
  int,
  invalid,
  list,
  map,
  object,
  oneOfStrings,
  str,
} from './schema-dsl.js';
import type { BuildContext } from './schema-dsl.js';

export const zoneLabel = 'topology.kubernetes.io/zone';
/** Most nodes one pool may start with or grow to. */
export const poolNodeCountMax = 5_000;
/** Pool names leave room for `-<index>` in a 63-character hostname label. */
export const poolNameLengthMax = 56;

/** The name of node `index` of pool `pool`: `worker-0`. */
export function poolNodeName(pool: string, index: number): string {
  return `${pool}-${index}`;
}

/** The labels node `index` of `pool` registers with: the pool's labels plus its zone, if any. */
export function poolNodeLabels(pool: NodePool, index: number): Record<string, string> {
  const zones = pool.zones ?? [];
  const zone = zones[index % Math.max(zones.length, 1)];
  return zone === undefined ? { ...pool.labels } : { ...pool.labels, [zoneLabel]: zone };
}

export const taint = object({
  name: 'Taint',
  doc: 'A taint the node registers with (--register-with-taints).',
  fields: {
    key: field(labelKey, 'Taint key.', { required: true }),
    value: field(labelValue, 'Taint value.'),
    effect: field(oneOfStrings(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), 'Effect.', {
      required: true,
    }),
  },
});

function checkPool(pool: NodePool, context: BuildContext): unknown {
  if (pool.zones !== undefined && Object.hasOwn(pool.labels, zoneLabel)) {
    context.error(['labels', { entry: zoneLabel }], 'set by zones; leave this label out');
    return invalid;
  }
  const zones = pool.zones ?? [];
  const repeated = zones.findIndex((zone, i) => zones.indexOf(zone) !== i);
  if (repeated >= 0) {
    context.error(['zones', repeated], `duplicate zone ${quote(zones[repeated])}`);
    return invalid;
  }
  return pool;
}

export const nodePool = object({
  name: 'NodePool',
  doc:
    'A group of identical nodes named `<name>-<index>`, index from 0 (pool `worker` with ' +
    'count 3: `worker-0`, `worker-1`, `worker-2`). Nodes added later by `addNodes` continue ' +
    'the numbering.',
  fields: {
    name: field(
      str({
        label: 'a pool name such as "worker"',
        pattern: dnsLabelPattern,
        maxLength: poolNameLengthMax,
        check: (v) => validateDns1123Label(v)[0],
      }),
      "Pool name: a lowercase DNS label, the prefix of its nodes' names.",
      { required: true },
    ),
    count: field(int({ min: 0, max: poolNodeCountMax }), 'Nodes at the start.', { required: true }),
    capacity: field(
      map('resource name', labelKey, quantity),
      'status.capacity of each node, e.g. `{cpu: 4, memory: 16Gi, pods: 110}`; pods defaults ' +
        'to 110. Allocatable equals capacity.',
      { required: true },
    ),
    labels: field(labelMap, 'Extra node labels (hostname, os and arch labels are automatic).', {
      default: {},
    }),
    zones: field(
      list(labelValue, { minItems: 1 }),
      `Zones to spread the pool over: node i gets \`${zoneLabel}\` = zones[i mod len].`,
    ),
    taints: field(list(taint), 'Taints to register with.', { default: [] }),
  },
  build: checkPool,
  example: [
    'nodePools:',
    '  - name: worker',
    '    count: 3',
    '    capacity: {cpu: 4, memory: 16Gi, pods: 110}',
    '    zones: [zone-a, zone-b]',
  ].join('\n'),
});

const httpRoute = object({
  name: 'HttpRoute',
  doc: 'One HTTP answer of a listener.',
  fields: {
    path: field(
      str({ check: (v) => (v.startsWith('/') ? undefined : 'must start with "/"') }),
      'Path, matched exactly.',
      {
        required: true,
      },
    ),
    statusCode: field(int({ min: 100, max: 599 }), 'HTTP status.', { required: true }),
    body: field(str(), 'Response body.'),
    from: field(duration(), 'Answers from this long after the container started.'),
    delay: field(duration(), 'Time to the response (a probe with a shorter timeout times out).'),
  },
});

const listener = object({
  name: 'Listener',
  doc: 'A TCP port the process listens on.',
  fields: {
    port: field(int({ min: 1, max: 65535 }), 'Port.', { required: true }),
    from: field(duration(), 'Starts listening this long after start.'),
    until: field(duration(), 'Stops listening this long after start (absent: until exit).'),
    http: field(list(httpRoute), 'HTTP answers; an unknown path answers 404.'),
  },
});

const execResult = object({
  name: 'ExecResult',
  doc: 'What exec (and exec probes) return.',
  fields: {
    exitCode: field(int({ min: 0, max: 255 }), 'Exit code.', { default: 0 }),
    stdout: field(str(), 'Standard output.', { default: '' }),
    stderr: field(str(), 'Standard error.', { default: '' }),
    duration: field(duration(), 'Run time.', { default: '0s' }),
  },
});

const imageScript = object({
  name: 'ImageScript',
  doc: 'How containers of one image behave. Every field is optional.',
  fields: {
    pull: field(durationOrDistribution, 'Pull time.', { defaultDoc: 'runtime.imagePull' }),
    failPull: field(bool(), 'Every pull fails with ErrImagePull (after the pull time).', {
      default: false,
    }),
    size: field(byteQuantity, 'Image size, e.g. `200Mi`.', {
      model: 'sizeBytes',
      defaultDoc: '50M',
    }),
    exitAfter: field(durationOrDistribution, 'The process exits by itself this long after start.', {
      defaultDoc: 'runs until stopped',
    }),
    exitCode: field(int({ min: 0, max: 255 }), 'Exit code of that exit.', { defaultDoc: '0' }),
    memory: field(
      byteQuantity,
      'Memory the process grows to; above the memory limit it is OOM-killed.',
      {
        model: 'memoryBytes',
        defaultDoc: '0',
      },
    ),
    memoryAfter: field(duration(), 'When it reaches `memory`, after start.', { defaultDoc: '0s' }),
    terminationDelay: field(duration(), 'Time from SIGTERM to exit.', { defaultDoc: '0s' }),
    ignoreSigterm: field(bool(), 'Never exits on SIGTERM (killed at the grace period).', {
      default: false,
    }),
    sigtermExitCode: field(int({ min: 0, max: 255 }), 'Exit code on SIGTERM.', {
      defaultDoc: '143',
    }),
    logLines: field(list(str()), 'Log lines written at start.'),
    exec: field(execResult, 'What exec returns.', { defaultDoc: 'exit code 0, no output' }),
    listen: field(list(listener), 'Ports the process listens on.'),
  },
});

export const runtime = object({
  name: 'Runtime',
  doc: 'The simulated container runtime of every node.',
  fields: {
    imagePull: field(durationOrDistribution, 'Pull time of images without their own `pull`.', {
      default: '2s',
    }),
    containerStart: field(durationOrDistribution, 'Time from container start to running.', {
      default: '500ms',
    }),
    images: field(
      map('image reference', str({ minLength: 1 }), imageScript),
      'Scripts by image reference (e.g. `nginx:1.27`); other images run until stopped.',
      { default: {} },
    ),
  },
  example: [
    'runtime:',
    '  imagePull: {uniform: [1s, 3s]}',
    '  images:',
    '    busybox:1.36: {exitAfter: 30s, exitCode: 1}',
    '    memory-hog:1: {memory: 2Gi, memoryAfter: 10s}',
  ].join('\n'),
});
