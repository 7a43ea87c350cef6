// Tests of validation messages on create and update, and robustness on arbitrary JSON.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { resourceTypes } from '../registry.js';
import { deploymentSchema } from '../types/deployment.js';
import { namespaceSchema } from '../types/namespace.js';
import { nodeSchema } from '../types/node.js';
import { podSchema } from '../types/pod.js';
import { replicaSetSchema } from '../types/replica-set.js';
import { serviceSchema } from '../types/service.js';
import { applyDefaults } from './defaults.js';
import { formatFieldError, formatInvalidMessage } from './field-errors.js';
import type { ObjectSchema } from './schema.js';
import { validateObject } from './validate.js';

const subdomainDetail =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelDetail =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const quantityDetail =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function pod(
  spec: JsonObject = {},
  metadata: JsonObject = {},
  container: JsonObject = {},
): JsonObject {
  return applyDefaults(podSchema, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'c', image: 'nginx', ...container }], ...spec },
  });
}

function messages(schema: ObjectSchema, object: JsonValue, old?: JsonObject): string[] {
  const operation = old === undefined ? 'create' : 'update';
  return validateObject(schema, object, { operation, old }).map(formatFieldError);
}

function deployment(spec: JsonObject = {}, labels: JsonObject = { app: 'web' }): JsonObject {
  return applyDefaults(deploymentSchema, {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  });
}

