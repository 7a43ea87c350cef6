// Declarations of spec.expectations: a named check of pods, nodes or one object's field, at an
// instant, by a deadline, throughout a window, or at the end of the run.
import type { ObjectRef } from './scenario-model.js';
import {
  checkKnownKind,
  dnsLabel,
  fieldPathText,
  labelKey,
  labelSelector,
  labelValue,
  nodeName,
  objectRefFields,
  parseFieldPath,
} from './format-common.js';
import {
  bool,
  duration,
  field,
  int,
  invalid,
  json,
  list,
  object,
  oneOfStrings,
  str,
} from './schema-dsl.js';
import type { BuildContext, Fields } from './schema-dsl.js';

const countFields: Fields = {
  count: field(int({ min: 0 }), 'Exactly this many match.'),
  countMin: field(int({ min: 0 }), 'At least this many match.'),
  countMax: field(int({ min: 0 }), 'At most this many match.'),
};

interface Counted {
  count?: number;
  countMin?: number;
  countMax?: number;
}

/** Turns count/countMin/countMax into countMin (+ countMax); `fallback` when none is set. */
function normalizeCount<T extends Counted>(
  value: T,
  context: BuildContext,
  fallback?: number,
): (Omit<T, 'count'> & { countMin: number }) | typeof invalid {
  const { count, ...rest } = value;
  if (count !== undefined && (value.countMin !== undefined || value.countMax !== undefined)) {
    context.error(['count'], 'set count, or countMin and/or countMax, not both');
    return invalid;
  }
  const countMin = count ?? value.countMin ?? (value.countMax === undefined ? fallback : 0);
  if (countMin === undefined) {
    context.error([], 'missing count (set count, countMin or countMax)');
    return invalid;
  }
  const countMax = count ?? value.countMax;
  if (countMax !== undefined && countMax < countMin) {
    context.error(['countMax'], `must be at least countMin (${countMin})`);
    return invalid;
  }
  return { ...rest, countMin, ...(countMax === undefined ? {} : { countMax }) };
}

