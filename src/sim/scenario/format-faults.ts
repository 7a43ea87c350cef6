// Declarations of spec.faults: at an instant, one fault verb acting on nodes, links between
// endpoints, components, objects or containers. Examples assume pool `worker` with 3 nodes.
import { parseFieldPath } from './format-common.js';
import {
  dnsLabel,
  durationOrDistribution,
  endpointList,
  fieldPathText,
  nodeName,
  objectRef,
  podTarget,
} from './format-common.js';
import { poolNodeCountMax } from './format-nodes.js';
import {
  bool,
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
import type { BuildContext, Fields, GroupOption, ObjectType } from './schema-dsl.js';

/** Most writers of one conflictingWrites fault, and most writes each. */
export const conflictWriterCountMax = 100;
export const conflictWriteCountMax = 10_000;
export const clockDriftPpmMax = 100_000;

const node = field(nodeName, 'Node name, `<pool>-<index>`.', { required: true });
const forField = field(duration({ positive: true }), 'How long it lasts.', {
  defaultDoc: 'until a heal or the end',
});

function linkFields(extra: Fields): Fields {
  return {
    from: field(endpointList, 'Endpoints on one side.', { required: true }),
    to: field(endpointList, 'Endpoints on the other side.', { required: true }),
    ...extra,
    oneWay: field(bool(), 'Only messages from `from` to `to`; otherwise both ways.', {
      default: false,
    }),
    for: forField,
  };
}

/** The first sentence of a doc string, for the Fault table. */
function summary(doc: string): string {
  const end = doc.search(/[.:;] /);
  return end < 0 ? doc : `${doc.slice(0, end)}.`;
}

function verb(
  name: string,
  doc: string,
  fields: Fields,
  example: string,
  build?: ObjectType['build'],
): GroupOption {
  const type = object({ name, doc, fields, example, ...(build === undefined ? {} : { build }) });
  return { type, doc: summary(doc), example };
}

function checkLinks(value: { from: string[]; to: string[] }, context: BuildContext): unknown {
  const shared = value.from.filter((endpoint) => value.to.includes(endpoint));
  if (shared.length > 0) {
    context.error(['to'], `${JSON.stringify(shared[0])} is on both sides`);
    return invalid;
  }
  return value;
}

function checkHeal(value: { from?: string[]; to?: string[] }, context: BuildContext): unknown {
  if ((value.from === undefined) !== (value.to === undefined)) {
    context.error([value.from === undefined ? 'from' : 'to'], 'set both from and to, or neither');
    return invalid;
  }
  return value;
}

function buildConflictingWrites(value: { field: string }, _context: BuildContext): unknown {
  const parsed = parseFieldPath(value.field);
  return parsed.ok ? { ...value, fieldPath: parsed.path } : invalid;
}

function buildRemoveNodes(value: {
  selection: { kind: string; nodes?: string[]; pool?: string; count?: number };
}) {
  const { selection } = value;
  if (selection.kind === 'nodes') return { nodes: selection.nodes ?? [] };
  return { nodes: [], pool: selection.pool, count: selection.count };
}

function buildSkewClock(
  value: { target: unknown; offsetMs?: number; driftPpm?: number },
  context: BuildContext,
): unknown {
  if (value.offsetMs === undefined && value.driftPpm === undefined) {
    context.error([], 'set offset, driftPpm or both');
    return invalid;
  }
  return value;
}

const containerVerbFields: Fields = {
  pod: field(podTarget, 'The pod: `name`, `namespace/name`, or `{selector, namespace?}`.', {
    required: true,
  }),
  container: field(dnsLabel('a container name'), 'Container name.', {
    defaultDoc: 'the first container',
  }),
};

const verbs: Record<string, GroupOption> = {
  crashNode: verb(
    'CrashNode',
    'The machine loses power: its kubelet and runtime stop at once and every container is gone ' +
      'without reporting an exit. With `restartAfter` it boots again: a new kubelet starts on ' +
      'an empty runtime (pulled images kept).',
    {
      node,
      restartAfter: field(duration({ positive: true }), 'Boots again after this long.', {
        defaultDoc: 'stays down',
      }),
    },
    '- {at: 2m, crashNode: {node: worker-2, restartAfter: 10m}}',
  ),
  restartKubelet: verb(
    'RestartKubelet',
    'The kubelet process restarts; containers keep running and the new kubelet adopts them.',
    { node },
    '- {at: 2m, restartKubelet: {node: worker-0}}',
  ),
  stopHeartbeats: verb(
    'StopHeartbeats',
    "Drops the node's Lease renewals and node status updates (the link `node/<name>` → " +
      '`apiserver` for those requests); the kubelet keeps running its pods.',
    { node, for: forField },
    '- {at: 1m, stopHeartbeats: {node: worker-1, for: 2m}}',
  ),
  partition: verb(
    'Partition',
    'Drops every message between the endpoints of `from` and those of `to`.',
    linkFields({}),
    '- {at: 3m, partition: {from: [node/worker-0], to: [apiserver], for: 90s}}',
    checkLinks,
  ),
  heal: verb(
    'Heal',
    'Ends partitions, delays, drops and heartbeat stops on links between `from` and `to`; ' +
      'without them, every one.',
    {
      from: field(endpointList, 'Endpoints on one side.', { defaultDoc: 'every endpoint' }),
      to: field(endpointList, 'Endpoints on the other side.', { defaultDoc: 'every endpoint' }),
    },
    '- {at: 5m, heal: {}}',
    checkHeal,
  ),
  delayLinks: verb(
    'DelayLinks',
    'Adds latency to every message between `from` and `to` (each message draws its own).',
    linkFields({
      latency: field(durationOrDistribution, 'Extra latency per message.', { required: true }),
    }),
    [
      '- at: 1m',
      '  delayLinks: {from: [scheduler], to: [apiserver], latency: {exponential: 200ms}, for: 5m}',
    ].join('\n'),
    checkLinks,
  ),
  dropMessages: verb(
    'DropMessages',
    'Drops each message between `from` and `to` with probability `rate`.',
    linkFields({
      rate: field(num({ min: 0, max: 1 }), 'Probability, 0 to 1.', { required: true }),
    }),
    '- {at: 1m, dropMessages: {from: [node/worker-1], to: [apiserver], rate: 0.3, for: 2m}}',
    checkLinks,
  ),
  restartApiServer: verb(
    'RestartApiServer',
    'The API server restarts: watches and requests in flight fail; stored objects survive.',
    { downFor: field(duration(), 'Unreachable for this long.', { default: '0s' }) },
    '- {at: 4m, restartApiServer: {downFor: 10s}}',
  ),
  restartComponent: verb(
    'RestartComponent',
    'The component restarts with empty caches and relists.',
    {
      component: field(oneOfStrings(['scheduler', 'controller-manager']), 'Which one.', {
        required: true,
      }),
      downFor: field(duration(), 'Stopped for this long.', { default: '0s' }),
    },
    '- {at: 4m, restartComponent: {component: controller-manager}}',
  ),
  conflictingWrites: verb(
    'ConflictingWrites',
    '`clients` writers (`client/writer-0` …) each make `writes` read-modify-write updates of ' +
      '`field`; writer i writes `values[i mod len]`. Stale writes get 409 Conflict.',
    {
      object: field(objectRef, 'The object written.', { required: true }),
      clients: field(int({ min: 1, max: conflictWriterCountMax }), 'Number of writers.', {
        required: true,
      }),
      field: field(
        fieldPathText,
        "Field written, e.g. `spec.replicas` or `metadata.labels['x']`.",
        {
          required: true,
        },
      ),
      values: field(list(json('any'), { minItems: 1 }), 'Values the writers set.', {
        required: true,
      }),
      writes: field(int({ min: 1, max: conflictWriteCountMax }), 'Writes per writer.', {
        default: 1,
      }),
      interval: field(durationOrDistribution, "Pause between one writer's writes.", {
        default: '0s',
      }),
      retryOnConflict: field(bool(), 'Re-read and retry after a 409 (as retry.RetryOnConflict).', {
        default: true,
      }),
    },
    [
      '- at: 6m',
      '  conflictingWrites:',
      '    object: {apiVersion: apps/v1, kind: ReplicaSet, namespace: default, name: web}',
      '    clients: 3',
      '    field: spec.replicas',
      '    values: [2, 4, 6]',
      '    writes: 5',
    ].join('\n'),
    buildConflictingWrites,
  ),
  killContainer: verb(
    'KillContainer',
    "Kills the container's process (exit 137, reason Error); the kubelet restarts it per " +
      'restartPolicy.',
    containerVerbFields,
    '- {at: 2m, killContainer: {pod: {selector: app=web}}}',
  ),
  oomContainer: verb(
    'OomContainer',
    'The container is OOM-killed (exit 137, reason OOMKilled); the kubelet restarts it per ' +
      'restartPolicy.',
    containerVerbFields,
    '- {at: 2m, oomContainer: {pod: default/web-0, container: app}}',
  ),
  cordonNode: verb(
    'CordonNode',
    'Sets spec.unschedulable, as `kubectl cordon`.',
    { node },
    '- {at: 1m, cordonNode: {node: worker-0}}',
  ),
  drainNode: verb(
    'DrainNode',
    'Cordons the node and evicts its pods through the Eviction API, as `kubectl drain`.',
    { node },
    '- {at: 1m, drainNode: {node: worker-0}}',
  ),
  addNodes: verb(
    'AddNodes',
    'Adds nodes to a pool; they continue its numbering (`worker-3`, `worker-4`, …).',
    {
      pool: field(str({ minLength: 1 }), 'Pool name.', { required: true }),
      count: field(int({ min: 1, max: poolNodeCountMax }), 'How many.', { required: true }),
    },
    '- {at: 5m, addNodes: {pool: worker, count: 2}}',
  ),
  removeNodes: {
    type: object({
      name: 'RemoveNodes',
      doc:
        'Shuts machines down for good and deletes their Node objects: the named `nodes`, or ' +
        'the `count` highest-numbered nodes of `pool` present at that moment.',
      fields: {},
      groups: [
        {
          name: 'selection',
          label: 'node selection',
          required: true,
          options: {
            nodes: { type: list(nodeName, { minItems: 1 }), doc: 'Node names.' },
            pool: {
              type: str({ minLength: 1 }),
              doc: 'Pool name.',
              with: {
                count: field(int({ min: 1, max: poolNodeCountMax }), 'How many.', {
                  required: true,
                }),
              },
            },
          },
        },
      ],
      build: buildRemoveNodes,
      example: '- {at: 8m, removeNodes: {pool: worker, count: 1}}',
    }),
    doc: 'Removes nodes for good.',
    example: '- {at: 8m, removeNodes: {pool: worker, count: 1}}',
  },
  skewClock: {
    type: object({
      name: 'SkewClock',
      doc:
        'Changes one clock from now on: it jumps by `offset` and runs fast (positive ' +
        '`driftPpm`) or slow. A node clock is the one its kubelet and runtime read; a component ' +
        'clock is the one all its clients read; both are kept across restarts. Drift moves the ' +
        'clock once per second of virtual time, exactly (500 ppm: 1 ms every 2 s); a later ' +
        'skewClock of the same clock adds its offset and, when given, replaces the rate ' +
        '(`driftPpm: 0` stops it). Timers keep their engine times. The `apiserver` clock is ' +
        'the one the serving API server stamps objects with (kept across its restarts).',
      fields: {
        offset: field(duration({ signed: true }), 'Jump, may be negative (`-30s`).', {
          defaultDoc: 'no jump',
        }),
        driftPpm: field(
          int({ min: -clockDriftPpmMax, max: clockDriftPpmMax }),
          'Rate error in parts per million (1000 = 1 ms per second).',
          { defaultDoc: 'the rate so far (none at first)' },
        ),
      },
      groups: [
        {
          name: 'target',
          label: 'clock',
          required: true,
          options: {
            component: {
              type: oneOfStrings(['apiserver', 'scheduler', 'controller-manager']),
              doc: "A control-plane component's clock.",
            },
            node: { type: nodeName, doc: "A node's clock (its kubelet and runtime)." },
          },
        },
      ],
      build: buildSkewClock,
      example: '- {at: 1m, skewClock: {node: worker-1, offset: -45s}}',
    }),
    doc: 'Skews a clock.',
    example: '- {at: 1m, skewClock: {node: worker-1, offset: -45s}}',
  },
};

export const fault = object({
  name: 'Fault',
  doc: 'One fault at an instant: `at` plus exactly one fault verb.',
  fields: {
    at: field(duration(), 'When, from the start of the run.', { required: true }),
  },
  groups: [{ name: 'action', label: 'fault verb', required: true, options: verbs }],
});

export const faultVerbNames: readonly string[] = Object.keys(verbs);
