import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { template } from '../../../../test/deployment/fixtures.js';
import { computeTemplateHash, equalIgnoreHash, fnv32a, safeEncodeString } from './template-hash.js';

describe('fnv32a', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['é', 0x1e9de8c1],
  ])('hashes %j to the published FNV-1a value', (text, expected) => {
    expect(fnv32a(text)).toBe(expected);
  });
});

describe('safeEncodeString', () => {
  it('maps the decimal digits onto the safe alphabet as upstream does', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('computeTemplateHash', () => {
  it('is stable across calls and key order', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [] } };
    const b = { spec: { containers: [] }, metadata: { labels: { tier: 'x', app: 'web' } } };
    expect(computeTemplateHash(a)).toBe(computeTemplateHash(b));
    expect(computeTemplateHash(template('nginx:1'))).toBe(computeTemplateHash(template('nginx:1')));
  });

  it('pins known values (computed independently), so hashes never drift between releases', () => {
    expect(computeTemplateHash(template('nginx:1'))).toBe('f6c9c4f89');
    expect(computeTemplateHash(template('nginx:1'), 1)).toBe('67c5f95b5b');
  });

  it('changes with the template and with the collision count', () => {
    const base = computeTemplateHash(template('nginx:1'));
    expect(computeTemplateHash(template('nginx:2'))).not.toBe(base);
    expect(computeTemplateHash(template('nginx:1'), 0)).not.toBe(base);
    expect(computeTemplateHash(template('nginx:1'), 1)).not.toBe(
      computeTemplateHash(template('nginx:1'), 0),
    );
  });

  it('only uses the characters of SafeEncodeString on digits', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.nat(1000), { nil: undefined }), (image, count) => {
        const hash = computeTemplateHash(template(image), count);
        expect(hash).toMatch(/^[456789bcdf]{1,10}$/);
      }),
      { numRuns: 100 },
    );
  });
});

describe('equalIgnoreHash', () => {
  const withHash = (hash: string) => ({
    metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
    spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
  });

  it('ignores the pod-template-hash label', () => {
    expect(equalIgnoreHash(withHash('abc'), template('nginx:1'))).toBe(true);
    expect(equalIgnoreHash(withHash('abc'), withHash('def'))).toBe(true);
  });

  it('sees any other difference', () => {
    expect(equalIgnoreHash(withHash('abc'), template('nginx:2'))).toBe(false);
    expect(equalIgnoreHash(template('nginx:1', 'api'), template('nginx:1'))).toBe(false);
  });

  it('treats absent, null and empty maps and lists alike, as semantic equality does', () => {
    const sparse = { metadata: { labels: { app: 'web' } }, spec: { containers: [] } };
    const padded = {
      metadata: { labels: { app: 'web', 'pod-template-hash': 'x' }, annotations: {} },
      spec: { containers: [], volumes: null },
    };
    expect(equalIgnoreHash(sparse, padded)).toBe(true);
  });
});
