// Tests of the pod Table columns (printPod) and HumanDuration.

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../store/types.js';
import { podPrinterColumns, podView } from './pod-printer.js';
import { humanDuration } from './printing.js';
import { parseTime } from '../values/time.js';

const nowMs = parseTime('2026-01-01T01:00:00Z') ?? 0;

function pod(status: JsonObject, spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject {
  return {
    metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z', ...metadata },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], ...spec },
    status,
  };
}

function cells(object: JsonObject): unknown[] {
  return podPrinterColumns.map((column) => column.value(object, { nowMs }));
}

describe('pod printer columns', () => {
  it('shows a running pod with restarts and wide columns', () => {
    const running = pod(
      {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.5' }],
        containerStatuses: [
          {
            name: 'a',
            ready: true,
            restartCount: 2,
            state: { running: {} },
            lastState: { terminated: { finishedAt: '2026-01-01T00:58:00Z' } },
          },
          { name: 'b', ready: false, restartCount: 0, state: { running: {} } },
        ],
      },
      { nodeName: 'n1' },
    );
    expect(cells(running)).toEqual([
      'p',
      '1/2',
      'Running',
      '2 (2m ago)',
      '60m',
      '10.0.0.5',
      'n1',
      '<none>',
      '<none>',
    ]);
  });

  it.each<[string, JsonObject, string]>([
    [
      'a waiting container',
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }],
      }),
      'ContainerCreating',
    ],
    [
      'the first container in spec order',
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } },
          { name: 'b', state: { terminated: { exitCode: 1, reason: 'Error' } } },
        ],
      }),
      'CrashLoopBackOff',
    ],
    [
      'an exit code without reason',
      pod({
        phase: 'Failed',
        containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }],
      }),
      'ExitCode:2',
    ],
    ['a status reason', pod({ phase: 'Failed', reason: 'OutOfcpu' }), 'OutOfcpu'],
    [
      'a pending init container',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }],
        },
        { initContainers: [{ name: 'i' }] },
      ),
      'Init:0/1',
    ],
    [
      'a crashing init container',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        },
        { initContainers: [{ name: 'i' }] },
      ),
      'Init:CrashLoopBackOff',
    ],
    [
      'a deleted pod',
      pod({ phase: 'Running' }, {}, { deletionTimestamp: '2026-01-01T00:59:00Z' }),
      'Terminating',
    ],
    [
      'a gated pod',
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      'SchedulingGated',
    ],
    [
      'completed with a running container',
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', ready: true, state: { running: {} } },
        ],
      }),
      'NotReady',
    ],
  ])('shows %s in STATUS', (_, object, expected) => {
    expect(podView(object).reason).toBe(expected);
  });

  it('counts started sidecars as ready containers', () => {
    const object = pod(
      {
        phase: 'Running',
        initContainerStatuses: [
          { name: 's', started: true, ready: true, restartCount: 1, state: { running: {} } },
        ],
      },
      { initContainers: [{ name: 's', restartPolicy: 'Always' }] },
    );
    expect(podView(object)).toMatchObject({ ready: 1, total: 3, restarts: 1 });
  });
});

describe('humanDuration', () => {
  it.each([
    [-2000, '<invalid>'],
    [-500, '0s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3600_000 + 60_000, '3h1m'],
    [47 * 3600_000, '47h'],
    [50 * 3600_000, '2d2h'],
    [30 * 86400_000, '30d'],
    [(3 * 365 + 4) * 86400_000, '3y4d'],
  ])('formats %d ms as %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});
