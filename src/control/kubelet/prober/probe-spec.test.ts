// Tests of probe spec reading: defaults, handlers, port resolution and command expansion.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import {
  expandStaticEnv,
  findContainerSpec,
  goAtoi,
  readProbeSpec,
  resolveContainerPort,
} from './probe-spec.js';

describe('readProbeSpec', () => {
  it('applies upstream defaults, treating zero as unset', () => {
    const container = {
      name: 'app',
      livenessProbe: { exec: { command: ['true'] }, periodSeconds: 0 },
    };
    expect(readProbeSpec(container, 'liveness')).toEqual({
      kind: 'liveness',
      handler: { type: 'exec', command: ['true'] },
      initialDelaySeconds: 0,
      periodMs: 10_000,
      timeoutMs: 1_000,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it('keeps given values and reads each handler type', () => {
    const container: JsonObject = {
      name: 'app',
      readinessProbe: {
        httpGet: {
          path: '/healthz',
          port: 'http',
          scheme: 'HTTPS',
          httpHeaders: [{ name: 'X-Probe', value: '1' }],
        },
        initialDelaySeconds: 5,
        periodSeconds: 3,
        timeoutSeconds: 2,
        successThreshold: 2,
        failureThreshold: 7,
      },
      startupProbe: { tcpSocket: { port: 5432, host: 'db' } },
      livenessProbe: { grpc: { port: 9000, service: 'health' } },
    };
    expect(readProbeSpec(container, 'readiness')).toEqual({
      kind: 'readiness',
      handler: {
        type: 'httpGet',
        path: '/healthz',
        port: 'http',
        host: '',
        scheme: 'HTTPS',
        headers: [{ name: 'X-Probe', value: '1' }],
      },
      initialDelaySeconds: 5,
      periodMs: 3_000,
      timeoutMs: 2_000,
      successThreshold: 2,
      failureThreshold: 7,
    });
    expect(readProbeSpec(container, 'startup')?.handler).toEqual({
      type: 'tcpSocket',
      port: 5432,
      host: 'db',
    });
    expect(readProbeSpec(container, 'liveness')?.handler).toEqual({
      type: 'grpc',
      port: 9000,
      service: 'health',
    });
  });

  it('returns undefined without the probe and a none handler for an empty one', () => {
    expect(readProbeSpec({ name: 'app' }, 'readiness')).toBeUndefined();
    expect(readProbeSpec({ name: 'app', readinessProbe: {} }, 'readiness')?.handler).toEqual({
      type: 'none',
    });
  });
});

describe('findContainerSpec', () => {
  const pod = {
    spec: {
      initContainers: [{ name: 'sidecar', restartPolicy: 'Always' }],
      containers: [{ name: 'app' }],
    },
  };

  it('finds app containers, then init containers, else nothing', () => {
    expect(findContainerSpec(pod, 'app')).toEqual({ name: 'app' });
    expect(findContainerSpec(pod, 'sidecar')?.name).toBe('sidecar');
    expect(findContainerSpec(pod, 'ghost')).toBeUndefined();
  });
});

describe('resolveContainerPort', () => {
  const container = {
    name: 'app',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ],
  };

  it.each<[number | string, { port: number } | { error: string }]>([
    [80, { port: 80 }],
    ['http', { port: 8080 }],
    ['metrics', { port: 9090 }],
    ['8081', { port: 8081 }],
    ['+81', { port: 81 }],
    ['admin', { error: 'strconv.Atoi: parsing "admin": invalid syntax' }],
    ['', { error: 'strconv.Atoi: parsing "": invalid syntax' }],
    [0, { error: 'invalid port number: 0' }],
    [65536, { error: 'invalid port number: 65536' }],
    ['-5', { error: 'invalid port number: -5' }],
  ])('resolves %j to %j', (port, expected) => {
    expect(resolveContainerPort(port, container)).toEqual(expected);
  });

  it('reports out-of-range numbers like Go', () => {
    expect(goAtoi('99999999999999999999')).toEqual({
      error: 'strconv.Atoi: parsing "99999999999999999999": value out of range',
    });
    expect(goAtoi('9223372036854775807')).toEqual({ value: 9223372036854775807 });
  });
});

describe('expandStaticEnv', () => {
  const container: JsonObject = {
    name: 'app',
    env: [
      { name: 'PORT', value: '8080' },
      { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ],
  };

  it.each([
    ['curl localhost:$(PORT)/healthz', 'curl localhost:8080/healthz'],
    ['$(MISSING)', '$(MISSING)'],
    ['$(SECRET)', ''],
    ['$$(PORT)', '$(PORT)'],
    ['cost $5 and $', 'cost $5 and $'],
    ['$(PORT', '$(PORT'],
    ['$()', '$()'],
  ])('expands %j to %j', (input, expected) => {
    expect(expandStaticEnv([input], container)).toEqual([expected]);
  });
});