describe('validateObject on create', () => {
  it('accepts a defaulted pod', () => {
    expect(messages(podSchema, pod())).toEqual([]);
  });

  it.each<[string, JsonObject, string[]]>([
    ['a pod without containers', pod({ containers: [] }), ['spec.containers: Required value']],
    [
      'a missing name',
      pod({}, { name: undefined as unknown as string }),
      ['metadata.name: Required value: name or generateName is required'],
    ],
    [
      'a generated name',
      pod({}, { name: undefined as unknown as string, generateName: 'web-' }),
      [],
    ],
    [
      'a bad name',
      pod({}, { name: 'Foo_' }),
      [`metadata.name: Invalid value: "Foo_": ${subdomainDetail}`],
    ],
    ['a missing namespace', pod({}, { namespace: '' }), ['metadata.namespace: Required value']],
    [
      'an unsupported restart policy',
      pod({ restartPolicy: 'Sometimes' }),
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    ],
    [
      'duplicate container names',
      pod({
        containers: [
          { name: 'c', image: 'a' },
          { name: 'c', image: 'b' },
        ],
      }),
      ['spec.containers[1].name: Duplicate value: "c"'],
    ],
    [
      'an init container named like a container',
      pod({ initContainers: [{ name: 'c', image: 'a' }] }),
      ['spec.initContainers[0].name: Duplicate value: "c"'],
    ],
    [
      'a container name that is not a label',
      pod({}, {}, { name: 'Web' }),
      [`spec.containers[0].name: Invalid value: "Web": ${labelDetail}`],
    ],
    [
      'a container without image',
      pod({}, {}, { image: '' }),
      ['spec.containers[0].image: Required value'],
    ],
    [
      'a port out of range',
      pod({}, {}, { ports: [{ containerPort: 70000 }] }),
      [
        'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'a port of 0',
      pod({}, {}, { ports: [{ containerPort: 0 }] }),
      ['spec.containers[0].ports[0].containerPort: Required value'],
    ],
    [
      'an unsupported protocol',
      pod({}, {}, { ports: [{ containerPort: 80, protocol: 'HTTP' }] }),
      [
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'requests above limits',
      pod({}, {}, { resources: { limits: { cpu: '1' }, requests: { cpu: '1500m' } } }),
      [
        'spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      'a quantity that does not parse',
      pod({}, {}, { resources: { limits: { cpu: 'two' } } }),
      [
        `spec.containers[0].resources.limits[cpu]: Invalid value: "two": ${quantityDetail}`,
        `spec.containers[0].resources.requests[cpu]: Invalid value: "two": ${quantityDetail}`,
      ],
    ],
    [
      'a negative request',
      pod({}, {}, { resources: { requests: { memory: '-1' } } }),
      [
        'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
      ],
    ],
    [
      'a bad label key and value',
      pod({}, { labels: { 'a b': 'c d' } }),
      [
        "metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "metadata.labels: Invalid value: \"c d\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      'annotations over 256 KiB',
      pod({}, { annotations: { big: 'x'.repeat(256 * 1024) } }),
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    ],
    [
      'a volume mount of an unknown volume',
      pod({}, {}, { volumeMounts: [{ name: 'data', mountPath: '/data' }] }),
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'two handlers in a probe',
      pod({}, {}, { readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }),
      [
        'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
      ],
    ],
    [
      'ephemeral containers on create',
      pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }),
      ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
    ],
    [
      'a toleration with seconds but without NoExecute',
      pod({
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }],
      }),
      [
        'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      ],
    ],
  ])('reports %s', (_, object, expected) => {
    expect(messages(podSchema, object)).toEqual(expected);
  });

  it('reports wrong JSON types instead of throwing', () => {
    expect(messages(podSchema, pod({ nodeName: 5 }))).toEqual([
      'spec.nodeName: Invalid value: 5: must be of type string: integer',
    ]);
  });

  it('names namespaces by DNS-1123 label and forbids a namespace on cluster-scoped kinds', () => {
    const namespace = applyDefaults(namespaceSchema, { metadata: { name: 'a.b' } });
    expect(messages(namespaceSchema, namespace)).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
    const node = { metadata: { name: 'n', namespace: 'default' } };
    expect(messages(nodeSchema, node)).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('names services by DNS-1035 label', () => {
    const service = applyDefaults(serviceSchema, {
      metadata: { name: '1web', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
    const [message] = messages(serviceSchema, service);
    expect(message).toMatch(
      /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of lower case/,
    );
  });

  it('checks workload selectors against template labels', () => {
    expect(messages(deploymentSchema, deployment())).toEqual([]);
    expect(messages(deploymentSchema, deployment({}, { app: 'x' }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ]);
  });

  it('reports negative replicas and templates that do not restart always', () => {
    const object = deployment({ replicas: -1 });
    const template = (object.spec as JsonObject).template as JsonObject;
    const spec = { ...(template.spec as JsonObject), restartPolicy: 'Never' };
    const broken = {
      ...object,
      spec: { ...(object.spec as JsonObject), template: { ...template, spec } },
    };
    expect(messages(replicaSetSchema, broken)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('requires a selector and rejects an empty one', () => {
    const missing = deployment({ selector: null });
    expect(messages(deploymentSchema, missing)).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    const empty = deployment({ selector: {} });
    expect(messages(deploymentSchema, empty)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });

  it('rejects rolling updates that can make no progress', () => {
    const object = deployment({
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } },
    });
    expect(messages(deploymentSchema, object)).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    ]);
  });

  it('renders several errors the way NewInvalid does', () => {
    const errors = validateObject(podSchema, pod({ containers: [], restartPolicy: 'X' }), {
      operation: 'create',
    });
    expect(formatInvalidMessage('Pod', 'p', errors)).toBe(
      'Pod "p" is invalid: [spec.containers: Required value, spec.restartPolicy: Unsupported value: "X": supported values: "Always", "OnFailure", "Never"]',
    );
  });
});

describe('validateObject on update', () => {
  it('rejects a changed workload selector as immutable', () => {
    const old = deployment();
    const next = deployment({ selector: { matchLabels: { app: 'other' } } }, { app: 'other' });
    expect(messages(deploymentSchema, next, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('lets a pod change its image but not other spec fields', () => {
    const old = pod();
    const container = {
      ...((old.spec as JsonObject).containers as JsonObject[])[0],
      image: 'nginx:2',
    };
    const next = { ...old, spec: { ...(old.spec as JsonObject), containers: [container] } };
    expect(messages(podSchema, next, old)).toEqual([]);
    const [message, ...rest] = messages(podSchema, pod({ restartPolicy: 'Never' }), old);
    expect(rest).toEqual([]);
    expect(message).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
  });

  it('treats equal quantities in other units as unchanged', () => {
    const old = pod({}, {}, { resources: { limits: { cpu: '1' } } });
    expect(
      messages(podSchema, pod({}, {}, { resources: { limits: { cpu: '1000m' } } }), old),
    ).toEqual([]);
  });

  it('rejects adding or removing containers and renaming the object', () => {
    const old = pod();
    const two = pod({
      containers: [
        { name: 'c', image: 'a' },
        { name: 'd', image: 'b' },
      ],
    });
    expect(messages(podSchema, two, old)).toEqual([
      'spec.containers: Forbidden: pod updates may not add or remove containers',
    ]);
    expect(messages(podSchema, pod({}, { name: 'q' }), old)).toEqual([
      'metadata.name: Invalid value: "q": field is immutable',
    ]);
  });
});

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe('validateObject never throws', () => {
  const schemas = resourceTypes.map((type) => type.schema);

  it('on arbitrary JSON, on create and on update', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schemas), json, json, (schema, value, old) => {
        expect(() => validateObject(schema, value, { operation: 'create' })).not.toThrow();
        const oldObject =
          typeof old === 'object' && old !== null && !Array.isArray(old) ? (old as JsonObject) : {};
        expect(() =>
          validateObject(schema, value, { operation: 'update', old: oldObject }),
        ).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary JSON placed inside otherwise valid objects', () => {
    const field = fc.constantFrom('spec', 'metadata', 'status');
    fc.assert(
      fc.property(field, json, (key, value) => {
        const object = { ...pod(), [key]: value };
        expect(() =>
          validateObject(podSchema, object, { operation: 'update', old: pod() }),
        ).not.toThrow();
        const spec = { ...(pod().spec as JsonObject), containers: [value] };
        expect(() =>
          validateObject(podSchema, { ...pod(), spec }, { operation: 'create' }),
        ).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
