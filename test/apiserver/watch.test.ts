// Watch semantics: initial state, selectors entering and leaving, 410 Expired, timeout, bookmarks.
import { describe, expect, it } from 'vitest';
import { epochMs, newHarness, podManifest, podsPath } from './harness.js';

describe('API watch', () => {
  it('sends the current state as ADDED events when no resourceVersion is given', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.call('POST', podsPath, { body: podManifest('b') });
    const tap = await h.watch(podsPath);
    expect(tap.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a',
      'ADDED b',
    ]);
    await h.call('DELETE', `${podsPath}/a`);
    expect(tap.events.at(-1)?.type).toBe('DELETED');
    tap.close();
    await h.call('POST', podsPath, { body: podManifest('c') });
    expect(tap.events).toHaveLength(3);
  });

  it('turns label changes into ADDED and DELETED for a selecting watch', async () => {
    const h = await newHarness();
    const created = (await h.call('POST', podsPath, { body: podManifest('a', { app: 'x' }) })).json;
    const tap = await h.watch(podsPath, {
      labelSelector: 'app=y',
      resourceVersion: created.metadata.resourceVersion,
    });
    const moved = structuredClone(created);
    moved.metadata.labels.app = 'y';
    const v2 = (await h.call('PUT', `${podsPath}/a`, { body: moved })).json;
    const back = structuredClone(v2);
    back.metadata.labels.app = 'x';
    await h.call('PUT', `${podsPath}/a`, { body: back });
    expect(tap.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('selects by spec.nodeName like a kubelet watch', async () => {
    const h = await newHarness();
    const tap = await h.watch(podsPath, { fieldSelector: 'spec.nodeName=n1' });
    await h.call('POST', podsPath, { body: podManifest('a') });
    expect(tap.events).toHaveLength(0);
    await h.call('POST', `${podsPath}/a/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { name: 'n1' } },
    });
    expect(tap.events.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('reports a too-old resourceVersion as an in-stream 410 Expired', async () => {
    const h = await newHarness({ watchHistoryCountMax: 3 });
    for (let i = 0; i < 10; i++) await h.call('POST', podsPath, { body: podManifest(`p-${i}`) });
    const tap = await h.watch(podsPath, { resourceVersion: '1' });
    expect(tap.status).toBe(200);
    expect(tap.ended).toBe(true);
    expect(tap.events).toHaveLength(1);
    const event = tap.events[0];
    expect(event?.type).toBe('ERROR');
    expect(event?.object).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(event?.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('ends the stream after timeoutSeconds of virtual time', async () => {
    const h = await newHarness();
    const tap = await h.watch(podsPath, { timeoutSeconds: '5' });
    await h.engine.runUntil(epochMs + 4_999);
    expect(tap.ended).toBe(false);
    await h.engine.runUntil(epochMs + 5_000);
    expect(tap.ended).toBe(true);
    expect(h.api.openWatchCount).toBe(0);
  });

  it('sends bookmarks with the latest revision when asked', async () => {
    const h = await newHarness({ server: { bookmarkIntervalMs: 1_000 } });
    const tap = await h.watch(podsPath, { allowWatchBookmarks: 'true', timeoutSeconds: '10' });
    await h.call('POST', podsPath, { body: podManifest('a') });
    await h.engine.runUntil(epochMs + 1_000);
    const bookmark = tap.events.at(-1);
    expect(bookmark?.type).toBe('BOOKMARK');
    expect(bookmark?.object).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(h.store.revision) },
    });
    tap.close();
  });
});
