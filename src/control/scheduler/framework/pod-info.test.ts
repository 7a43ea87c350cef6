import { describe, expect, it } from 'vitest';
import { container, makePod } from '../../../../test/scheduler/fixtures.js';
import { hasPodAffinity, hasRequiredAntiAffinity, podInfoOf } from './pod-info.js';

describe('podInfoOf', () => {
  it('keys the pod by namespace/name and defaults the priority to 0', () => {
    const info = podInfoOf(makePod({ name: 'web', namespace: 'prod', labels: { app: 'web' } }));
    expect(info.key).toBe('prod/web');
    expect(info.priority).toBe(0);
    expect(info.labels).toEqual({ app: 'web' });
    expect(info.terminating).toBe(false);
  });

  it('reads spec.priority and the deletion timestamp', () => {
    const pod = makePod({ spec: { priority: 1000 } });
    const deleting = { ...pod, metadata: { name: 'p', deletionTimestamp: '2025-01-01T00:00:00Z' } };
    expect(podInfoOf(pod).priority).toBe(1000);
    expect(podInfoOf(deleting).terminating).toBe(true);
  });

  it('collects host ports with TCP and 0.0.0.0 defaults and skips container-only ports', () => {
    const pod = makePod({
      containers: [
        container(undefined, {
          ports: [
            { containerPort: 80, hostPort: 8080 },
            { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' },
            { containerPort: 9000 },
          ],
        }),
      ],
    });
    expect(podInfoOf(pod).hostPorts).toEqual([
      { ip: '0.0.0.0', protocol: 'TCP', port: 8080 },
      { ip: '10.0.0.1', protocol: 'UDP', port: 53 },
    ]);
  });

  it('tells pods with affinity and required anti-affinity apart', () => {
    const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: {} };
    const preferredOnly = podInfoOf(
      makePod({
        spec: {
          affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
        },
      }),
    );
    const required = podInfoOf(
      makePod({
        spec: {
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
        },
      }),
    );
    expect([hasPodAffinity(preferredOnly), hasRequiredAntiAffinity(preferredOnly)]).toEqual([
      true,
      false,
    ]);
    expect([hasPodAffinity(required), hasRequiredAntiAffinity(required)]).toEqual([true, true]);
    expect(hasPodAffinity(podInfoOf(makePod()))).toBe(false);
  });
});
