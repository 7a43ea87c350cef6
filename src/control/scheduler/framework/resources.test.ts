import { describe, expect, it } from 'vitest';
import { container, makeNode, makePod } from '../../../../test/scheduler/fixtures.js';
import {
  defaultMemoryRequest,
  defaultMilliCpuRequest,
  nodeAllocatable,
  podResourceRequests,
} from './resources.js';

const mi = 1024 * 1024;

describe('podResourceRequests', () => {
  const cases: {
    name: string;
    spec: Record<string, unknown>;
    cpu: number;
    memory: number;
    nonZeroCpu: number;
    nonZeroMemory: number;
  }[] = [
    {
      name: 'a pod without containers requests nothing, even when scoring',
      spec: { containers: [] },
      cpu: 0,
      memory: 0,
      nonZeroCpu: 0,
      nonZeroMemory: 0,
    },
    {
      name: 'app containers are summed',
      spec: {
        containers: [container({ cpu: '250m', memory: '64Mi' }), container({ cpu: '1' })],
      },
      cpu: 1250,
      memory: 64 * mi,
      nonZeroCpu: 1250,
      nonZeroMemory: 64 * mi + defaultMemoryRequest,
    },
    {
      name: 'the largest init container wins over a smaller app sum',
      spec: {
        initContainers: [container({ cpu: '2', memory: '10Mi' })],
        containers: [container({ cpu: '500m', memory: '100Mi' })],
      },
      cpu: 2000,
      memory: 100 * mi,
      nonZeroCpu: 2000,
      nonZeroMemory: 100 * mi,
    },
    {
      name: 'restartable sidecars add to the app sum and to later init containers',
      spec: {
        initContainers: [
          container({ cpu: '300m' }, { restartPolicy: 'Always' }),
          container({ cpu: '1' }),
        ],
        containers: [container({ cpu: '200m' })],
      },
      cpu: 1300,
      memory: 0,
      nonZeroCpu: 1300,
      nonZeroMemory: 2 * defaultMemoryRequest,
    },
    {
      name: 'overhead is added on top',
      spec: { containers: [container({ cpu: '100m' })], overhead: { cpu: '50m', memory: '1Mi' } },
      cpu: 150,
      memory: mi,
      nonZeroCpu: 150,
      nonZeroMemory: defaultMemoryRequest + mi,
    },
    {
      name: 'an explicit zero is kept while a missing request gets the scoring default',
      spec: { containers: [container({ cpu: '0' }), container()] },
      cpu: 0,
      memory: 0,
      nonZeroCpu: defaultMilliCpuRequest,
      nonZeroMemory: 2 * defaultMemoryRequest,
    },
    {
      name: 'fractional millicores round up',
      spec: { containers: [container({ cpu: '0.0001' })] },
      cpu: 1,
      memory: 0,
      nonZeroCpu: 1,
      nonZeroMemory: defaultMemoryRequest,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = { metadata: { name: 'p' }, spec: c.spec } as never;
      const { requests, nonZeroRequests } = podResourceRequests(pod);
      expect(requests.milliCpu).toBe(c.cpu);
      expect(requests.memory).toBe(c.memory);
      expect(nonZeroRequests).toEqual({ milliCpu: c.nonZeroCpu, memory: c.nonZeroMemory });
    });
  }

  it('keeps extended and hugepages resources and drops unknown plain names', () => {
    const pod = makePod({
      requests: {
        'example.com/gpu': '2',
        'hugepages-2Mi': '4Mi',
        foo: '1',
        'ephemeral-storage': '1Gi',
      },
    });
    const { requests } = podResourceRequests(pod);
    expect([...requests.scalar]).toEqual([
      ['example.com/gpu', 2],
      ['hugepages-2Mi', 4 * mi],
    ]);
    expect(requests.ephemeralStorage).toBe(1024 * mi);
  });
});

describe('nodeAllocatable', () => {
  it('reads allocatable including the pod count', () => {
    const r = nodeAllocatable(makeNode({ name: 'n', cpu: '3500m', memory: '10Gi', pods: '20' }));
    expect(r.milliCpu).toBe(3500);
    expect(r.memory).toBe(10 * 1024 * mi);
    expect(r.allowedPodNumber).toBe(20);
  });

  it('falls back to capacity when allocatable is absent', () => {
    const r = nodeAllocatable({ status: { capacity: { cpu: '2', pods: '5' } } });
    expect(r.milliCpu).toBe(2000);
    expect(r.allowedPodNumber).toBe(5);
  });
});