const pods = object({
  name: 'PodsExpectation',
  doc: 'Counts the pods that match every condition given.',
  fields: {
    namespace: field(dnsLabel(), 'Namespace.', { defaultDoc: 'every namespace' }),
    selector: field(labelSelector, 'Label selector, kubectl syntax.', { defaultDoc: 'every pod' }),
    phase: field(
      oneOfStrings(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']),
      'status.phase.',
    ),
    ready: field(bool(), 'The Ready condition is True (true) or not (false).'),
    terminating: field(bool(), 'metadata.deletionTimestamp is set (true) or not (false).'),
    onNode: field(nodeName, 'Bound to this node.'),
    notOnNode: field(nodeName, 'Not bound to this node (unbound pods match).'),
    ...countFields,
  },
  build: (value: Counted, context: BuildContext) => normalizeCount(value, context),
});

const nodes = object({
  name: 'NodesExpectation',
  doc: 'Counts the nodes that match every condition given.',
  fields: {
    selector: field(labelSelector, 'Label selector.', { defaultDoc: 'every node' }),
    names: field(list(nodeName, { minItems: 1 }), 'Node names (instead of a selector).'),
    condition: field(
      object({
        name: 'NodeConditionMatch',
        doc: 'A node condition and its status.',
        fields: {
          type: field(str({ minLength: 1 }), 'Condition type, e.g. `Ready`.', { required: true }),
          status: field(oneOfStrings(['True', 'False', 'Unknown']), 'Status.', { required: true }),
        },
      }),
      'The node has this condition status.',
    ),
    taint: field(
      object({
        name: 'TaintMatch',
        doc: 'A taint the node carries.',
        fields: {
          key: field(labelKey, 'Taint key.', { required: true }),
          value: field(labelValue, 'Taint value.', { defaultDoc: 'any' }),
          effect: field(oneOfStrings(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), 'Effect.', {
            defaultDoc: 'any',
          }),
        },
      }),
      'The node carries this taint.',
    ),
    unschedulable: field(bool(), 'spec.unschedulable is true (true) or not (false).'),
    ...countFields,
  },
  build: (value: Counted & { names?: string[]; selector?: string }, context: BuildContext) => {
    if (value.names !== undefined && value.selector !== undefined) {
      context.error(['names'], 'set names or selector, not both');
      return invalid;
    }
    return normalizeCount(value, context, value.names?.length);
  },
});

const objectExpectation = object({
  name: 'ObjectExpectation',
  doc: 'Checks one field of one object; the object must exist for `equals` to hold.',
  fields: {
    ...objectRefFields,
    path: field(
      fieldPathText,
      "Field path, e.g. `status.readyReplicas` or `metadata.labels['app']`.",
      {
        required: true,
      },
    ),
  },
  groups: [
    {
      name: 'check',
      label: 'check',
      required: true,
      options: {
        equals: { type: json('any'), doc: 'The field equals this value (JSON equality).' },
        exists: { type: bool(), doc: 'The field is set (true) or absent (false).' },
      },
    },
  ],
  build: (value: ObjectRef & { path: string; check: unknown }, context: BuildContext) => {
    const { apiVersion, kind, namespace, name, path, check } = value;
    const ref: ObjectRef = {
      apiVersion,
      kind,
      name,
      ...(namespace === undefined ? {} : { namespace }),
    };
    const parsed = parseFieldPath(path);
    if (!checkKnownKind(ref, context) || !parsed.ok) return invalid;
    return { ref, path, pathSegments: parsed.path, check };
  },
});

/** Counters a `metric` expectation can check while the run goes (report.json has them too). */
export const liveMetricNames = [
  'scheduler.attempts',
  'scheduler.scheduled',
  'scheduler.unschedulable',
  'scheduler.bindFailures',
  'pods.evicted',
  'invariants.violations',
] as const;

const metricExpectation = object({
  name: 'MetricExpectation',
  doc:
    'Checks a counter of the run as it stands at each check: scheduler attempts, pods ' +
    'scheduled, unschedulable attempts and bind failures (summed over scheduler restarts), pods ' +
    'evicted (seen with a DisruptionTarget condition), built-in invariant violations.',
  fields: {
    name: field(oneOfStrings([...liveMetricNames]), 'The counter.', { required: true }),
    min: field(int({ min: 0 }), 'At least this value.'),
    max: field(int({ min: 0 }), 'At most this value.'),
  },
  build: (value: { name: string; min?: number; max?: number }, context: BuildContext) => {
    if (value.min === undefined && value.max === undefined) {
      context.error([], 'missing bound (set min and/or max)');
      return invalid;
    }
    if (value.min !== undefined && value.max !== undefined && value.max < value.min) {
      context.error(['max'], `must be at least min (${value.min})`);
      return invalid;
    }
    return value;
  },
});

export const expectation = object({
  name: 'Expectation',
  doc:
    'A named check reported after the run: a timing (`at`, `by`, `always` or `eventually`) ' +
    'and a subject (`pods`, `nodes`, `object` or `metric`).',
  fields: {
    name: field(str({ minLength: 1, maxLength: 200 }), 'Unique name, shown in reports.', {
      required: true,
    }),
  },
  groups: [
    {
      name: 'timing',
      label: 'timing',
      required: true,
      options: {
        at: { type: duration(), doc: 'Holds at this instant.' },
        by: { type: duration(), doc: 'Holds at some instant up to this one.' },
        always: {
          type: bool({ onlyTrue: true }),
          doc: 'Holds at every instant of [from, until].',
          with: {
            from: field(duration(), 'Window start.', { default: '0s' }),
            until: field(duration(), 'Window end.', { defaultDoc: 'the end of the run' }),
          },
        },
        eventually: {
          type: bool({ onlyTrue: true }),
          doc: 'Holds from some instant until the end of the run (checked at the end).',
        },
      },
    },
    {
      name: 'subject',
      label: 'subject',
      required: true,
      options: {
        pods: { type: pods, doc: 'Count matching pods.' },
        nodes: { type: nodes, doc: 'Count matching nodes.' },
        object: { type: objectExpectation, doc: 'Check a field of one object.' },
        metric: { type: metricExpectation, doc: 'Check a counter of the run.' },
      },
    },
  ],
  example: [
    'expectations:',
    '  - name: web is back on healthy nodes',
    '    by: 7m',
    '    pods: {selector: app=web, phase: Running, ready: true, count: 3, notOnNode: worker-2}',
    '  - name: the lost node is tainted',
    '    at: 3m',
    '    nodes:',
    '      names: [worker-2]',
    '      taint: {key: node.kubernetes.io/unreachable, effect: NoExecute}',
    '  - name: never more than 3 web pods running',
    '    always: true',
    '    pods: {selector: app=web, phase: Running, countMax: 3}',
    '  - name: every pod found a node at the first try',
    '    always: true',
    '    metric: {name: scheduler.unschedulable, max: 0}',
  ].join('\n'),
});
