// Tests of the in-memory StoreBackend: the shared contract, plus what only memory promises.
import { describe, expect, it } from 'vitest';
import { runStoreBackendContract } from '../../../test/contracts/store-backend.js';
import { MemoryBackend } from './memory-backend.js';

runStoreBackendContract('MemoryBackend', {
  newBackend: () => {
    const backend = new MemoryBackend();
    return Promise.resolve({
      backend,
      reopen: () => Promise.resolve(backend),
      cleanup: () => Promise.resolve(),
    });
  },
});

describe('MemoryBackend', () => {
  it('rejects a write whose revision does not follow the last one', () => {
    const backend = new MemoryBackend();
    backend.append({ op: 'put', revision: 1, key: '/a', value: '{}' });
    expect(() => backend.append({ op: 'put', revision: 3, key: '/b', value: '{}' })).toThrow(
      /consecutive revisions/,
    );
  });

  it('rejects the delete of a key it does not hold', () => {
    const backend = new MemoryBackend();
    expect(() => backend.append({ op: 'delete', revision: 1, key: '/missing' })).toThrow(
      /missing key/,
    );
  });

  it('hands out snapshots that later appends do not change', async () => {
    const backend = new MemoryBackend();
    backend.append({ op: 'put', revision: 1, key: '/a', value: '"first"' });
    const before = await backend.load();
    backend.append({ op: 'put', revision: 2, key: '/a', value: '"second"' });
    expect(before).toEqual({
      revision: 1,
      entries: [{ key: '/a', value: '"first"', modRevision: 1 }],
    });
  });
});
