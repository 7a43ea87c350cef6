// How the Linux runtime derives a container's argv, environment and cgroup cpu quota.

import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import { cpuQuotaUs } from './container-cgroup.js';
import type { StoredImage } from './image-files.js';
import { containerArgv, containerEnv, exitReason } from './runtime-records.js';
import { containerConfig } from './testing/linux-fixture.js';

const image = { entrypoint: ['/entry'], cmd: ['serve'] } as unknown as StoredImage;

describe('runtime records', () => {
  it('builds argv as an OCI runtime does', () => {
    expect(containerArgv(containerConfig('c', ['sleep', '1']), image)).toEqual(['sleep', '1']);
    expect(containerArgv(containerConfig('c', []), image)).toEqual(['/entry', 'serve']);
    const withArgs = { ...containerConfig('c', []), args: ['--port', '80'] };
    expect(containerArgv(withArgs, image)).toEqual(['/entry', '--port', '80']);
    const empty = { entrypoint: [], cmd: [] } as unknown as StoredImage;
    expect(() => containerArgv(containerConfig('c', []), empty)).toThrow(RuntimeError);
  });

  it('puts defaults first and lets later entries override earlier ones', () => {
    const config = containerConfig('c', ['x'], {
      env: [
        { name: 'A', value: '1' },
        { name: 'PATH', value: '/bin' },
        { name: 'A', value: '2' },
      ],
    });
    expect([...containerEnv(config, 'pod-1')]).toEqual([
      ['HOSTNAME', 'pod-1'],
      ['HOME', '/root'],
      ['PATH', '/bin'],
      ['A', '2'],
    ]);
    const bad = containerConfig('c', ['x'], { env: [{ name: 'A=B', value: '' }] });
    expect(() => containerEnv(bad, 'p')).toThrow(/invalid environment variable/);
  });

  it('computes the cpu quota like the kubelet and names exits like containerd', () => {
    expect(cpuQuotaUs(250)).toBe(25_000);
    expect(cpuQuotaUs(1)).toBe(1_000);
    expect(cpuQuotaUs(2500)).toBe(250_000);
    expect(exitReason(0, false)).toBe('Completed');
    expect(exitReason(1, false)).toBe('Error');
    expect(exitReason(137, true)).toBe('OOMKilled');
  });
});
