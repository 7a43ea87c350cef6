// Every class of scenario error comes back as one exact line, `<file>:<line>: <path>: <message>`,
// with the line where the problem was written; all errors at once, sorted by line.
import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from './index.js';
import type { ParseScenarioOptions } from './index.js';

/** Lines 1–9 of a valid scenario; tests append `spec` fields from line 10 on. */
const head = [
  'apiVersion: miniku.dev/v1alpha1',
  'kind: Scenario',
  'metadata: {name: node-crash}',
  'spec:',
  '  seed: 1',
  '  startTime: "2026-01-01T00:00:00Z"',
  '  duration: 10m',
  '  nodePools:',
  '    - {name: worker, count: 3, capacity: {cpu: 4, memory: 8Gi}}',
];

function errorsOf(lines: readonly string[], options: Partial<ParseScenarioOptions> = {}): string[] {
  const result = parseScenario(lines.join('\n'), { fileName: 'node-crash.yaml', ...options });
  return result.ok ? [] : result.errors.map(formatScenarioError);
}

describe('scenario errors', () => {
  it('accepts the base scenario', () => {
    expect(errorsOf(head)).toEqual([]);
  });

  it('reports a fault on an unknown node with the nodes that exist', () => {
    const lines = [
      ...head,
      '  faults:',
      '    - {at: 1m, crashNode: {node: worker-0}}',
      '    - {at: 2m, crashNode: {node: worker-9}}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:12: spec.faults[1].crashNode.node: unknown node "worker-9" (nodes are worker-0..worker-2)',
    ]);
  });

  it('reports YAML syntax errors at their line, without a field path', () => {
    const lines = [
      ...head,
      '  faults: [{at: 1m, crashNode: {node: worker-0}}',
      '  bootstrap: true',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: invalid YAML: flow sequence in block collection must be sufficiently ' +
        'indented and end with a ]',
    ]);
  });

  it('reports an unknown field and suggests the field meant', () => {
    const lines = [
      ...head,
      '  faults:',
      '    - at: 1m',
      '      crashNode: {node: worker-0, restartAftr: 1m}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:12: spec.faults[0].crashNode.restartAftr: unknown field (did you mean "restartAfter"?)',
    ]);
  });

  it('gives advice for fields people write by mistake', () => {
    const lines = [...head, '  controlPlane:', '    controllerManager: {podEvictionTimeout: 5m}'];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.controlPlane.controllerManager.podEvictionTimeout: unknown field ' +
        '(not used with taint-based eviction; set apiServer.defaultUnreachableTolerationSeconds)',
    ]);
  });

  it('reports values of the wrong type', () => {
    const lines = [
      'apiVersion: miniku.dev/v1alpha1',
      'kind: Scenario',
      'metadata: {name: no}',
      'spec:',
      '  seed: 1',
      '  startTime: "2026-01-01T00:00:00Z"',
      '  duration: 600',
      '  nodePools:',
      '    - {name: worker, count: three, capacity: {cpu: 4}}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:3: metadata.name: expected a DNS label such as "node-crash", got false',
      'node-crash.yaml:7: spec.duration: expected a duration such as "90s", got 600 (add a unit)',
      'node-crash.yaml:9: spec.nodePools[0].count: expected an integer, got "three"',
    ]);
  });

  it('reports negative durations', () => {
    const lines = [...head, '  faults:', '    - {at: -1m, crashNode: {node: worker-0}}'];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.faults[0].at: must not be negative (got "-1m")',
    ]);
  });

  it('reports malformed durations and durations finer than a millisecond', () => {
    const lines = [...head, '  network: {latency: 1.5ms}', '  runtime: {imagePull: 2 minutes}'];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:10: spec.network.latency: invalid duration "1.5ms": must be a whole number of milliseconds',
      'node-crash.yaml:11: spec.runtime.imagePull: invalid duration "2 minutes": unknown unit " minutes" (use h, m, s or ms)',
    ]);
  });

  it('reports instants and windows beyond the end of the scenario', () => {
    const lines = [
      ...head,
      '  faults:',
      '    - {at: 11m, crashNode: {node: worker-0}}',
      '    - {at: 2m, crashNode: {node: worker-1, restartAfter: 9m}}',
      '  expectations:',
      '    - {name: late, by: 1h, pods: {count: 0}}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.faults[0].at: 11m is after the end of the scenario (spec.duration is 10m)',
      'node-crash.yaml:12: spec.faults[1].crashNode.restartAfter: ends at 11m (at + restartAfter), ' +
        'after the end of the scenario (spec.duration is 10m)',
      'node-crash.yaml:14: spec.expectations[0].by: 1h is after the end of the scenario (spec.duration is 10m)',
    ]);
  });

  it('reports a manifest file that loadFile cannot find, next to the scenario file', () => {
    const requested: string[] = [];
    const lines = [...head, '  workloads:', '    - at: 0s', '      file: ../manifests/web.yaml'];
    const loadFile = (path: string) => {
      requested.push(path);
      return undefined;
    };
    expect(errorsOf(lines, { fileName: 'scenarios/node-crash.yaml', loadFile })).toEqual([
      'scenarios/node-crash.yaml:12: spec.workloads[0].file: file not found: "manifests/web.yaml"',
    ]);
    expect(requested).toEqual(['manifests/web.yaml']);
  });

  it('reports the message of a loadFile that throws', () => {
    const lines = [...head, '  workloads:', '    - {at: 0s, file: web.yaml}'];
    const loadFile = () => {
      throw new Error('permission denied');
    };
    expect(errorsOf(lines, { loadFile })).toEqual([
      'node-crash.yaml:11: spec.workloads[0].file: cannot read "web.yaml": permission denied',
    ]);
  });

  it('reports problems inside a manifest file with that file and its lines', () => {
    const lines = [...head, '  workloads:', '    - {at: 0s, file: web.yaml}', '  bootstrap: maybe'];
    const web = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a}',
      'spec: {containers: [{name: app, image: x}]}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: b}',
      'spec:',
      '  containers: [{name: app, image: x}]',
      '  restartPolicyy: Never',
    ].join('\n');
    expect(errorsOf(lines, { loadFile: () => web })).toEqual([
      'web.yaml:11: spec.restartPolicyy: unknown field',
      'node-crash.yaml:12: spec.bootstrap: expected true or false, got "maybe"',
    ]);
  });

  it('collects every error and sorts them by line', () => {
    const lines = [
      ...head,
      '  faults:',
      '    - {at: 1m, crashNode: {node: worker-7}}',
      '    - {at: 1m, cordonNode: {node: worker-1}, drainNode: {node: worker-1}}',
      '    - {at: 1m}',
      '  expectations:',
      '    - {name: x, at: 1m, nodes: {names: [worker-1]}, until: 2m}',
      '  bootstrap: 3',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.faults[0].crashNode.node: unknown node "worker-7" (nodes are worker-0..worker-2)',
      'node-crash.yaml:12: spec.faults[1].drainNode: only one fault verb may be set (also found "cordonNode")',
      'node-crash.yaml:13: spec.faults[2]: missing fault verb (one of: crashNode, restartKubelet, ' +
        'stopHeartbeats, partition, heal, delayLinks, dropMessages, restartApiServer, ' +
        'restartComponent, conflictingWrites, killContainer, oomContainer, cordonNode, drainNode, ' +
        'addNodes, removeNodes, skewClock)',
      'node-crash.yaml:15: spec.expectations[0].until: only allowed with "always"',
      'node-crash.yaml:16: spec.bootstrap: expected true or false, got 3',
    ]);
  });

  it('reports missing required fields and duplicate keys', () => {
    const lines = [
      'apiVersion: miniku.dev/v1alpha1',
      'kind: Scenario',
      'metadata: {name: x}',
      'spec:',
      '  seed: 1',
      '  seed: 2',
      '  startTime: "2026-01-01T00:00:00Z"',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:4: spec.duration: missing required field',
      'node-crash.yaml:6: spec.seed: duplicate field (first on line 5)',
    ]);
  });

  it('checks nodes against the moment a fault acts', () => {
    const lines = [
      ...head,
      '  faults:',
      '    - {at: 1m, cordonNode: {node: worker-3}}',
      '    - {at: 2m, addNodes: {pool: worker, count: 1}}',
      '    - {at: 3m, removeNodes: {nodes: [worker-0]}}',
      '    - {at: 4m, partition: {from: [node/worker-0], to: [apiserver]}}',
      '    - {at: 5m, addNodes: {pool: gpu, count: 1}}',
      '    - {at: 6m, removeNodes: {pool: worker, count: 4}}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.faults[0].cordonNode.node: node "worker-3" is only added at 2m (by spec.faults[1])',
      'node-crash.yaml:14: spec.faults[3].partition.from[0]: node "worker-0" was removed at 3m (by spec.faults[2])',
      'node-crash.yaml:15: spec.faults[4].addNodes.pool: unknown node pool "gpu" (pools are worker)',
      'node-crash.yaml:16: spec.faults[5].removeNodes.count: pool "worker" has only 3 nodes at 6m',
    ]);
  });

  it('checks the scheduler configuration as kube-scheduler does, at the field', () => {
    const lines = [
      ...head,
      '  scheduler:',
      '    profiles:',
      '      - plugins:',
      '          score:',
      '            enabled: [{name: NoSuchPlugin}]',
      '      - schedulerName: default-scheduler',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:14: spec.scheduler.profiles[0].plugins.score.enabled[0].name: Invalid value: ' +
        '"NoSuchPlugin": unknown plugin',
      'node-crash.yaml:15: spec.scheduler.profiles[1].schedulerName: Duplicate value: "default-scheduler"',
    ]);
  });

  it('reports duplicate pool and expectation names, pointing at the first', () => {
    const lines = [
      ...head,
      '    - {name: worker, count: 1, capacity: {cpu: 1}}',
      '  expectations:',
      '    - {name: ready, eventually: true, pods: {count: 0}}',
      '    - {name: ready, eventually: true, nodes: {count: 3}}',
    ];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:10: spec.nodePools[1].name: duplicate pool name "worker" (first at spec.nodePools[0])',
      'node-crash.yaml:13: spec.expectations[1].name: duplicate expectation name "ready" (first at spec.expectations[0])',
    ]);
  });

  it('explains where client rate limits of the scheduler go', () => {
    const lines = [...head, '  scheduler:', '    clientConnection: {qps: 10}'];
    expect(errorsOf(lines)).toEqual([
      'node-crash.yaml:11: spec.scheduler.clientConnection: unknown field (set ' +
        'spec.controlPlane.scheduler.kubeAPIQPS and kubeAPIBurst instead)',
    ]);
  });

  it('rejects empty files and files with a second document', () => {
    expect(errorsOf([])).toEqual(['node-crash.yaml:1: empty file: expected a Scenario document']);
    expect(errorsOf([...head, '---', 'a: 1'])).toEqual([
      'node-crash.yaml:10: a scenario file holds one YAML document (found a second one)',
    ]);
  });
});
