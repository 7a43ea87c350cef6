import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { container, makeNode, makePod } from '../../../../test/scheduler/fixtures.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../../api/values/quantity.js';
import type { JsonObject } from '../../store/types.js';
import {
  defaultMemoryRequest,
  defaultMilliCpuRequest,
  fastQuantityAmount,
  nodeAllocatable,
  podRequestAmounts,
  podResourceRequests,
  quantityAmount,
  resourceFromAmounts,
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

/** What the exact parser gives (undefined when it rejects the text). */
function exactAmount(text: string, milli: boolean): number | undefined {
  const q = parseQuantity(text);
  if (q === undefined) return undefined;
  return Number(milli ? quantityMilliValue(q) : quantityValue(q));
}

const suffixes = ['', 'm', 'n', 'u', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
const quantityLike = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[0-9]{1,17}$/), fc.constantFrom(...suffixes, 'Ei', 'e3', 'x'))
    .map(([digits, suffix]) => digits + suffix),
  fc.stringMatching(/^[+-]?[0-9]{0,4}(\.[0-9]{0,3})?(m|Mi|k|e-2)?$/),
);

describe('quantityAmount', () => {
  it('takes the fast path for the common forms', () => {
    expect(fastQuantityAmount('100m', true)).toBe(100);
    expect(fastQuantityAmount('100m', false)).toBe(1);
    expect(fastQuantityAmount('500Mi', false)).toBe(500 * mi);
    expect(fastQuantityAmount('4', true)).toBe(4000);
    expect(fastQuantityAmount('1.5', true)).toBeUndefined();
    expect(fastQuantityAmount('-1', false)).toBeUndefined();
    expect(fastQuantityAmount('1Ei', false)).toBeUndefined();
  });

  it('gives the exact parser value wherever the fast path answers', () => {
    fc.assert(
      fc.property(quantityLike, fc.boolean(), (text, milli) => {
        const fast = fastQuantityAmount(text, milli);
        if (fast !== undefined) expect(fast).toBe(exactAmount(text, milli));
        expect(quantityAmount(milli ? 'cpu' : 'memory', text)).toBe(exactAmount(text, milli));
      }),
      { numRuns: 2000 },
    );
  });
});

const requestList = fc.dictionary(
  fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'example.com/gpu', 'hugepages-2Mi'),
  quantityLike,
  { maxKeys: 4 },
);
const appContainer = fc
  .option(requestList, { nil: undefined })
  .map((requests): JsonObject =>
    requests === undefined ? { name: 'c' } : { name: 'c', resources: { requests } },
  );

describe('podResourceRequests without init containers', () => {
  it('equals the general PodRequests computation, with and without scoring defaults', () => {
    fc.assert(
      fc.property(
        fc.array(appContainer, { maxLength: 4 }),
        fc.option(requestList, { nil: undefined }),
        (containers, overhead) => {
          const spec: JsonObject =
            overhead === undefined ? { containers } : { containers, overhead };
          const pod: JsonObject = { metadata: { name: 'p' }, spec };
          const nonZero = podRequestAmounts(pod, true);
          expect(podResourceRequests(pod)).toEqual({
            requests: resourceFromAmounts(podRequestAmounts(pod, false)),
            nonZeroRequests: {
              milliCpu: nonZero.get('cpu') ?? 0,
              memory: nonZero.get('memory') ?? 0,
            },
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
