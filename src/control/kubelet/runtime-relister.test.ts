// Tests of the runtime change detection (PLEG relist diff).

import { describe, expect, it } from 'vitest';
import { diffRuntime, emptyRuntimeObjects } from './runtime-relister.js';
import { fixtureContainer, fixtureSandbox } from './testing/runtime-fixtures.js';

describe('diffRuntime', () => {
  it('reports a pod whose container changed state, appeared or vanished', () => {
    const sandbox = fixtureSandbox('s1', 'ready');
    const running = fixtureContainer('app', 'running');
    const first = diffRuntime(emptyRuntimeObjects(), { sandboxes: [sandbox], containers: [] });
    expect(first.changed).toEqual(['uid-1']);
    const started = diffRuntime(first.objects, { sandboxes: [sandbox], containers: [running] });
    expect(started.changed).toEqual(['uid-1']);
    const same = diffRuntime(started.objects, {
      sandboxes: [{ ...sandbox }],
      containers: [{ ...running }],
    });
    expect(same.changed).toEqual([]);
    const exited = diffRuntime(same.objects, {
      sandboxes: [sandbox],
      containers: [{ ...running, state: 'exited' }],
    });
    expect(exited.changed).toEqual(['uid-1']);
    const gone = diffRuntime(exited.objects, { sandboxes: [sandbox], containers: [] });
    expect(gone.changed).toEqual(['uid-1']);
    const stopped = diffRuntime(gone.objects, {
      sandboxes: [{ ...sandbox, state: 'notready' }],
      containers: [],
    });
    expect(stopped.changed).toEqual(['uid-1']);
    expect(diffRuntime(stopped.objects, { sandboxes: [], containers: [] }).changed).toEqual([
      'uid-1',
    ]);
  });

  it('names only the pods that changed, sorted, when a container is swapped for another', () => {
    const a = fixtureSandbox('s1', 'ready');
    const b = { ...fixtureSandbox('s2', 'ready'), config: { ...a.config, uid: 'uid-2' } };
    b.config.labels = { ...a.config.labels, 'io.kubernetes.pod.uid': 'uid-2' };
    const appA = fixtureContainer('app', 'running');
    const appB = { ...fixtureContainer('app', 'running'), id: 'c-b' };
    appB.config = { ...appB.config, labels: { ...appB.config.labels } };
    appB.config.labels['io.kubernetes.pod.uid'] = 'uid-2';
    const before = diffRuntime(emptyRuntimeObjects(), {
      sandboxes: [b, a],
      containers: [appB, appA],
    });
    expect(before.changed).toEqual(['uid-1', 'uid-2']);
    // Same count of containers, but pod 2's container was replaced by a new one.
    const replaced = { ...appB, id: 'c-b2' };
    const after = diffRuntime(before.objects, { sandboxes: [a, b], containers: [appA, replaced] });
    expect(after.changed).toEqual(['uid-2']);
  });
});
