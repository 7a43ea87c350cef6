// Tests of the QoS class computation.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { computeQosClass } from './qos.js';

function pod(containers: JsonObject[], initContainers: JsonObject[] = []): JsonObject {
  const named = (list: JsonObject[], prefix: string) =>
    list.map((resources, i) => ({ name: `${prefix}${i}`, image: 'x', resources }));
  return {
    spec: { containers: named(containers, 'c'), initContainers: named(initContainers, 'i') },
  };
}

const both = { cpu: '1', memory: '1Gi' };

describe('computeQosClass', () => {
  it.each<[string, JsonObject, string]>([
    ['no requests or limits', pod([{}]), 'BestEffort'],
    ['only other resources', pod([{ limits: { 'ephemeral-storage': '1Gi' } }]), 'BestEffort'],
    ['zero requests', pod([{ requests: { cpu: '0' } }]), 'BestEffort'],
    ['equal requests and limits', pod([{ requests: both, limits: both }]), 'Guaranteed'],
    [
      'equal values in other units',
      pod([{ requests: { cpu: '1000m', memory: '1024Mi' }, limits: both }]),
      'Guaranteed',
    ],
    [
      'requests below limits',
      pod([{ requests: { cpu: '500m', memory: '1Gi' }, limits: both }]),
      'Burstable',
    ],
    ['only requests', pod([{ requests: both }]), 'Burstable'],
    ['limits without defaulted requests', pod([{ limits: both }]), 'Burstable'],
    [
      'a limit missing memory',
      pod([{ requests: { cpu: '1' }, limits: { cpu: '1' } }]),
      'Burstable',
    ],
    [
      'one guaranteed and one best-effort container',
      pod([{ requests: both, limits: both }, {}]),
      'Burstable',
    ],
    [
      'guaranteed containers and init containers',
      pod([{ requests: both, limits: both }], [{ requests: both, limits: both }]),
      'Guaranteed',
    ],
    [
      'a burstable init container',
      pod([{ requests: both, limits: both }], [{ requests: { cpu: '1' } }]),
      'Burstable',
    ],
    [
      'a numeric quantity',
      pod([{ requests: { cpu: 1, memory: '1Gi' }, limits: both }]),
      'Guaranteed',
    ],
  ])('is right for %s', (_, object, expected) => {
    expect(computeQosClass(object)).toBe(expected);
  });

  it('ignores malformed input', () => {
    expect(computeQosClass({ spec: { containers: [7, { resources: 'x' }] } })).toBe('BestEffort');
    expect(computeQosClass({})).toBe('BestEffort');
  });
});
