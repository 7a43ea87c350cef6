// Real kubectl against `miniku apiserver`: the HTTP transport and server proven with a real client.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServerCommand } from '../../src/cli/apiserver-command.js';

const run = promisify(execFile);

function findKubectl(): string | undefined {
  const local = resolve('.tools/kubectl/usr/bin/kubectl');
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'kubectl');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const kubectl = findKubectl();
const podYaml = `apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels:
    app: hello
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

describe.skipIf(kubectl === undefined)('kubectl against miniku apiserver', () => {
  let dir = '';
  let kubeconfig = '';
  let server: { close(): Promise<void> } | undefined;
  const quietStdout = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-kubectl-'));
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      server = await startApiServerCommand({ port: '0', dataDir: dir, seed: 'kubectl-test' });
    } finally {
      process.stdout.write = quietStdout;
    }
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(join(dir, 'pod.yaml'), podYaml);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function kc(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const env = { ...process.env, HOME: dir, KUBECONFIG: kubeconfig };
    return run(
      kubectl as string,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      {
        env,
        timeout: 30_000,
      },
    );
  }

  it('lists no pods in an empty cluster', async () => {
    const { stdout, stderr } = await kc('get', 'pods');
    expect(stdout).toBe('');
    expect(stderr).toContain('No resources found in default namespace.');
  });

  it('lists no nodes', async () => {
    const { stderr } = await kc('get', 'nodes');
    expect(stderr).toContain('No resources found');
  });

  it('creates a pod from a file and reads it back', async () => {
    const created = await kc('create', '-f', join(dir, 'pod.yaml'));
    expect(created.stdout.trim()).toBe('pod/hello created');
    const listed = await kc('get', 'pods');
    expect(listed.stdout).toMatch(/^NAME\s+.*\nhello\s+/);
    const json = JSON.parse((await kc('get', 'pod', 'hello', '-o', 'json')).stdout);
    expect(json.metadata.name).toBe('hello');
    expect(json.metadata.namespace).toBe('default');
    expect(json.spec.containers[0].command).toEqual(['sleep', '3600']);
    expect(json.spec.restartPolicy).toBe('Always');
    expect(json.status.phase).toBe('Pending');
  });

  it('reports a second create as AlreadyExists', async () => {
    await expect(kc('create', '-f', join(dir, 'pod.yaml'))).rejects.toMatchObject({
      stderr: expect.stringContaining('Error from server (AlreadyExists): error when creating'),
    });
  });

  it('selects pods by label and deletes one', async () => {
    const selected = await kc('get', 'pods', '-l', 'app=hello', '-o', 'name');
    expect(selected.stdout.trim()).toBe('pod/hello');
    const deleted = await kc('delete', 'pod', 'hello');
    expect(deleted.stdout.trim()).toBe('pod "hello" deleted');
    const { stderr } = await kc('get', 'pods');
    expect(stderr).toContain('No resources found in default namespace.');
  });
});
