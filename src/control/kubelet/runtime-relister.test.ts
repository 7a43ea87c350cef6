// Tests of the runtime change detection (PLEG relist diff).

import { describe, expect, it } from 'vitest';
import { changedPods, podFingerprints } from './runtime-relister.js';
import { fixtureContainer, fixtureSandbox } from './testing/runtime-fixtures.js';

describe('podFingerprints and changedPods', () => {
  it('report a pod whose container changed state, appeared or vanished', () => {
    const sandbox = fixtureSandbox('s1', 'ready');
    const running = fixtureContainer('app', 'running');
    const before = podFingerprints({ sandboxes: [sandbox], containers: [running] });
    const same = podFingerprints({ sandboxes: [sandbox], containers: [{ ...running }] });
    expect(changedPods(before, same)).toEqual([]);
    const exited = podFingerprints({
      sandboxes: [sandbox],
      containers: [{ ...running, state: 'exited' }],
    });
    expect(changedPods(before, exited)).toEqual(['uid-1']);
    expect(changedPods(before, new Map())).toEqual(['uid-1']);
    expect(changedPods(new Map(), before)).toEqual(['uid-1']);
  });
});
