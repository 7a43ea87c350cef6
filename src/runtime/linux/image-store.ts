// The local image store behind pullImage/listImages: images imported with `miniku image import`
// plus the built-in busybox image (any tag), built on first pull from the static busybox binary.
// Nothing is downloaded: pulling an image that is not in the store fails with ErrImagePull.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageInfo } from '../../control/ports/container-runtime.js';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import { buildBusyboxRootfs } from './busybox-rootfs.js';
import {
  fileDigest,
  publishImage,
  readAliases,
  readStoredImage,
  recordAlias,
  stagingDir,
  treeSizeBytes,
  type StoredImage,
} from './image-files.js';
import { isBuiltinBusybox, parseImageRef, type ImageRef } from './image-ref.js';

export interface ImageStoreOptions {
  /** Root of the store, e.g. `<dataDir>/images`. */
  imagesDir: string;
  /** The static busybox the built-in image is made of. */
  busyboxPath: string;
  /** The node, for error messages. */
  nodeName: string;
}

const imageDirsMax = 10_000;

export class ImageStore {
  private readonly options: ImageStoreOptions;
  /** Builds in flight per canonical ref, so concurrent pulls share one. */
  private readonly builds = new Map<string, Promise<StoredImage>>();

  constructor(options: ImageStoreOptions) {
    this.options = options;
  }

  /** pullImage: finds (or builds, for busybox) the image; rejects with ErrImagePull. */
  async pull(text: string): Promise<StoredImage> {
    const ref = this.parse(text, 'ErrImagePull');
    const { imagesDir } = this.options;
    const image = (await readStoredImage(imagesDir, ref)) ?? (await this.buildIfBuiltin(ref));
    if (image === undefined) {
      throw new RuntimeError(
        'ErrImagePull',
        `Failed to pull image "${text}": image "${ref.canonical}" is not in the local image ` +
          `store of node "${this.options.nodeName}" (miniku pulls from no registry; ` +
          `add it with: miniku image import ${ref.canonical} rootfs.tar)`,
      );
    }
    if (text !== ref.canonical) await recordAlias(imagesDir, ref, text);
    return image;
  }

  /** The stored image a container is created from; rejects with CreateContainerError. */
  async lookup(text: string): Promise<StoredImage> {
    const ref = this.parse(text, 'CreateContainerError');
    const image = await readStoredImage(this.options.imagesDir, ref);
    if (image === undefined) {
      const message = `image "${text}" is not present on node "${this.options.nodeName}"`;
      throw new RuntimeError('CreateContainerError', message);
    }
    return image;
  }

  /** One entry per reference an image is known by (its `name:tag` and pulled aliases). */
  async list(): Promise<ImageInfo[]> {
    const { imagesDir } = this.options;
    const infos: ImageInfo[] = [];
    for (const ref of await this.storedRefs()) {
      const image = await readStoredImage(imagesDir, ref);
      if (image === undefined) continue;
      const refs = new Set([ref.canonical, ...(await readAliases(imagesDir, ref))]);
      for (const name of [...refs].sort()) {
        infos.push({ ref: name, id: image.id, sizeBytes: image.sizeBytes });
      }
    }
    return infos;
  }

  private parse(text: string, reason: string): ImageRef {
    const parsed = parseImageRef(text);
    if (!parsed.ok) {
      const message = `Failed to pull image "${text}": invalid reference format: ${parsed.error}`;
      throw new RuntimeError(reason, message);
    }
    return parsed.ref;
  }

  private async storedRefs(): Promise<ImageRef[]> {
    const { imagesDir } = this.options;
    const refs: ImageRef[] = [];
    const names = await readdir(imagesDir).catch(() => [] as string[]);
    for (const nameDir of names.sort()) {
      if (nameDir.startsWith('.')) continue;
      const tags = await readdir(join(imagesDir, nameDir)).catch(() => [] as string[]);
      for (const tag of tags.sort()) {
        const parsed = parseImageRef(`${nameDir.replaceAll('+', '/')}:${tag}`);
        if (parsed.ok && parsed.ref.nameDir === nameDir) refs.push(parsed.ref);
        if (refs.length >= imageDirsMax) return refs;
      }
    }
    return refs;
  }

  private buildIfBuiltin(ref: ImageRef): Promise<StoredImage | undefined> {
    if (!isBuiltinBusybox(ref)) return Promise.resolve(undefined);
    const inFlight = this.builds.get(ref.canonical);
    if (inFlight !== undefined) return inFlight;
    const build = this.buildBusybox(ref).finally(() => this.builds.delete(ref.canonical));
    this.builds.set(ref.canonical, build);
    return build;
  }

  private async buildBusybox(ref: ImageRef): Promise<StoredImage> {
    const { imagesDir, busyboxPath } = this.options;
    const staged = await stagingDir(imagesDir);
    const rootfs = join(staged, 'rootfs');
    await buildBusyboxRootfs(rootfs, busyboxPath);
    const manifest = {
      id: await fileDigest(busyboxPath),
      sizeBytes: await treeSizeBytes(rootfs),
      entrypoint: [],
      cmd: ['sh'],
    };
    await publishImage(imagesDir, ref, staged, manifest);
    const image = await readStoredImage(imagesDir, ref);
    if (image === undefined) throw new Error(`busybox image ${ref.canonical} vanished after build`);
    return image;
  }
}
