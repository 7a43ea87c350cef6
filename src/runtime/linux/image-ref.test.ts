// Image references: Docker Hub spellings normalised, anything that could leave the store refused.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBuiltinBusybox, parseImageRef } from './image-ref.js';

function parsed(text: string) {
  const result = parseImageRef(text);
  if (!result.ok) throw new Error(result.error);
  return result.ref;
}

describe('parseImageRef', () => {
  it('defaults the tag to latest and normalises Docker Hub names', () => {
    expect(parsed('busybox')).toMatchObject({
      name: 'busybox',
      tag: 'latest',
      canonical: 'busybox:latest',
    });
    expect(parsed('docker.io/library/busybox:1.36').canonical).toBe('busybox:1.36');
    expect(parsed('library/busybox').canonical).toBe('busybox:latest');
    expect(parsed('docker.io/team/app:v2').canonical).toBe('team/app:v2');
    expect(parsed('example.com/a/b-c:1.0_x').nameDir).toBe('example.com+a+b-c');
    expect(isBuiltinBusybox(parsed('docker.io/busybox:stable'))).toBe(true);
    expect(isBuiltinBusybox(parsed('busybox-extra'))).toBe(false);
  });

  it.each([
    [''],
    ['../etc'],
    ['a/../b'],
    ['./a'],
    ['a//b'],
    ['/abs'],
    ['Upper'],
    ['a:..'],
    ['a:.hidden'],
    ['a:'],
    ['a b'],
    ['a@sha256:0000'],
    ['registry:5000/app'],
    ['a'.repeat(300)],
  ])('refuses %j', (text) => {
    expect(parseImageRef(text).ok).toBe(false);
  });

  it('only accepts names whose directories are single safe path segments', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = parseImageRef(text);
        if (!result.ok) return;
        for (const segment of [result.ref.nameDir, result.ref.tag]) {
          expect(segment).not.toMatch(/^\.\.?$/);
          expect(segment).not.toContain('/');
          expect(segment).not.toContain('\0');
          expect(segment.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});
