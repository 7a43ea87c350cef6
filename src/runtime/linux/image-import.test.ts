// importImage unpacks root file system tarballs into the store and refuses unsafe ones.

import { mkdtemp, readFile, readlink, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageImportError, importImage, memberProblem } from './image-import.js';
import { ImageStore } from './image-store.js';
import { tarBytes, type TarEntry } from './testing/tar-writer.js';

const rootfs: TarEntry[] = [
  { name: 'bin/', type: '5' },
  { name: 'bin/hello', type: '0', content: '#!/bin/sh\necho hello\n', mode: 0o755 },
  { name: 'etc/', type: '5' },
  { name: 'etc/motd', type: '0', content: 'welcome\n' },
  { name: 'usr/', type: '5' },
  { name: 'usr/hello', type: '2', linkName: '/bin/hello' },
];

describe('importImage', () => {
  let dir: string;
  let tarCount = 0;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miniku-import-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function tarFile(entries: TarEntry[]): Promise<string> {
    tarCount += 1;
    const path = join(dir, `rootfs-${tarCount}.tar`);
    await writeFile(path, tarBytes(entries));
    return path;
  }

  it('unpacks a rootfs tarball under images/<name>/<tag>/rootfs', async () => {
    const dataDir = join(dir, 'data');
    const image = await importImage({
      dataDir,
      name: 'team/app:1.0',
      tarPath: await tarFile(rootfs),
    });
    expect(image.ref).toBe('team/app:1.0');
    expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.rootfs).toBe(join(dataDir, 'images', 'team+app', '1.0', 'rootfs'));
    expect(await readFile(join(image.rootfs, 'etc/motd'), 'utf8')).toBe('welcome\n');
    expect(await readlink(join(image.rootfs, 'usr/hello'))).toBe('/bin/hello');
    const store = new ImageStore({
      imagesDir: join(dataDir, 'images'),
      busyboxPath: '/bin/busybox',
      nodeName: 'n',
    });
    expect(await store.list()).toEqual([
      { ref: 'team/app:1.0', id: image.id, sizeBytes: image.sizeBytes },
    ]);
    expect((await store.pull('team/app:1.0')).id).toBe(image.id);
  });

  it('refuses to overwrite an image that exists', async () => {
    const dataDir = join(dir, 'data');
    const tarPath = await tarFile(rootfs);
    await importImage({ dataDir, name: 'app', tarPath });
    await expect(importImage({ dataDir, name: 'app:latest', tarPath })).rejects.toThrow(
      /already exists/,
    );
  });

  it.each([
    ['an absolute path', { name: '/etc/evil', type: '0', content: 'x' }, /absolute path/],
    ['a .. component', { name: 'a/../../evil', type: '0', content: 'x' }, /"\.\." path/],
    ['a device node', { name: 'dev/sda', type: '3' }, /device node/],
    ['a hard link out', { name: 'ln', type: '1', linkName: '../../etc/passwd' }, /hard link/],
  ] as Array<[string, TarEntry, RegExp]>)(
    'refuses a tarball with %s',
    async (_, entry, pattern) => {
      const dataDir = join(dir, 'data');
      const tarPath = await tarFile([...rootfs, entry]);
      const error = await importImage({ dataDir, name: 'bad', tarPath }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImageImportError);
      expect((error as Error).message).toMatch(pattern);
      const published = await access(join(dataDir, 'images', 'bad')).then(
        () => true,
        () => false,
      );
      expect(published).toBe(false);
    },
  );

  it('refuses bad names and missing files', async () => {
    const tarPath = await tarFile(rootfs);
    for (const name of ['../up', 'Upper', 'a/./b', 'x@sha256:00', 'host:5000/x']) {
      await expect(importImage({ dataDir: dir, name, tarPath })).rejects.toThrow(ImageImportError);
    }
    await expect(
      importImage({ dataDir: dir, name: 'ok', tarPath: join(dir, 'nope.tar') }),
    ).rejects.toThrow(/not a file/);
  });
});

describe('memberProblem', () => {
  it('accepts ordinary members and names what is wrong with the others', () => {
    expect(
      memberProblem('usr/bin/x', '-rw-r--r-- 0/0 1 2024-01-01 00:00 usr/bin/x'),
    ).toBeUndefined();
    expect(memberProblem('a..b/c', '-rw-r--r-- 0/0 1 2024-01-01 00:00 a..b/c')).toBeUndefined();
    expect(memberProblem('x', 'hrw-r--r-- 0/0 0 2024-01-01 00:00 x link to bin/y')).toBeUndefined();
    expect(memberProblem('x', 'hrw-r--r-- 0/0 0 2024-01-01 00:00 x link to /etc/y')).toMatch(
      /hard link/,
    );
    expect(memberProblem('d', 'brw-r--r-- 0/0 8,0 2024-01-01 00:00 d')).toMatch(/device/);
  });
});
