// Tests of the informer cache: keys, key-ordered reads, indexes and freezing.

import { describe, expect, it } from 'vitest';
import { deepFreeze, ObjectCache, objectKeyOf, splitObjectKey } from './cache.js';
import type { KubeObject } from './types.js';

function pod(name: string, nodeName: string): KubeObject {
  return { metadata: { name, namespace: 'ns' }, spec: { nodeName } };
}

const byNode = (object: KubeObject) => {
  const nodeName = (object.spec as { nodeName: string }).nodeName;
  return nodeName === '' ? [] : [nodeName];
};

describe('ObjectCache', () => {
  it('keys namespaced objects as namespace/name and cluster-scoped ones as name', () => {
    expect(objectKeyOf(pod('a', ''))).toBe('ns/a');
    expect(objectKeyOf({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(splitObjectKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(splitObjectKey('node-1')).toEqual({ namespace: '', name: 'node-1' });
  });

  it('lists in key order whatever the insertion order', () => {
    const cache = new ObjectCache<KubeObject>();
    for (const name of ['c', 'a', 'b']) cache.set(`ns/${name}`, pod(name, ''));
    expect(cache.keys()).toEqual(['ns/a', 'ns/b', 'ns/c']);
    cache.delete('ns/b');
    expect(cache.list().map((o) => o.metadata.name)).toEqual(['a', 'c']);
  });

  it('keeps an index in step with updates and deletes', () => {
    const cache = new ObjectCache<KubeObject>({ indexers: { node: byNode } });
    cache.set('ns/a', pod('a', 'n1'));
    cache.set('ns/b', pod('b', 'n1'));
    cache.set('ns/c', pod('c', ''));
    expect(cache.byIndex('node', 'n1').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    cache.set('ns/a', pod('a', 'n2'));
    cache.set('ns/c', pod('c', 'n2'));
    cache.delete('ns/b');
    expect(cache.byIndex('node', 'n1')).toEqual([]);
    expect(cache.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['a', 'c']);
    expect(() => cache.byIndex('zone', 'x')).toThrow(/no index named "zone"/);
  });

  it('freezes nested values so handlers cannot mutate cached objects', () => {
    const object = deepFreeze(pod('a', 'n1'));
    expect(Object.isFrozen(object.metadata)).toBe(true);
    expect(() => {
      (object.spec as { nodeName: string }).nodeName = 'other';
    }).toThrow(TypeError);
  });
});
