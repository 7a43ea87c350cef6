// Real kubectl against `miniku apiserver`: the HTTP transport and server proven with a real client.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectl, startKubectlSession, type KubectlSession } from './kubectl-helpers.js';

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
  let session: KubectlSession;
  let dir = '';

  beforeAll(async () => {
    session = await startKubectlSession(kubectl as string, 'kubectl-test');
    dir = session.dir;
    writeFileSync(join(dir, 'pod.yaml'), podYaml);
  });

  afterAll(async () => {
    await session.close();
  });

  const kc = (...args: string[]) => session.kubectl(...args);

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
