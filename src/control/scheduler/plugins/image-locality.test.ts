import { describe, expect, it } from 'vitest';
import {
  container,
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runScore,
} from '../../../../test/scheduler/fixtures.js';
import { defaultWeight, factory, imageLocalityScore } from './image-locality.js';

const mb = 1024 * 1024;

function podWith(...images: string[]) {
  return makePod({ containers: images.map((image) => container(undefined, { image })) });
}

describe('ImageLocality', () => {
  it('has the upstream default weight', () => {
    expect(defaultWeight).toBe(1);
  });

  it('clamps the summed size to [23 MiB, 1000 MiB per container]', () => {
    expect(imageLocalityScore(0, 1)).toBe(0);
    expect(imageLocalityScore(23 * mb, 1)).toBe(0);
    expect(imageLocalityScore(5000 * mb, 1)).toBe(100);
    expect(imageLocalityScore(1000 * mb, 2)).toBe(Math.trunc((100 * 977) / 1977));
  });

  it('scales each image by the share of nodes that hold it', () => {
    const nodes = [
      nodeInfoOf(makeNode({ name: 'a', images: [{ names: ['app:v1'], sizeBytes: 250 * mb }] })),
      nodeInfoOf(makeNode({ name: 'b' })),
    ];
    // 250 MiB × 1/2 = 125 MiB → 100 × (125 − 23) / (1000 − 23) = 10
    expect(runScore(newPlugin(factory), podWith('app:v1'), nodes)).toEqual([10, 0]);
  });

  it('looks up untagged container images as :latest and counts init containers', () => {
    const node = nodeInfoOf(
      makeNode({ name: 'a', images: [{ names: ['registry/tool:latest'], sizeBytes: 600 * mb }] }),
    );
    const pod = makePod({
      containers: [container(undefined, { image: 'registry/tool' })],
      spec: { initContainers: [container(undefined, { image: 'registry/tool' })] },
    });
    // two containers: 1200 MiB → 100 × (1200 − 23) / (2000 − 23) = 59
    expect(runScore(newPlugin(factory), pod, [node])).toEqual([59]);
  });

  it('reaches 100 for a large image on every node', () => {
    const nodes = ['a', 'b'].map((name) =>
      nodeInfoOf(makeNode({ name, images: [{ names: ['big:1'], sizeBytes: 2000 * mb }] })),
    );
    expect(runScore(newPlugin(factory), podWith('big:1'), nodes)).toEqual([100, 100]);
  });
});
