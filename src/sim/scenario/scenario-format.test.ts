// The declared format as a whole: every documented example is a valid scenario fragment, every
// fault verb has one, and the JSON Schema mirrors the declarations' strictness.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../control/store/types.js';
import { faultVerbNames } from './format-faults.js';
import {
  formatScenarioError,
  parseScenario,
  poolNodeLabels,
  poolNodeName,
  scenarioJsonSchema,
} from './index.js';
import { documentedObjects } from './scenario-docs.js';

/** A valid scenario around `fragment`: pool `worker` (3 nodes), ReplicaSet `web`, 15 minutes. */
function scenarioWith(fragment: string): string {
  const isListItem = fragment.startsWith('- ');
  const lines = [
    'apiVersion: miniku.dev/v1alpha1',
    'kind: Scenario',
    'metadata: {name: example}',
    'spec:',
    '  seed: 1',
    '  startTime: "2026-01-01T00:00:00Z"',
    '  duration: 15m',
  ];
  const fields = new Set(isListItem ? ['faults'] : [fragment.split(':')[0] ?? '']);
  if (!fields.has('nodePools')) {
    lines.push('  nodePools: [{name: worker, count: 3, capacity: {cpu: 4, memory: 8Gi}}]');
  }
  if (!fields.has('workloads')) {
    lines.push(
      '  workloads:',
      '    - at: 0s',
      '      manifest:',
      '        apiVersion: apps/v1',
      '        kind: ReplicaSet',
      '        metadata: {name: web, namespace: default}',
      '        spec:',
      '          selector: {matchLabels: {app: web}}',
      '          template:',
      '            metadata: {labels: {app: web}}',
      '            spec: {containers: [{name: app, image: nginx}]}',
    );
  }
  if (isListItem) lines.push('  faults:');
  const indent = isListItem ? '    ' : '  ';
  lines.push(...fragment.split('\n').map((line) => indent + line));
  return lines.join('\n');
}

const webManifest = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web}',
  'spec: {containers: [{name: app, image: nginx}]}',
].join('\n');

function errorsOf(text: string): string[] {
  const result = parseScenario(text, { fileName: 'example.yaml', loadFile: () => webManifest });
  return result.ok ? [] : result.errors.map(formatScenarioError);
}

describe('documented examples', () => {
  const examples = documentedObjects().filter((type) => type.example !== undefined);

  it('cover every fault verb', () => {
    const documented = examples.map((type) => type.example ?? '');
    for (const verb of faultVerbNames) {
      expect(documented.some((example) => example.includes(` ${verb}:`))).toBe(true);
    }
  });

  for (const type of examples) {
    it(`the ${type.name} example is valid`, () => {
      expect(errorsOf(scenarioWith(type.example ?? ''))).toEqual([]);
    });
  }

  it('a broken example is caught (the harness can fail)', () => {
    expect(errorsOf(scenarioWith('- {at: 1m, crashNode: {node: worker-3}}'))).toEqual([
      'example.yaml:21: spec.faults[0].crashNode.node: unknown node "worker-3" (nodes are worker-0..worker-2)',
    ]);
  });
});

describe('scenarioJsonSchema', () => {
  const schema = scenarioJsonSchema();
  const definitions = schema.definitions as Record<string, JsonObject>;

  it('starts at the Scenario definition', () => {
    expect(schema.$ref).toBe('#/definitions/Scenario');
    expect(definitions.Scenario?.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('forbids unknown properties in every object definition', () => {
    for (const type of documentedObjects()) {
      expect(definitions[type.name]?.additionalProperties, type.name).toBe(false);
    }
  });

  it('requires exactly one fault verb per fault', () => {
    const fault = definitions.Fault as JsonObject;
    expect(fault.allOf).toEqual([{ oneOf: faultVerbNames.map((verb) => ({ required: [verb] })) }]);
  });

  it('ties companion fields to their option', () => {
    const workload = definitions.Workload as JsonObject;
    expect(workload.dependencies).toEqual({
      poisson: ['template', 'namePrefix'],
      until: ['poisson'],
      template: ['poisson'],
      namePrefix: ['poisson'],
      countMax: ['poisson'],
    });
  });

  it('carries defaults and duration patterns', () => {
    const spec = definitions.ScenarioSpec as { properties: Record<string, JsonObject> };
    expect(spec.properties.bootstrap).toMatchObject({ type: 'boolean', default: true });
    const pattern = new RegExp((definitions.duration as { pattern: string }).pattern);
    expect(['90s', '1m30s', '1.5h', '0'].every((text) => pattern.test(text))).toBe(true);
    expect(['90', '-1s', '5 m'].some((text) => pattern.test(text))).toBe(false);
  });
});

describe('pool nodes', () => {
  it('are named <pool>-<index> and spread over the zones in turn', () => {
    const pool = {
      name: 'worker',
      count: 3,
      capacity: { cpu: '4' },
      labels: { tier: 'web' },
      zones: ['zone-a', 'zone-b'],
      taints: [],
    };
    expect(poolNodeName('worker', 2)).toBe('worker-2');
    expect([0, 1, 2].map((i) => poolNodeLabels(pool, i))).toEqual([
      { tier: 'web', 'topology.kubernetes.io/zone': 'zone-a' },
      { tier: 'web', 'topology.kubernetes.io/zone': 'zone-b' },
      { tier: 'web', 'topology.kubernetes.io/zone': 'zone-a' },
    ]);
    expect(poolNodeLabels({ ...pool, zones: undefined }, 1)).toEqual({ tier: 'web' });
  });
});
