// Manifests inside scenarios: strict like `kubectl apply`, Lists expanded, files resolved next
// to the scenario file, problems reported where they were written.
import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from './index.js';
import { siblingPath } from './scenario-manifests.js';

/** Lines 1–8 of a valid scenario; tests append from line 9 on. */
const head = [
  'apiVersion: miniku.dev/v1alpha1',
  'kind: Scenario',
  'metadata: {name: m}',
  'spec:',
  '  seed: 1',
  '  startTime: "2026-01-01T00:00:00Z"',
  '  duration: 10m',
  '  workloads:',
];

function parse(lines: readonly string[], files: Record<string, string> = {}) {
  return parseScenario([...head, ...lines].join('\n'), {
    fileName: 'suite/m.yaml',
    loadFile: (path) => files[path],
  });
}

function errorsOf(lines: readonly string[], files: Record<string, string> = {}): string[] {
  const result = parse(lines, files);
  return result.ok ? [] : result.errors.map(formatScenarioError);
}

describe('manifests in scenarios', () => {
  it('expands a List and accepts generateName', () => {
    const result = parse([
      '    - at: 0s',
      '      manifest:',
      '        apiVersion: v1',
      '        kind: List',
      '        items:',
      '          - {apiVersion: v1, kind: Pod, metadata: {generateName: a-}, spec: {containers: [{name: c, image: x}]}}',
      '          - {apiVersion: v1, kind: Namespace, metadata: {name: shop}}',
    ]);
    expect(result.ok && result.scenario.spec.workloads[0]).toMatchObject({
      kind: 'apply',
      objects: [{ kind: 'Pod' }, { kind: 'Namespace' }],
    });
  });

  it('reports unknown kinds, versions, names and fields where they were written', () => {
    const lines = [
      '    - at: 0s',
      '      manifests:',
      '        - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}',
      '        - {apiVersion: v1, kind: Deployment, metadata: {name: b}}',
      '        - {apiVersion: v1, kind: Namespace, metadata: {labels: {a: b}}}',
      '        - apiVersion: v1',
      '          kind: Pod',
      '          metadata: {name: c}',
      '          spec:',
      '            containers: [{name: c, image: x, imagePulPolicy: Always}]',
    ];
    expect(errorsOf(lines)).toEqual([
      'suite/m.yaml:11: spec.workloads[0].manifests[0].kind: unknown kind "ConfigMap"',
      'suite/m.yaml:12: spec.workloads[0].manifests[1].apiVersion: kind "Deployment" is served as "apps/v1"',
      'suite/m.yaml:13: spec.workloads[0].manifests[2].metadata.name: missing required field (or metadata.generateName)',
      'suite/m.yaml:18: spec.workloads[0].manifests[3].spec.containers[0].imagePulPolicy: unknown field',
    ]);
  });

  it('reports a value of the wrong type as the API server would', () => {
    const lines = [
      '    - at: 0s',
      '      manifest:',
      '        apiVersion: apps/v1',
      '        kind: ReplicaSet',
      '        metadata: {name: web}',
      '        spec: {replicas: three}',
    ];
    expect(errorsOf(lines)).toEqual([
      'suite/m.yaml:10: spec.workloads[0].manifest: json: cannot unmarshal string into Go struct ' +
        'field ReplicaSetSpec.spec.replicas of type int32',
    ]);
  });

  it('reports YAML errors inside a manifest file with its name and line', () => {
    const files = { 'suite/web.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [x}\n' };
    expect(errorsOf(['    - {at: 0s, file: web.yaml}'], files)).toEqual([
      'suite/web.yaml:3: invalid YAML: flow sequence in block collection must be sufficiently ' +
        'indented and end with a ]',
    ]);
  });

  it('refuses absolute paths for manifest files', () => {
    expect(errorsOf(['    - {at: 0s, file: /etc/web.yaml}'])).toEqual([
      'suite/m.yaml:9: spec.workloads[0].file: must be a relative path with "/" separators ' +
        '(relative to the scenario file)',
    ]);
  });

  it('checks the pod template of an arrival process', () => {
    const template = (metadata: string) => [
      '    - at: 1m',
      '      poisson: {ratePerSecond: 1}',
      '      namePrefix: job-',
      '      template:',
      '        apiVersion: v1',
      '        kind: Pod',
      `        metadata: ${metadata}`,
      '        spec: {containers: [{name: c, image: x}]}',
    ];
    expect(errorsOf(template('{name: fixed}'))).toEqual([
      'suite/m.yaml:15: spec.workloads[0].template.metadata.name: leave out: pods are named <namePrefix><number>',
    ]);
    const result = parse(template('{labels: {app: job}}'));
    expect(result.ok && result.scenario.spec.workloads[0]).toMatchObject({
      kind: 'poisson',
      atMs: 60_000,
      untilMs: 600_000,
      countMax: 10_000,
    });
  });
});

describe('siblingPath', () => {
  it('joins a relative path to the scenario file directory and normalises it', () => {
    expect(siblingPath('scenarios/x.yaml', 'manifests/web.yaml')).toBe(
      'scenarios/manifests/web.yaml',
    );
    expect(siblingPath('scenarios/examples/x.yaml', '../m.yaml')).toBe('scenarios/m.yaml');
    expect(siblingPath('x.yaml', './m.yaml')).toBe('m.yaml');
    expect(siblingPath('x.yaml', '../m.yaml')).toBe('../m.yaml');
    expect(siblingPath('/abs/dir/x.yaml', 'm.yaml')).toBe('/abs/dir/m.yaml');
  });
});
