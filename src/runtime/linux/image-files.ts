// On-disk shape of one stored image: `<imagesDir>/<name>/<tag>/{rootfs/, image.json, refs/}`,
// written into a temporary directory first and published with one rename.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageRef } from './image-ref.js';

/** What image.json records. */
export interface ImageManifest {
  /** `sha256:<hex>` of the image's source (the tar file, or the busybox binary). */
  id: string;
  sizeBytes: number;
  /** Like an OCI image's Entrypoint and Cmd: argv = entrypoint + (args or cmd). */
  entrypoint: string[];
  cmd: string[];
}

export interface StoredImage extends ImageManifest {
  ref: ImageRef;
  /** The read-only lower directory of every container made from this image. */
  rootfs: string;
}

const walkEntriesMax = 1_000_000;

export function imageDir(imagesDir: string, ref: ImageRef): string {
  return join(imagesDir, ref.nameDir, ref.tag);
}

/** Reads a published image; undefined when it is absent or incomplete. */
export async function readStoredImage(
  imagesDir: string,
  ref: ImageRef,
): Promise<StoredImage | undefined> {
  const dir = imageDir(imagesDir, ref);
  let text: string;
  try {
    text = await readFile(join(dir, 'image.json'), 'utf8');
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(text) as ImageManifest;
  return { ...manifest, ref, rootfs: join(dir, 'rootfs') };
}

/** A fresh staging directory under `<imagesDir>/.tmp` (same file system, so rename works). */
export async function stagingDir(imagesDir: string): Promise<string> {
  const dir = join(imagesDir, '.tmp', randomBytes(8).toString('hex'));
  await mkdir(join(dir, 'rootfs'), { recursive: true });
  return dir;
}

/**
 * Writes image.json into `staged` and renames it to the image's place. Resolves false (and
 * removes `staged`) when the image already exists.
 */
export async function publishImage(
  imagesDir: string,
  ref: ImageRef,
  staged: string,
  manifest: ImageManifest,
): Promise<boolean> {
  await writeFile(join(staged, 'image.json'), `${JSON.stringify(manifest)}\n`);
  const target = imageDir(imagesDir, ref);
  await mkdir(join(imagesDir, ref.nameDir), { recursive: true });
  try {
    await rename(staged, target);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    await rm(staged, { recursive: true, force: true });
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/** `sha256:<hex>` of a file's bytes. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Total size of the regular files under `dir` (symlinks not followed), bytes. */
export async function treeSizeBytes(dir: string): Promise<number> {
  let total = 0;
  let seen = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      seen += 1;
      if (seen > walkEntriesMax) return total;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) total += (await lstat(path)).size;
    }
  }
  return total;
}

/** Records that `alias` (as a pod spelled it) resolved to this image, for listImages. */
export async function recordAlias(imagesDir: string, ref: ImageRef, alias: string): Promise<void> {
  const dir = join(imageDir(imagesDir, ref), 'refs');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, encodeURIComponent(alias)), '');
}

/** The aliases recorded for an image. */
export async function readAliases(imagesDir: string, ref: ImageRef): Promise<string[]> {
  try {
    const names = await readdir(join(imageDir(imagesDir, ref), 'refs'));
    return names.map((name) => decodeURIComponent(name));
  } catch {
    return [];
  }
}
