// Tests of the Endpoints write decision: when nothing is written, what a create and an update
// carry (labels, annotations), and truncation past capacity.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import {
  endpointsAddressCountMax,
  headlessServiceLabel,
  lastChangeTriggerTimeAnnotation,
  overCapacityAnnotation,
  planEndpointsWrite,
  truncateSubsets,
} from './endpoints-plan.js';
import type { EndpointAddress, EndpointSubset } from './endpoints-repack.js';

const service: KubeObject = {
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
  spec: { clusterIP: '10.96.0.1', selector: { app: 'web' } },
};
const subsets: EndpointSubset[] = [
  {
    addresses: [
      { ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', name: 'a', uid: 'u' } },
    ],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
];

function stored(extra: Partial<KubeObject['metadata']> = {}, storedSubsets: unknown = subsets) {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'web',
      namespace: 'ns',
      resourceVersion: '5',
      uid: 'e1',
      labels: { app: 'web' },
      ...extra,
    },
    subsets: storedSubsets,
  } as KubeObject;
}

const ipsOf = (count: number, prefix: string): EndpointAddress[] =>
  Array.from({ length: count }, (_, i) => ({ ip: `${prefix}.${i}` }));

describe('planEndpointsWrite', () => {
  it('creates an Endpoints named after the service with its labels and the trigger time', () => {
    const write = planEndpointsWrite({ service, subsets, current: undefined, triggerTimeMs: 0 });
    expect(write).toEqual({
      kind: 'create',
      endpoints: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          name: 'web',
          labels: { app: 'web' },
          annotations: { [lastChangeTriggerTimeAnnotation]: '1970-01-01T00:00:00Z' },
        },
        subsets,
      },
    });
  });

  it('writes nothing when subsets (ignoring target resourceVersions) and labels match', () => {
    const withVersions = [
      {
        ...subsets[0],
        addresses: [
          {
            ...subsets[0]?.addresses?.[0],
            targetRef: { kind: 'Pod', name: 'a', uid: 'u', resourceVersion: '9' },
          },
        ],
      },
    ];
    const current = stored(
      { annotations: { [lastChangeTriggerTimeAnnotation]: 'old' } },
      withVersions,
    );
    expect(planEndpointsWrite({ service, subsets, current, triggerTimeMs: 99_000 })).toEqual({
      kind: 'unchanged',
    });
  });

  it('ignores the headless label when comparing labels', () => {
    const current = stored({ labels: { app: 'web', [headlessServiceLabel]: '' } });
    expect(planEndpointsWrite({ service, subsets, current, triggerTimeMs: undefined }).kind).toBe(
      'unchanged',
    );
  });

  it('updates the cached object when the labels differ, keeping its metadata', () => {
    const current = stored({ labels: { app: 'old' }, annotations: { keep: 'me' } });
    const write = planEndpointsWrite({ service, subsets, current, triggerTimeMs: undefined });
    expect(write.kind).toBe('update');
    const endpoints = (write as { endpoints: KubeObject }).endpoints;
    expect(endpoints.metadata).toEqual({
      name: 'web',
      namespace: 'ns',
      resourceVersion: '5',
      uid: 'e1',
      labels: { app: 'web' },
      annotations: { keep: 'me' },
    });
  });

  it('labels the Endpoints of a service without a cluster IP as headless', () => {
    const headless = { ...service, spec: { selector: { app: 'web' } } };
    const write = planEndpointsWrite({
      service: headless,
      subsets,
      current: undefined,
      triggerTimeMs: undefined,
    });
    expect((write as { endpoints: KubeObject }).endpoints.metadata.labels).toEqual({
      app: 'web',
      [headlessServiceLabel]: '',
    });
  });

  it('leaves subsets out when there are none, as Go omits an empty list', () => {
    const current = stored({}, subsets);
    const write = planEndpointsWrite({ service, subsets: [], current, triggerTimeMs: undefined });
    expect(write.kind).toBe('update');
    expect((write as { endpoints: KubeObject }).endpoints).not.toHaveProperty('subsets');
  });

  it('rewrites an over-capacity annotation that is no longer true', () => {
    const current = stored({ annotations: { [overCapacityAnnotation]: 'truncated' } });
    const write = planEndpointsWrite({ service, subsets, current, triggerTimeMs: undefined });
    expect(write.kind).toBe('update');
    expect((write as { endpoints: KubeObject }).endpoints.metadata.annotations).toBeUndefined();
  });

  it('truncates past capacity and says so in an annotation', () => {
    const big = [
      { addresses: ipsOf(endpointsAddressCountMax + 5, '10.0.0'), ports: [{ port: 80 }] },
    ];
    const write = planEndpointsWrite({
      service,
      subsets: big,
      current: undefined,
      triggerTimeMs: undefined,
    });
    const endpoints = (write as { endpoints: KubeObject }).endpoints;
    expect((endpoints.subsets as EndpointSubset[])[0]?.addresses).toHaveLength(
      endpointsAddressCountMax,
    );
    expect(endpoints.metadata.annotations).toEqual({ [overCapacityAnnotation]: 'truncated' });
  });
});

describe('truncateSubsets', () => {
  it('leaves subsets within capacity alone', () => {
    expect(truncateSubsets([{ addresses: ipsOf(3, 'a') }], 3)).toBeUndefined();
  });

  it('cuts not-ready addresses first, in proportion to each subset', () => {
    const cut = truncateSubsets(
      [
        { addresses: ipsOf(2, 'a'), notReadyAddresses: ipsOf(6, 'b') },
        { notReadyAddresses: ipsOf(2, 'c') },
      ],
      6,
    );
    // room for 4 not-ready: ceil(6/8 × 4) = 3, then min(ceil(2/8 × 4), 1) = 1.
    expect(cut?.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0])).toEqual([
      [2, 3],
      [0, 1],
    ]);
  });

  it('drops every not-ready address and cuts ready ones when ready alone exceed capacity', () => {
    const cut = truncateSubsets(
      [
        { addresses: ipsOf(5, 'a'), notReadyAddresses: ipsOf(2, 'b') },
        { addresses: ipsOf(3, 'c') },
      ],
      4,
    );
    // ceil(5/8 × 4) = 3, then min(ceil(3/8 × 4), 1) = 1.
    expect(cut?.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0])).toEqual([
      [3, 0],
      [1, 0],
    ]);
  });
});
