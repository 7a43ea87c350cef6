// `miniku apiserver --token-file` on 127.0.0.1: every request needs a listed bearer token, and
// the server's own namespace controller uses the file's first token.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKubectl, startKubectlSession, type KubectlSession } from './kubectl-helpers.js';

const tokensDir = mkdtempSync(join(tmpdir(), 'miniku-tokens-'));
const tokenFile = join(tokensDir, 'tokens.csv');
writeFileSync(tokenFile, 'admin-token,admin,1,"system:masters"\nview-token,viewer,2\n');

const unauthorized = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

async function fetchJson(url: string, token?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(url, { headers });
  return { status: response.status, json: await response.json() };
}

describe('miniku apiserver with a token file', () => {
  let session: KubectlSession;

  beforeAll(async () => {
    const kubectl = findKubectl() ?? 'kubectl';
    session = await startKubectlSession(kubectl, {
      seed: 'tokens',
      tokenFile,
      apiToken: 'view-token',
    });
  });

  afterAll(async () => {
    await session?.close();
    rmSync(tokensDir, { recursive: true, force: true });
  });

  it('answers 401 Unauthorized to requests without a listed token, health checks included', async () => {
    for (const path of ['/api/v1/namespaces', '/healthz', '/version']) {
      expect(await fetchJson(`${session.url}${path}`)).toEqual({ status: 401, json: unauthorized });
      expect(await fetchJson(`${session.url}${path}`, 'not-a-token')).toEqual({
        status: 401,
        json: unauthorized,
      });
    }
  });

  it('serves any listed token', async () => {
    for (const token of ['admin-token', 'view-token']) {
      const reply = await fetchJson(`${session.url}/api/v1/namespaces`, token);
      expect(reply.status).toBe(200);
      expect(
        reply.json.items.map((n: { metadata: { name: string } }) => n.metadata.name),
      ).toContain('default');
    }
  });

  it("puts the file's first token in the kubeconfig", async () => {
    expect(readFileSync(join(session.dir, 'kubeconfig'), 'utf8')).toContain('token: "admin-token"');
  });

  // client-go applies a kubeconfig's credentials only to TLS connections, so kubectl needs the
  // server to speak HTTPS before --token-file helps it; until then it is refused like anyone.
  it.skipIf(findKubectl() === undefined)(
    'refuses kubectl, which sends kubeconfig tokens only over TLS',
    async () => {
      const refused = await session.kubectlFails('get', 'namespaces');
      expect(refused.stderr).toMatch(/Unauthorized|provide credentials/);
    },
  );

  it('lets its namespace controller through: a deleted namespace disappears', async () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch' } };
    expect((await session.api('POST', '/api/v1/namespaces', namespace)).status).toBe(201);
    expect((await session.api('DELETE', '/api/v1/namespaces/scratch')).status).toBe(200);
    let status = 200;
    for (let i = 0; i < 100 && status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await session.api('GET', '/api/v1/namespaces/scratch')).status;
    }
    expect(status).toBe(404);
  });
});
