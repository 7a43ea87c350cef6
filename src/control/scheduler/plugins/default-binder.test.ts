import { describe, expect, it } from 'vitest';
import { makePod, nullHandle } from '../../../../test/scheduler/fixtures.js';
import { podInfoOf } from '../framework/pod-info.js';
import { CycleState } from '../framework/types.js';
import type { PodInfo } from '../framework/types.js';
import { factory, NAME } from './default-binder.js';

describe('DefaultBinder', () => {
  it('binds through the framework handle and returns its status', async () => {
    const calls: [string, string][] = [];
    const handle = {
      ...nullHandle,
      bindPod: (pod: PodInfo, nodeName: string) => {
        calls.push([pod.key, nodeName]);
        return Promise.resolve({ code: 'Error' as const, reasons: ['conflict'] });
      },
    };
    const plugin = factory({ args: undefined, schedulerName: 'default-scheduler', handle });
    expect(plugin.name).toBe(NAME);
    const result = await plugin.bind?.(new CycleState(), podInfoOf(makePod({ name: 'x' })), 'n1');
    expect(result).toEqual({ code: 'Error', reasons: ['conflict'] });
    expect(calls).toEqual([['default/x', 'n1']]);
  });
});
