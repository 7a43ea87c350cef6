// Tests of the sandbox and container configs handed to the runtime.

import { describe, expect, it } from 'vitest';
import { runtimeLabels } from '../ports/container-runtime.js';
import { podContainers } from './pod-view.js';
import { ContainerConfigError, containerConfig, sandboxConfig } from './runtime-configs.js';
import { fixturePod } from './testing/runtime-fixtures.js';

const pod = fixturePod(
  {
    nodeName: 'worker-1',
    containers: [
      {
        name: 'app',
        image: 'img:1',
        command: ['/bin/app'],
        args: ['--port', '80'],
        env: [
          { name: 'PLAIN', value: 'x' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
        ],
        resources: { limits: { memory: '256Mi', cpu: '500m' } },
      },
      {
        name: 'secretive',
        image: 'img:1',
        env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      },
    ],
  },
  { labels: { tier: 'web' } },
);

describe('runtime configs', () => {
  it('label the sandbox and containers so a restarted kubelet can find them', () => {
    const sandbox = sandboxConfig(pod, 2);
    expect(sandbox).toMatchObject({ name: 'p', namespace: 'default', uid: 'uid-1', attempt: 2 });
    expect(sandbox.labels).toMatchObject({ tier: 'web', [runtimeLabels.podUid]: 'uid-1' });
    const app = podContainers(pod)[0];
    if (app === undefined) throw new Error('no container');
    const config = containerConfig(pod, app, 3, { podIp: '10.0.0.5', hostIp: '192.168.0.1' });
    expect(config.labels).toEqual({
      [runtimeLabels.podName]: 'p',
      [runtimeLabels.podNamespace]: 'default',
      [runtimeLabels.podUid]: 'uid-1',
      [runtimeLabels.containerName]: 'app',
      [runtimeLabels.attempt]: '3',
    });
    expect(config).toMatchObject({ command: ['/bin/app'], args: ['--port', '80'], attempt: 3 });
    expect(config.env).toEqual([
      { name: 'PLAIN', value: 'x' },
      { name: 'POD', value: 'p' },
      { name: 'IP', value: '10.0.0.5' },
      { name: 'TIER', value: 'web' },
    ]);
    expect(config.limits).toEqual({ memoryBytes: 268435456, cpuMillis: 500, pidsMax: 0 });
  });

  it('refuse env sources the kubelet cannot resolve', () => {
    const secretive = podContainers(pod)[1];
    if (secretive === undefined) throw new Error('no container');
    expect(() => containerConfig(pod, secretive, 0, { podIp: '', hostIp: '' })).toThrow(
      ContainerConfigError,
    );
  });
});
