import { describe, expect, it } from 'vitest';
import { nodeObject, podInfo } from '../../../test/scheduler/scheduler-fixtures.js';
import { SchedulerCache } from './cache.js';

function cacheWith(nodeNames: string[]): SchedulerCache {
  const cache = new SchedulerCache();
  for (const name of nodeNames) cache.addNode(nodeObject(name));
  return cache;
}

describe('SchedulerCache', () => {
  it('counts an assumed pod once, also after the informer confirms it', () => {
    const cache = cacheWith(['n1']);
    cache.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    expect(cache.updateSnapshot().get('n1')?.requested.milliCpu).toBe(1000);
    cache.finishBinding('default/p');
    cache.addPod(podInfo('p', { cpu: '1', nodeName: 'n1' }));
    expect(cache.isAssumed('default/p')).toBe(false);
    const node = cache.updateSnapshot().get('n1');
    expect(node?.requested.milliCpu).toBe(1000);
    expect(node?.pods).toHaveLength(1);
  });

  it('forgets an assumed pod after a failed binding', () => {
    const cache = cacheWith(['n1']);
    cache.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    cache.forgetPod('default/p');
    expect(cache.updateSnapshot().get('n1')?.requested.milliCpu).toBe(0);
    expect(cache.nodeOf('default/p')).toBeUndefined();
  });

  it('moves a confirmed pod when the binding landed elsewhere', () => {
    const cache = cacheWith(['n1', 'n2']);
    cache.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    cache.addPod(podInfo('p', { cpu: '1', nodeName: 'n2' }));
    const snapshot = cache.updateSnapshot();
    expect(snapshot.get('n1')?.pods).toHaveLength(0);
    expect(snapshot.get('n2')?.pods).toHaveLength(1);
  });

  it('keeps snapshot nodes frozen while the cache changes, until the next update', () => {
    const cache = cacheWith(['n1']);
    const snapshot = cache.updateSnapshot();
    const before = snapshot.get('n1');
    cache.assumePod(podInfo('p', { cpu: '1' }), 'n1');
    expect(before?.requested.milliCpu).toBe(0);
    expect(snapshot.get('n1')).toBe(before);
    cache.updateSnapshot();
    expect(snapshot.get('n1')?.requested.milliCpu).toBe(1000);
  });

  it('clones only the nodes changed since the last snapshot', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${String(i).padStart(4, '0')}`);
    const cache = cacheWith(names);
    const first = cache.updateSnapshot();
    const untouched = first.nodes[10];
    cache.assumePod(podInfo('p', { cpu: '1' }), 'n0003');
    const second = cache.updateSnapshot();
    expect(second.nodes[10]).toBe(untouched);
    expect(second.nodes[3]?.requested.milliCpu).toBe(1000);
    expect(second.nodes.map((n) => n.name)).toEqual(names);
  });

  it('orders nodes by name and drops removed ones', () => {
    const cache = cacheWith(['b', 'c', 'a']);
    expect(cache.updateSnapshot().nodes.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    cache.removeNode('b');
    expect(cache.updateSnapshot().nodes.map((n) => n.name)).toEqual(['a', 'c']);
  });

  it('counts nodes holding an image', () => {
    const cache = new SchedulerCache();
    const withImage = (name: string) => ({
      ...nodeObject(name),
      status: { allocatable: {}, images: [{ names: ['nginx:1.27'], sizeBytes: 10 }] },
    });
    cache.addNode(withImage('a'));
    cache.addNode(withImage('b'));
    cache.addNode(nodeObject('c'));
    expect(cache.updateSnapshot().imageNodeCount('nginx:1.27')).toBe(2);
  });
});
