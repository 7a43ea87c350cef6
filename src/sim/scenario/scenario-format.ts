// The scenario file format, declared once: the root `Scenario` object and its `spec`. The decoder,
// the JSON Schema (scenarios/scenario.schema.json) and the README tables all come from here.
import { controlPlane, schedulerConfiguration } from './format-control-plane.js';
import { dnsLabel, durationOrDistribution } from './format-common.js';
import { expectation } from './format-expectations.js';
import { fault } from './format-faults.js';
import { nodePool, runtime } from './format-nodes.js';
import { workload } from './format-workloads.js';
import { scenarioApiVersion, scenarioKind } from './scenario-model.js';
import {
  bool,
  duration,
  field,
  int,
  list,
  object,
  oneOfStrings,
  str,
  time,
  union,
} from './schema-dsl.js';

/** Longest run a scenario may ask for. */
export const scenarioDurationMsMax = 7 * 24 * 3_600_000;

const seed = union({
  label: 'an integer or a string seed',
  variants: [
    int({ min: 0 }),
    str({
      minLength: 1,
      maxLength: 200,
      check: (v) => (v.includes('|') ? 'must not contain "|"' : undefined),
    }),
  ],
});

const network = object({
  name: 'Network',
  doc: 'The simulated network between endpoints.',
  fields: {
    latency: field(durationOrDistribution, 'One-way latency of every message.', { default: '0s' }),
  },
});

const spec = object({
  name: 'ScenarioSpec',
  doc: 'What runs, what goes wrong, and what must hold.',
  fields: {
    seed: field(seed, 'Root seed of every random stream; `42` and `"42"` are the same seed.', {
      required: true,
    }),
    startTime: field(time(), 'The virtual epoch: wall-clock time at t=0 (RFC 3339).', {
      required: true,
    }),
    duration: field(duration({ positive: true }), 'Length of the run (at most 168h).', {
      required: true,
    }),
    controlPlane: field(controlPlane, 'Component timing knobs.', { default: {} }),
    scheduler: field(schedulerConfiguration, "The scheduler's configuration.", {
      defaultDoc: 'one default profile',
    }),
    network: field(network, 'Baseline network behaviour.', { default: {} }),
    nodePools: field(list(nodePool), 'The machines.', { default: [] }),
    bootstrap: field(bool(), 'Nodes are registered and Ready before t=0.', { default: true }),
    runtime: field(runtime, 'The simulated container runtime.', { default: {} }),
    workloads: field(list(workload), 'What is applied, and when.', { default: [] }),
    faults: field(list(fault), 'What goes wrong, and when.', { default: [] }),
    expectations: field(list(expectation), 'What must hold.', { default: [] }),
  },
  hints: {
    durationSeconds: 'use duration, e.g. "15m"',
    nodes: 'nodes are declared by nodePools',
    expect: 'use expectations',
  },
});

const metadata = object({
  name: 'ScenarioMetadata',
  doc: 'Names the scenario.',
  fields: {
    name: field(
      dnsLabel('a DNS label such as "node-crash"'),
      'Scenario name (its report directory).',
      {
        required: true,
      },
    ),
    description: field(str(), 'What the scenario shows, for readers and reports.'),
  },
});

export const scenarioType = object({
  name: 'Scenario',
  doc: 'A scenario file: one YAML document.',
  fields: {
    apiVersion: field(oneOfStrings([scenarioApiVersion]), 'Format version.', { required: true }),
    kind: field(oneOfStrings([scenarioKind]), 'Always `Scenario`.', { required: true }),
    metadata: field(metadata, 'Name and description.', { required: true }),
    spec: field(spec, 'The scenario.', { required: true }),
  },
});
