// Tests of which services a pod event concerns.

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/types.js';
import type { ServicesSelecting } from './pod-changes.js';
import { podEndpointsChanged, servicesForPod, servicesForPodUpdate } from './pod-changes.js';

/** Services in ns: `ns/app` selects app=web, `ns/tier` selects tier=front. */
const selecting: ServicesSelecting = (namespace, labels) => {
  const keys = new Set<string>();
  if (labels.app === 'web') keys.add(`${namespace}/app`);
  if (labels.tier === 'front') keys.add(`${namespace}/tier`);
  return keys;
};

function pod(resourceVersion: string, labels: Record<string, string>, extra: object = {}) {
  return {
    metadata: { name: 'p', namespace: 'ns', resourceVersion, labels },
    spec: {},
    status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  } as KubeObject;
}

const both = { app: 'web', tier: 'front' };

describe('podEndpointsChanged', () => {
  it.each([
    ['nothing relevant', pod('2', both), false, false],
    ['readiness', pod('2', both, { status: { podIP: '10.0.0.1', conditions: [] } }), true, false],
    [
      'the IP',
      pod('2', both, {
        status: { podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: 'True' }] },
      }),
      true,
      false,
    ],
    [
      'a deletion timestamp',
      { ...pod('2', both), metadata: { ...pod('2', both).metadata, deletionTimestamp: 'x' } },
      true,
      false,
    ],
    ['the labels', pod('2', { app: 'web' }), false, true],
    ['the hostname', pod('2', both, { spec: { hostname: 'h' } }), false, true],
  ])('notices a change of %s', (_what, next, podChanged, labelsChanged) => {
    expect(podEndpointsChanged(pod('1', both), next as KubeObject)).toEqual({
      podChanged,
      labelsChanged,
    });
  });
});

describe('services for pod events', () => {
  it('names every service selecting an added or deleted pod, in key order', () => {
    expect(servicesForPod(pod('1', both), selecting)).toEqual(['ns/app', 'ns/tier']);
  });

  it('ignores a resync (same resourceVersion) and irrelevant updates', () => {
    expect(servicesForPodUpdate(pod('1', both), pod('1', {}), selecting)).toEqual([]);
    const annotated = pod('2', both, {
      metadata: {
        name: 'p',
        namespace: 'ns',
        resourceVersion: '2',
        labels: both,
        annotations: { a: 'b' },
      },
    });
    expect(servicesForPodUpdate(pod('1', both), annotated, selecting)).toEqual([]);
  });

  it('names only the services gained or lost when only the labels changed', () => {
    const next = pod('2', { app: 'web' });
    expect(servicesForPodUpdate(pod('1', both), next, selecting)).toEqual(['ns/tier']);
  });

  it('names the union of old and new services when the pod changed too', () => {
    const next = pod('2', { app: 'web' }, { status: { podIP: '10.0.0.1', conditions: [] } });
    expect(servicesForPodUpdate(pod('1', both), next, selecting)).toEqual(['ns/app', 'ns/tier']);
  });
});
