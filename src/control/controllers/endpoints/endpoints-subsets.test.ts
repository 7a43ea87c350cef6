// Tests of the pure service/pod reads: selection, publication rules, addresses, FindPort and
// the desired subsets of a service.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import {
  desiredSubsets,
  findPodPort,
  podEndpointAddress,
  serviceSelector,
  serviceSkipReason,
  shouldPodBeInEndpoints,
} from './endpoints-subsets.js';

function pod(name: string, options: { ip?: string; ready?: boolean; extra?: object } = {}) {
  const { ip = '10.0.0.1', ready = true, extra = {} } = options;
  return {
    metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '7' },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
      ],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
    ...extra,
  } as KubeObject;
}

function service(spec: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'ns' },
    spec: { selector: { app: 'web' }, ...spec },
  };
}

describe('service reads', () => {
  it('treats an absent or empty selector as no selector', () => {
    expect(serviceSelector(service({ selector: {} }))).toBeUndefined();
    expect(serviceSkipReason(service({ selector: undefined }))).toBe('noSelector');
    expect(serviceSkipReason(service({ type: 'ExternalName' }))).toBe('externalName');
    expect(serviceSkipReason(service({}))).toBeUndefined();
  });
});

describe('shouldPodBeInEndpoints', () => {
  it.each([
    ['a running pod with an IP', pod('a'), false, true],
    ['a pod without an IP', pod('a', { ip: '' }), false, false],
    [
      'a succeeded pod',
      pod('a', { extra: { status: { phase: 'Succeeded', podIP: '1.1.1.1' } } }),
      false,
      false,
    ],
    [
      'a terminating pod',
      { ...pod('a'), metadata: { name: 'a', deletionTimestamp: 'x' } },
      false,
      false,
    ],
    [
      'a terminating pod when included',
      { ...pod('a'), metadata: { name: 'a', deletionTimestamp: 'x' } },
      true,
      true,
    ],
  ])('decides for %s', (_what, subject, includeTerminating, expected) => {
    expect(shouldPodBeInEndpoints(subject as KubeObject, includeTerminating)).toBe(expected);
  });
});

describe('findPodPort', () => {
  const subject = pod('a', {
    extra: {
      spec: {
        containers: [{ name: 'app', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }],
        initContainers: [
          { name: 'init', ports: [{ name: 'metrics', containerPort: 9000 }] },
          {
            name: 'proxy',
            restartPolicy: 'Always',
            ports: [{ name: 'https', containerPort: 8443 }],
          },
        ],
      },
    },
  });
  it.each([
    ['a number as is', { port: 80, targetPort: 8080 }, 8080],
    ['a name with its protocol', { port: 53, targetPort: 'dns', protocol: 'UDP' }, 53],
    [
      'a name with another protocol: nothing',
      { port: 53, targetPort: 'dns', protocol: 'TCP' },
      undefined,
    ],
    ['a sidecar container port', { port: 443, targetPort: 'https', protocol: 'TCP' }, 8443],
    ['an ordinary init container port: nothing', { port: 9, targetPort: 'metrics' }, undefined],
  ])('resolves %s', (_what, servicePort, expected) => {
    expect(findPodPort(subject, servicePort)).toBe(expected);
  });
});

describe('podEndpointAddress', () => {
  it('carries ip, nodeName and a Pod targetRef without resourceVersion', () => {
    expect(podEndpointAddress(service({}), pod('a'))).toEqual({
      ip: '10.0.0.1',
      nodeName: 'node-1',
      targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' },
    });
  });

  it('sets the hostname only when the pod names the service as its subdomain', () => {
    const named = (subdomain: string) =>
      pod('a', { extra: { spec: { hostname: 'db-0', subdomain, containers: [] } } });
    expect(podEndpointAddress(service({}), named('web'))?.hostname).toBe('db-0');
    expect(podEndpointAddress(service({}), named('other'))?.hostname).toBeUndefined();
  });

  it('picks the pod IP of the service family from podIPs', () => {
    const dual = pod('a', {
      extra: { status: { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] } },
    });
    expect(podEndpointAddress(service({ ipFamilies: ['IPv6'] }), dual)?.ip).toBe('fd00::5');
    expect(podEndpointAddress(service({ clusterIP: '10.96.0.10' }), dual)?.ip).toBe('10.0.0.5');
    const v4only = pod('b');
    expect(podEndpointAddress(service({ ipFamilies: ['IPv6'] }), v4only)).toBeUndefined();
  });
});

describe('desiredSubsets', () => {
  const ports = [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }];

  it('splits ready and not-ready pods of one port into one subset', () => {
    const result = desiredSubsets(service({ ports }), [
      pod('b', { ip: '10.0.0.2', ready: false }),
      pod('a', { ip: '10.0.0.1' }),
    ]);
    expect(result.readyCount).toBe(1);
    expect(result.notReadyCount).toBe(1);
    expect(result.subsets).toHaveLength(1);
    expect(result.subsets[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
    expect(result.subsets[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual(['10.0.0.2']);
    expect(result.subsets[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('publishes not-ready pods as ready when publishNotReadyAddresses is set', () => {
    const result = desiredSubsets(service({ ports, publishNotReadyAddresses: true }), [
      pod('a', { ready: false }),
    ]);
    expect(result.subsets[0]?.addresses).toHaveLength(1);
    expect(result.subsets[0]?.notReadyAddresses).toBeUndefined();
  });

  it('skips a pod whose named port is missing', () => {
    const result = desiredSubsets(service({ ports: [{ port: 80, targetPort: 'grpc' }] }), [
      pod('a'),
    ]);
    expect(result.subsets).toEqual([]);
  });

  it('publishes addresses without ports only for a headless service', () => {
    expect(desiredSubsets(service({ clusterIP: 'None' }), [pod('a')]).subsets).toEqual([
      { addresses: [expect.objectContaining({ ip: '10.0.0.1' })] },
    ]);
    expect(desiredSubsets(service({}), [pod('a')]).subsets).toEqual([]);
  });
});
