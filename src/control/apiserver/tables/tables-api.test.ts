// Table and metadata-only answers through the real API handler: list, get and watch.
import { describe, expect, it } from 'vitest';
import {
  epochMs,
  newHarness,
  podManifest,
  podsPath,
  type Harness,
} from '../../../../test/apiserver/harness.js';
import type { HandlerResult } from '../../ports/transport.js';

const tableAccept =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

async function get(h: Harness, path: string, accept: string, query: Record<string, string> = {}) {
  const result = await h.api.handle({
    method: 'GET',
    path,
    query,
    headers: { accept },
    body: '',
  });
  if (result.kind !== 'unary') throw new Error('expected a unary reply');
  return { status: result.response.status, json: JSON.parse(result.response.body) };
}

/** Opens a watch with the given Accept header and collects its lines. */
async function watch(h: Harness, accept: string, query: Record<string, string>) {
  const result: HandlerResult = await h.api.handle({
    method: 'GET',
    path: podsPath,
    query: { watch: 'true', ...query },
    headers: { accept },
    body: '',
  });
  if (result.kind !== 'stream') throw new Error(`expected a stream, got ${result.response.body}`);
  const events: Array<{ type: string; object: any }> = [];
  const close = result.open({
    write: (chunk) => {
      for (const line of chunk.split('\n')) if (line !== '') events.push(JSON.parse(line));
    },
    end: () => undefined,
  });
  return { events, close };
}

describe('Table output through the API handler', () => {
  it('lists pods as a Table with the list resourceVersion and metadata-only rows', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.call('POST', podsPath, { body: podManifest('b') });
    const reply = await get(h, podsPath, tableAccept, { limit: '500' });
    expect(reply.status).toBe(200);
    expect(reply.json.kind).toBe('Table');
    expect(reply.json.metadata.resourceVersion).toBe(String(h.store.revision));
    expect(reply.json.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    expect(reply.json.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 5))).toEqual([
      ['a', '0/1', 'Pending', '0', '0s'],
      ['b', '0/1', 'Pending', '0', '0s'],
    ]);
    expect(reply.json.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(reply.json.rows[0].object.metadata.name).toBe('a');
  });

  it('pages a Table like the list it prints', async () => {
    const h = await newHarness();
    for (const name of ['a', 'b', 'c']) await h.call('POST', podsPath, { body: podManifest(name) });
    const first = await get(h, podsPath, tableAccept, { limit: '2' });
    expect(first.json.rows).toHaveLength(2);
    expect(first.json.metadata.remainingItemCount).toBe(1);
    const next = await get(h, podsPath, tableAccept, { continue: first.json.metadata.continue });
    expect(next.json.rows.map((r: { cells: string[] }) => r.cells[0])).toEqual(['c']);
  });

  it('gets one pod as a one-row Table and ages it by the server clock', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.engine.runUntil(epochMs + 150_000);
    const reply = await get(h, `${podsPath}/a`, tableAccept, { includeObject: 'Object' });
    expect(reply.json.rows).toHaveLength(1);
    expect(reply.json.rows[0].cells[4]).toBe('2m30s');
    expect(reply.json.rows[0].object.kind).toBe('Pod');
  });

  it('answers 404 and selector errors as before and refuses a bad includeObject', async () => {
    const h = await newHarness();
    expect((await get(h, `${podsPath}/nope`, tableAccept)).status).toBe(404);
    const bad = await get(h, podsPath, tableAccept, { includeObject: 'All' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('Unable to convert to Table as requested');
    const selector = await get(h, podsPath, tableAccept, { fieldSelector: 'spec.bogus=1' });
    expect(selector.status).toBe(400);
    expect(selector.json.message).toBe('field label not supported: spec.bogus');
  });

  it('answers metadata-only lists, and 406 for an object-only kind on a list', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const accept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
    const list = await get(h, podsPath, accept);
    expect(list.json.kind).toBe('PartialObjectMetadataList');
    expect(list.json.items[0]).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'a' },
    });
    expect(list.json.items[0].spec).toBeUndefined();
    const wrong = await get(
      h,
      podsPath,
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    );
    expect(wrong.status).toBe(406);
    expect(wrong.json.message).toBe(
      'you requested PartialObjectMetadata, but the requested object is a list (*core.PodList)',
    );
    const html = await get(h, podsPath, 'text/html');
    expect(html.status).toBe(406);
  });

  it('sends one-row Tables on a watch, with column definitions only in the first event', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const tap = await watch(h, tableAccept, {});
    await h.call('POST', podsPath, { body: podManifest('b') });
    await h.call('DELETE', `${podsPath}/a`);
    expect(tap.events.map((e) => [e.type, e.object.kind, e.object.rows[0].cells[0]])).toEqual([
      ['ADDED', 'Table', 'a'],
      ['ADDED', 'Table', 'b'],
      ['DELETED', 'Table', 'a'],
    ]);
    expect(tap.events[0]?.object.columnDefinitions).toHaveLength(9);
    expect(tap.events[1]?.object.columnDefinitions).toBeNull();
    expect(tap.events[2]?.object.metadata.resourceVersion).toBe(String(h.store.revision));
    tap.close();
  });

  it('watches one pod by metadata.name the way kubectl delete waits for it', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.call('POST', podsPath, { body: podManifest('b') });
    const rv = (await h.call('GET', podsPath)).json.metadata.resourceVersion as string;
    const tap = await watch(h, 'application/json', {
      fieldSelector: 'metadata.name=a',
      resourceVersion: rv,
    });
    await h.call('DELETE', `${podsPath}/b`);
    await h.call('DELETE', `${podsPath}/a`);
    expect(tap.events.map((e) => [e.type, e.object.metadata.name])).toEqual([['DELETED', 'a']]);
    tap.close();
  });

  it('refuses a watch with an unsupported field label or a non-Table media type', async () => {
    const h = await newHarness();
    const bad = await h.api.handle({
      method: 'GET',
      path: podsPath,
      query: { watch: '1', fieldSelector: 'status.bogus=x' },
      headers: {},
      body: '',
    });
    expect(bad.kind === 'unary' && bad.response.status).toBe(400);
    const protobufTable = await h.api.handle({
      method: 'GET',
      path: podsPath,
      query: { watch: '1' },
      headers: { accept: 'application/vnd.kubernetes.protobuf;as=Table;g=meta.k8s.io;v=v1' },
      body: '',
    });
    expect(protobufTable.kind === 'unary' && protobufTable.response.status).toBe(406);
  });
});
