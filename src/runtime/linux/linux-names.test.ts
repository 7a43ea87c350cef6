// Names that reach paths, hostnames and cgroups are validated before the Linux runtime uses them.

import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import { checkContainerName, checkSandboxConfig, podHostname } from './linux-names.js';
import { sandboxConfig } from './testing/linux-fixture.js';

describe('Linux runtime names', () => {
  it('cuts hostnames at 63 bytes without a trailing dash or dot, as the kubelet does', () => {
    expect(podHostname('web-1')).toBe('web-1');
    const long = `${'a'.repeat(62)}-b`;
    expect(podHostname(long)).toBe('a'.repeat(62));
  });

  it('refuses sandbox and container names that are not DNS-1123 names', () => {
    expect(() => checkSandboxConfig(sandboxConfig('web-1'))).not.toThrow();
    for (const name of ['../x', 'a/b', 'UP', '', 'a..b']) {
      expect(() => checkSandboxConfig({ ...sandboxConfig('ok'), name })).toThrow(RuntimeError);
    }
    expect(() => checkSandboxConfig({ ...sandboxConfig('ok'), namespace: 'a.b' })).toThrow(
      /namespace/,
    );
    expect(() => checkSandboxConfig({ ...sandboxConfig('ok'), uid: '../../x' })).toThrow(/uid/);
    expect(() => checkContainerName('main')).not.toThrow();
    expect(() => checkContainerName('../main')).toThrow(RuntimeError);
  });
});
