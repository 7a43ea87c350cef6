import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { container, makeNode, makePod } from '../../../../test/scheduler/fixtures.js';
import { imageSizesOf, MutableNodeInfo, normalizedImageName } from './node-info.js';
import { podInfoOf } from './pod-info.js';

function portPod(name: string, hostPort: number) {
  return podInfoOf(
    makePod({ name, containers: [container({ cpu: '100m' }, { ports: [{ hostPort }] })] }),
  );
}

describe('MutableNodeInfo', () => {
  it('sums requests and non-zero requests as pods come and go', () => {
    const info = new MutableNodeInfo({ node: makeNode({ name: 'n1', cpu: '4' }) });
    info.addPod(podInfoOf(makePod({ name: 'a', requests: { cpu: '1', memory: '1Mi' } })));
    info.addPod(podInfoOf(makePod({ name: 'b', containers: [container()] })));
    expect(info.requested.milliCpu).toBe(1000);
    expect(info.nonZeroRequested).toEqual({ milliCpu: 1100, memory: 1048576 + 209715200 });
    expect(info.removePod('default/a')).toBe(true);
    expect(info.removePod('default/a')).toBe(false);
    expect(info.requested.milliCpu).toBe(0);
    expect(info.pods.map((p) => p.key)).toEqual(['default/b']);
  });

  it('keeps used ports as a multiset', () => {
    const info = new MutableNodeInfo({ node: makeNode({ name: 'n1' }) });
    info.addPod(portPod('a', 80));
    info.addPod(portPod('b', 80));
    info.removePod('default/a');
    expect(info.usedPorts).toEqual([{ ip: '0.0.0.0', protocol: 'TCP', port: 80 }]);
  });

  it('tracks pods with affinity and removes them by key', () => {
    const info = new MutableNodeInfo({ node: makeNode({ name: 'n1' }) });
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{}] } };
    info.addPod(podInfoOf(makePod({ name: 'x', spec: { affinity: anti } })));
    info.addPod(podInfoOf(makePod({ name: 'y' })));
    expect(info.podsWithRequiredAntiAffinity.map((p) => p.key)).toEqual(['default/x']);
    info.removePod('default/x');
    expect(info.podsWithAffinity).toEqual([]);
    expect(info.podsWithRequiredAntiAffinity).toEqual([]);
  });

  it('rejects adding the same pod twice', () => {
    const info = new MutableNodeInfo({ node: makeNode({ name: 'n1' }) });
    info.addPod(podInfoOf(makePod({ name: 'a' })));
    expect(() => info.addPod(podInfoOf(makePod({ name: 'a' })))).toThrow(/already on node/);
  });

  it('gives clones that later changes do not reach', () => {
    const info = new MutableNodeInfo({ node: makeNode({ name: 'n1' }) });
    info.addPod(podInfoOf(makePod({ name: 'a', requests: { cpu: '1' } })));
    const copy = info.clone();
    info.addPod(podInfoOf(makePod({ name: 'b', requests: { cpu: '1' } })));
    info.removePod('default/a');
    expect(copy.pods.map((p) => p.key)).toEqual(['default/a']);
    expect(copy.requested.milliCpu).toBe(1000);
    copy.removePod('default/a');
    expect(info.requested.milliCpu).toBe(1000);
  });

  it('agrees with a recomputation after any sequence of adds and removes', () => {
    const op = fc.record({
      add: fc.boolean(),
      id: fc.integer({ min: 0, max: 5 }),
      cpu: fc.integer({ min: 0, max: 3000 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const info = new MutableNodeInfo({ node: makeNode({ name: 'n1' }) });
        const model = new Map<string, number>();
        for (const o of ops) {
          const key = `default/p${o.id}`;
          if (o.add && !model.has(key)) {
            info.addPod(podInfoOf(makePod({ name: `p${o.id}`, requests: { cpu: `${o.cpu}m` } })));
            model.set(key, o.cpu);
          } else if (!o.add) {
            expect(info.removePod(key)).toBe(model.delete(key));
          }
        }
        const sum = [...model.values()].reduce((a, b) => a + b, 0);
        expect(info.requested.milliCpu).toBe(sum);
        expect(info.pods.map((p) => p.key).sort()).toEqual([...model.keys()].sort());
        for (const key of model.keys()) expect(info.hasPod(key)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('image names', () => {
  it('appends :latest only to names without a tag', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('registry:5000/app')).toBe('registry:5000/app:latest');
    expect(normalizedImageName('nginx:1.27')).toBe('nginx:1.27');
    expect(normalizedImageName('nginx@sha256:abc')).toBe('nginx@sha256:abc');
  });

  it('maps every name of a node image to its size', () => {
    const node = makeNode({
      name: 'n',
      images: [{ names: ['nginx', 'nginx@sha256:abc'], sizeBytes: 5 }],
    });
    expect([...imageSizesOf(node)]).toEqual([
      ['nginx:latest', 5],
      ['nginx@sha256:abc', 5],
    ]);
  });
});
