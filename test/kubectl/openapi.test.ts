// Real kubectl against an API server that serves the generated /openapi/v3 documents: strict
// field validation, client-side apply patch metadata and `kubectl explain` all read them.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigText } from '../../src/cli/kubeconfig.js';
import { createApiServer } from '../../src/control/apiserver/api-server.js';
import { OpenApiDocuments } from '../../src/control/apiserver/openapi/documents.js';
import { handleOpenApiV3 } from '../../src/control/apiserver/openapi/handler.js';
import type {
  HandlerResult,
  RequestHandler,
  TransportRequest,
} from '../../src/control/ports/transport.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import { MemoryBackend } from '../../src/control/store/memory-backend.js';
import { createVersionedStore } from '../../src/control/store/versioned-store.js';
import type { HttpServer } from '../../src/runtime/http-server.js';
import { startHttpServer } from '../../src/runtime/http-server.js';
import { WallClock } from '../../src/runtime/wall-clock.js';

const run = promisify(execFile);

function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'kubectl');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const kubectl = findKubectl();

/** Serves /openapi/v3 from the generator, hands everything else to the API server, and logs. */
class OpenApiFront implements RequestHandler {
  readonly requests: TransportRequest[] = [];
  readonly #documents = new OpenApiDocuments();
  constructor(private readonly api: RequestHandler) {}

  async handle(request: TransportRequest): Promise<HandlerResult> {
    this.requests.push(request);
    return handleOpenApiV3(this.#documents, request) ?? this.api.handle(request);
  }
}

function podYaml(name: string, containerExtra: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  containers:',
    '  - name: main',
    '    image: busybox:1.36',
    ...(containerExtra === '' ? [] : [`    ${containerExtra}`]),
    '',
  ].join('\n');
}

function deploymentYaml(image: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '      - name: web',
    `        image: ${image}`,
    '        ports:',
    '        - containerPort: 80',
    '',
  ].join('\n');
}

describe('OpenAPI v3 generation', () => {
  it('builds every group-version document in under 200 ms', () => {
    const startMs = performance.now();
    const documents = new OpenApiDocuments();
    const index = JSON.parse(documents.openApiV3Index()) as { paths: Record<string, unknown> };
    for (const path of Object.keys(index.paths)) documents.openApiV3Document(path);
    expect(performance.now() - startMs).toBeLessThan(200);
  });
});

describe.skipIf(kubectl === undefined)('kubectl with miniku OpenAPI v3 documents', () => {
  let dir = '';
  let kubeconfig = '';
  let server: HttpServer | undefined;
  let front: OpenApiFront;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'miniku-openapi-'));
    const store = await createVersionedStore({ backend: new MemoryBackend() });
    const api = await createApiServer({
      store,
      clock: new WallClock(),
      rng: createRng('openapi-test', 'apiserver'),
    });
    front = new OpenApiFront(api);
    server = await startHttpServer({ handler: front, host: '127.0.0.1', port: 0 });
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText(server.url));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function kc(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir };
    env.KUBECONFIG = kubeconfig;
    return run(
      kubectl as string,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env, timeout: 30_000 },
    );
  }

  function writeManifest(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('rejects a misspelt field through server-side strict validation', async () => {
    const path = writeManifest('bad-pod.yaml', podYaml('bad', 'imagePullPolicyy: Always'));
    await expect(kc('create', '-f', path)).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: ' +
          'unknown field "spec.containers[0].imagePullPolicyy"',
      ),
    });
    const create = front.requests.find((r) => r.method === 'POST' && r.path.endsWith('/pods'));
    expect(create?.query.fieldValidation).toBe('Strict');
    const fetched = front.requests.map((r) => r.path);
    expect(fetched).toContain('/openapi/v3');
    expect(fetched).toContain('/openapi/v3/api/v1');
    // The v3 document declared server-side validation, so kubectl skipped its v2 client check.
    expect(fetched).not.toContain('/openapi/v2');
  });

  it('creates a pod from a correct manifest', async () => {
    const path = writeManifest('good-pod.yaml', podYaml('good', 'imagePullPolicy: Always'));
    const { stdout } = await kc('create', '-f', path);
    expect(stdout.trim()).toBe('pod/good created');
  });

  it('explains pods.spec.containers from the served document', async () => {
    const { stdout } = await kc('explain', 'pods.spec.containers');
    expect(stdout).toContain('KIND:       Pod');
    expect(stdout).toContain('VERSION:    v1');
    expect(stdout).toMatch(/FIELD: containers <\[\]Container>/);
    expect(stdout).toContain('The containers of the pod; at least one.');
    expect(stdout).toContain('A container run in a pod.');
    expect(stdout).toMatch(/imagePullPolicy\t<string>\n\s+enum: Always, IfNotPresent, Never/);
  });

  it('applies a changed deployment with a strategic merge patch from the v3 metadata', async () => {
    const first = await kc('apply', '-f', writeManifest('web-1.yaml', deploymentYaml('nginx:1')));
    expect(first.stdout.trim()).toBe('deployment.apps/web created');
    const before = front.requests.length;
    const second = await kc('apply', '-f', writeManifest('web-2.yaml', deploymentYaml('nginx:2')));
    expect(second.stdout.trim()).toBe('deployment.apps/web configured');
    expect(second.stderr).not.toContain('warning');
    const during = front.requests.slice(before);
    // A patch built from the v3 metadata leaves kubectl no reason to read /openapi/v2.
    expect(during.map((r) => r.path)).not.toContain('/openapi/v2');
    const patch = during.find((r) => r.method === 'PATCH');
    expect(patch?.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(patch?.query.fieldValidation).toBe('Strict');
    const body = JSON.parse(patch?.body ?? '{}');
    expect(body.spec.template.spec['$setElementOrder/containers']).toEqual([{ name: 'web' }]);
    expect(body.spec.template.spec.containers).toEqual([{ image: 'nginx:2', name: 'web' }]);
  });
});
