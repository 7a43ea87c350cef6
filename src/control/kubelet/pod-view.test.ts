// Tests of the pod JSON readers.

import { describe, expect, it } from 'vitest';
import { defaultPullPolicy, podGraceSeconds } from './pod-view.js';

describe('pod view', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['registry:5000/app', 'Always'],
    ['registry:5000/app:v1', 'IfNotPresent'],
    ['app@sha256:abc', 'IfNotPresent'],
  ])('pulls %s with policy %s by default', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('takes the deletion grace period over the spec one', () => {
    expect(podGraceSeconds({ metadata: {}, spec: {} })).toBe(30);
    expect(podGraceSeconds({ metadata: {}, spec: { terminationGracePeriodSeconds: 5 } })).toBe(5);
    const deleting = {
      metadata: { deletionGracePeriodSeconds: 0 },
      spec: { terminationGracePeriodSeconds: 5 },
    };
    expect(podGraceSeconds(deleting)).toBe(0);
  });
});
