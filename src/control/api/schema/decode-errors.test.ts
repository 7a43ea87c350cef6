// Tests that decode type errors read as Go's encoding/json reports them.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { deploymentSchema } from '../types/deployment.js';
import { leaseSchema } from '../types/lease.js';
import { podSchema } from '../types/pod.js';
import { decodeTypeErrors, quantityParseError } from './decode-errors.js';
import { goTimeParseError } from './go-time-parse.js';

const regexMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe('decodeTypeErrors', () => {
  it.each<[string, JsonObject, string]>([
    [
      'a string into an int32',
      { spec: { replicas: '3' } },
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'a fraction into an int32',
      { spec: { replicas: 1.5 } },
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'an int32 out of range',
      { spec: { replicas: 3000000000 } },
      'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      'a string into a struct',
      { spec: 'x' },
      'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec',
    ],
    [
      'an object into a list',
      { spec: { template: { spec: { containers: {} } } } },
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ],
    [
      'a number into a string inside a list item',
      { spec: { template: { spec: { containers: [{ name: 'a' }, { image: 7 }] } } } },
      'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image of type string',
    ],
    [
      'a number as a label value',
      { metadata: { labels: { a: 1 } } },
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    ],
    [
      'a string into a map',
      { metadata: { labels: 'a=b' } },
      'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    ],
    [
      'a number into a named string type',
      { spec: { template: { spec: { restartPolicy: 1 } } } },
      'json: cannot unmarshal number into Go struct field PodSpec.spec.template.spec.restartPolicy of type v1.RestartPolicy',
    ],
    [
      'a bool into an IntOrString',
      { spec: { strategy: { rollingUpdate: { maxSurge: true } } } },
      'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    ],
  ])('reports %s as Go does', (_, body, expected) => {
    expect(decodeTypeErrors(deploymentSchema, body)).toBe(expected);
  });

  it('accepts well-typed bodies, nulls and unknown fields', () => {
    const body = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: null, creationTimestamp: null },
      spec: {
        replicas: 2,
        selector: null,
        unknown: { deep: 1 },
        strategy: { rollingUpdate: { maxSurge: '25%' } },
      },
    };
    expect(decodeTypeErrors(deploymentSchema, body)).toBeUndefined();
  });

  it('keeps the first plain type error', () => {
    const body = { spec: { replicas: 'a', minReadySeconds: 'b' } };
    expect(decodeTypeErrors(deploymentSchema, body)).toContain('DeploymentSpec.spec.replicas');
  });

  it('lets an UnmarshalJSON error win over an earlier plain one, as Go does', () => {
    const body = {
      spec: { nodeName: 1, containers: [{ resources: { limits: { cpu: 'two' } } }] },
    };
    expect(decodeTypeErrors(podSchema, body)).toBe(regexMessage);
  });

  it('reports quantities that do not parse with resource.ParseQuantity wording', () => {
    const body = { spec: { containers: [{ resources: { requests: { cpu: '2x' } } }] } };
    expect(decodeTypeErrors(podSchema, body)).toBe(regexMessage);
    const suffix = { spec: { containers: [{ resources: { requests: { cpu: '2k3' } } }] } };
    expect(decodeTypeErrors(podSchema, suffix)).toBe("unable to parse quantity's suffix");
    const numeric = { spec: { containers: [{ resources: { requests: { cpu: 2 } } }] } };
    expect(decodeTypeErrors(podSchema, numeric)).toBeUndefined();
  });

  it('reports times that do not parse with time.Parse wording', () => {
    const body = { metadata: { creationTimestamp: '2025-13-01T00:00:00Z' } };
    expect(decodeTypeErrors(podSchema, body)).toBe(
      'parsing time "2025-13-01T00:00:00Z": month out of range',
    );
    const number = { metadata: { creationTimestamp: 5 } };
    expect(decodeTypeErrors(podSchema, number)).toBe(
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    );
  });

  it('requires six fractional digits in MicroTime', () => {
    expect(
      decodeTypeErrors(leaseSchema, { spec: { renewTime: '2025-01-01T00:00:00.000000Z' } }),
    ).toBeUndefined();
    expect(decodeTypeErrors(leaseSchema, { spec: { renewTime: '2025-01-01T00:00:00Z' } })).toBe(
      'parsing time "2025-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    );
  });
});

describe('goTimeParseError', () => {
  it.each([
    ['2025-01-02T03:04:05Z', undefined],
    ['2025-01-02T03:04:05.123+02:00', undefined],
    ['xyz', 'parsing time "xyz" as "2006-01-02T15:04:05Z07:00": cannot parse "xyz" as "2006"'],
    [
      '2025-01-02',
      'parsing time "2025-01-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    ],
    ['2025-02-30T00:00:00Z', 'parsing time "2025-02-30T00:00:00Z": day out of range'],
    ['2025-01-02T25:00:00Z', 'parsing time "2025-01-02T25:00:00Z": hour out of range'],
    ['2025-01-02T03:04:05Zjunk', 'parsing time "2025-01-02T03:04:05Zjunk": extra text: "junk"'],
  ])('parses %s like Go', (text, expected) => {
    expect(goTimeParseError(text, false)).toBe(expected);
  });
});

describe('quantityParseError', () => {
  it('names the part of the quantity that is wrong', () => {
    expect(quantityParseError('')).toBe(regexMessage);
    expect(quantityParseError('abc')).toBe(regexMessage);
    expect(quantityParseError('1Qi')).toBe(regexMessage);
    expect(quantityParseError('1.2.3')).toBe(regexMessage);
    expect(quantityParseError('1Ki2')).toBe("unable to parse quantity's suffix");
  });
});
