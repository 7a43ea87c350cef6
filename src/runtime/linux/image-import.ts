// `miniku image import NAME[:TAG] rootfs.tar`: unpacks a root file system tarball (plain or
// compressed, e.g. from `docker export`) into the local image store with the host's tar.
// Members with absolute paths, `..` components or device nodes are refused before anything is
// written; an existing NAME:TAG is never overwritten (running containers use its files).

import { join, resolve } from 'node:path';
import { rm, stat } from 'node:fs/promises';
import {
  fileDigest,
  publishImage,
  readStoredImage,
  stagingDir,
  treeSizeBytes,
} from './image-files.js';
import { parseImageRef } from './image-ref.js';
import { runProcess } from './run-process.js';

export interface ImportImageOptions {
  /** The data directory; the store is `<dataDir>/images`. */
  dataDir: string;
  /** `NAME[:TAG]`; the tag defaults to `latest`. */
  name: string;
  tarPath: string;
}

export interface ImportedImage {
  /** `name:tag` as stored. */
  ref: string;
  id: string;
  sizeBytes: number;
  rootfs: string;
}

/** A user-facing import failure; the message says which input and why. */
export class ImageImportError extends Error {
  override readonly name = 'ImageImportError';
}

const tarTimeoutMs = 600_000;
const listingBytesMax = 64 * 1024 * 1024;

export async function importImage(options: ImportImageOptions): Promise<ImportedImage> {
  const parsed = parseImageRef(options.name);
  if (!parsed.ok) {
    throw new ImageImportError(`Invalid image name "${options.name}": ${parsed.error}`);
  }
  const ref = parsed.ref;
  const imagesDir = join(resolve(options.dataDir), 'images');
  const tarPath = resolve(options.tarPath);
  const isFile = await stat(tarPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new ImageImportError(`Cannot read "${options.tarPath}": not a file`);
  if ((await readStoredImage(imagesDir, ref)) !== undefined) {
    throw new ImageImportError(
      `Image "${ref.canonical}" already exists in ${imagesDir}: import under another tag`,
    );
  }
  await checkMembers(tarPath, options.tarPath);
  const staged = await stagingDir(imagesDir);
  try {
    const rootfs = join(staged, 'rootfs');
    await tar(['-xf', tarPath, '-C', rootfs, '--numeric-owner'], options.tarPath);
    const manifest = {
      id: await fileDigest(tarPath),
      sizeBytes: await treeSizeBytes(rootfs),
      entrypoint: [],
      cmd: [],
    };
    if (!(await publishImage(imagesDir, ref, staged, manifest))) {
      throw new ImageImportError(`Image "${ref.canonical}" was imported concurrently`);
    }
    const stored = join(imagesDir, ref.nameDir, ref.tag, 'rootfs');
    return { ref: ref.canonical, id: manifest.id, sizeBytes: manifest.sizeBytes, rootfs: stored };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

/** Lists the archive and refuses unsafe members. */
async function checkMembers(tarPath: string, shown: string): Promise<void> {
  const quoting = '--quoting-style=escape';
  const names = lines(await tar(['-tf', tarPath, quoting], shown));
  const verbose = lines(await tar(['-tvf', tarPath, quoting, '--numeric-owner'], shown));
  if (names.length === 0) throw new ImageImportError(`Cannot import "${shown}": it is empty`);
  if (names.length !== verbose.length) {
    throw new ImageImportError(`Cannot import "${shown}": its listing is ambiguous`);
  }
  names.forEach((name, i) => {
    const problem = memberProblem(name, verbose[i] ?? '');
    if (problem !== undefined) {
      throw new ImageImportError(`Cannot import "${shown}": member "${name}" ${problem}`);
    }
  });
}

/** Why a member is refused, or undefined. Exported for tests. */
export function memberProblem(name: string, verboseLine: string): string | undefined {
  if (name.startsWith('/')) return 'has an absolute path';
  if (name.split('/').includes('..')) return 'has a ".." path component';
  const type = verboseLine.charAt(0);
  if (type === 'b' || type === 'c') return 'is a device node';
  const link = / link to (.*)$/.exec(verboseLine);
  if (type === 'h' && link !== null) {
    const target = link[1] ?? '';
    if (target.startsWith('/') || target.split('/').includes('..')) {
      return 'is a hard link out of the archive';
    }
  }
  return undefined;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

async function tar(args: string[], shown: string): Promise<string> {
  const result = await runProcess('tar', args, {
    timeoutMs: tarTimeoutMs,
    outputBytesMax: listingBytesMax,
  });
  if (result.exitCode !== 0 || result.timedOut) {
    const detail = result.stderr.trim().split('\n')[0] ?? '';
    throw new ImageImportError(`Cannot unpack "${shown}" with tar: ${detail}`);
  }
  return result.stdout;
}
