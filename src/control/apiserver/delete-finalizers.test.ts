// Table tests of the GC finalizers a DELETE leaves (upstream deletionFinalizersForGarbageCollection).
import { describe, expect, it } from 'vitest';
import { finalizersAfterDelete, type PropagationPolicy } from './delete-finalizers.js';

const cases: Array<[string, string[], PropagationPolicy | undefined, string[]]> = [
  ['no policy and no GC finalizer adds nothing', ['example.com/a'], undefined, ['example.com/a']],
  ['Foreground adds foregroundDeletion', [], 'Foreground', ['foregroundDeletion']],
  [
    'Orphan adds orphan after foreign ones',
    ['example.com/a'],
    'Orphan',
    ['example.com/a', 'orphan'],
  ],
  ['Orphan replaces foregroundDeletion', ['foregroundDeletion'], 'Orphan', ['orphan']],
  [
    'Foreground replaces orphan',
    ['orphan', 'example.com/a'],
    'Foreground',
    ['example.com/a', 'foregroundDeletion'],
  ],
  [
    'Background removes both GC finalizers',
    ['orphan', 'example.com/a'],
    'Background',
    ['example.com/a'],
  ],
  ['no policy keeps an existing orphan', ['orphan'], undefined, ['orphan']],
  [
    'no policy keeps an existing foregroundDeletion',
    ['x.io/y', 'foregroundDeletion'],
    undefined,
    ['x.io/y', 'foregroundDeletion'],
  ],
];

describe('finalizersAfterDelete', () => {
  for (const [name, existing, policy, expected] of cases) {
    it(name, () => {
      expect(finalizersAfterDelete(existing, policy)).toEqual(expected);
    });
  }

  it('returns the same list when the set does not change, so a no-op is detectable', () => {
    const existing = ['example.com/a', 'orphan'];
    expect(finalizersAfterDelete(existing, 'Orphan')).toBe(existing);
    expect(finalizersAfterDelete(existing, undefined)).toBe(existing);
    expect(finalizersAfterDelete(existing, 'Background')).not.toBe(existing);
  });

  it('never leaves both GC finalizers, whatever the input', () => {
    const inputs = [[], ['orphan'], ['foregroundDeletion'], ['orphan', 'foregroundDeletion']];
    for (const existing of inputs) {
      for (const policy of ['Background', 'Foreground', 'Orphan', undefined] as const) {
        const result = finalizersAfterDelete(existing, policy);
        expect(result.includes('orphan') && result.includes('foregroundDeletion')).toBe(false);
      }
    }
  });
});
