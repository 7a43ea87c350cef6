// Reading a component's API server access from a kubeconfig or from --server/--token flags.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MinikuError } from './errors.js';
import { kubeconfigText } from './kubeconfig.js';
import { readKubeconfig, serverAccess } from './real-kubeconfig.js';

describe('readKubeconfig and serverAccess', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'miniku-kubeconfig-'));
    dirs.push(dir);
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  }

  it('reads the server and token of the kubeconfig miniku writes', () => {
    const plain = file('kubeconfig', kubeconfigText('http://127.0.0.1:6443'));
    expect(readKubeconfig(plain)).toEqual({ serverUrl: 'http://127.0.0.1:6443' });
    const withToken = file('kubeconfig', kubeconfigText('http://127.0.0.1:7000', 's3cret'));
    expect(readKubeconfig(withToken)).toEqual({
      serverUrl: 'http://127.0.0.1:7000',
      bearerToken: 's3cret',
    });
  });

  it('reads a tokenFile relative to the kubeconfig', () => {
    const text = kubeconfigText('http://127.0.0.1:6443').replace(
      'user: {}',
      'user:\n    tokenFile: token',
    );
    const path = file('kubeconfig', text);
    writeFileSync(join(path, '..', 'token'), 'from-file\n');
    expect(readKubeconfig(path).bearerToken).toBe('from-file');
  });

  it('explains a missing context or a non-http server in one line', () => {
    const noContext = file('kc', 'apiVersion: v1\nkind: Config\ncurrent-context: x\n');
    expect(() => readKubeconfig(noContext)).toThrow(/no context "x"/);
    const https = file('kc', kubeconfigText('https://10.0.0.1:6443'));
    expect(() => readKubeconfig(https)).toThrow(MinikuError);
    expect(() => readKubeconfig('/nonexistent/kubeconfig')).toThrow(/Cannot read kubeconfig/);
  });

  it('takes --server with --token or --token-file', () => {
    expect(serverAccess({ server: 'http://127.0.0.1:1', token: 't' })).toEqual({
      serverUrl: 'http://127.0.0.1:1',
      bearerToken: 't',
    });
    const tokenFile = file('token', ' tok \n');
    expect(serverAccess({ server: 'http://127.0.0.1:1', tokenFile }).bearerToken).toBe('tok');
    expect(() => serverAccess({ server: '127.0.0.1:1' })).toThrow(/--server/);
  });
});
