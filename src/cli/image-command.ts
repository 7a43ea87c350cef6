// `miniku image import NAME[:TAG] rootfs.tar` and `miniku image list`: the local image store of
// real mode's Linux runtime (`<data-dir>/images`; nothing is ever pulled from a registry).

import type { Command } from 'commander';
import { resolve, join } from 'node:path';
import { ImageImportError, importImage } from '../runtime/linux/image-import.js';
import { ImageStore } from '../runtime/linux/image-store.js';
import { MinikuError } from './errors.js';

export interface ImageCommandOptions {
  dataDir: string;
}

export async function runImageImportCommand(
  name: string,
  tarPath: string,
  options: ImageCommandOptions,
  out: (line: string) => void = (line) => void process.stdout.write(`${line}\n`),
): Promise<void> {
  try {
    const image = await importImage({ dataDir: options.dataDir, name, tarPath });
    out(`Imported ${image.ref} (${image.id}, ${image.sizeBytes} bytes) into ${image.rootfs}`);
  } catch (error) {
    if (error instanceof ImageImportError) throw new MinikuError('E_IMAGE_IMPORT', error.message);
    throw error;
  }
}

export async function runImageListCommand(
  options: ImageCommandOptions,
  out: (line: string) => void = (line) => void process.stdout.write(`${line}\n`),
): Promise<void> {
  const imagesDir = join(resolve(options.dataDir), 'images');
  const store = new ImageStore({ imagesDir, busyboxPath: '/bin/busybox', nodeName: 'local' });
  out('IMAGE\tID\tSIZE');
  for (const image of await store.list()) {
    out(`${image.ref}\t${image.id.slice(0, 19)}\t${image.sizeBytes}`);
  }
}

export function addImageCommands(program: Command): void {
  const image = program
    .command('image')
    .description("real mode's local image store (busybox is built in under any tag)");
  image
    .command('import')
    .description('import a root file system tarball (e.g. from docker export) as NAME[:TAG]')
    .argument('<name>', 'NAME[:TAG]; the tag defaults to latest')
    .argument('<tarball>', 'a tar archive of the root file system, plain or compressed')
    .option('--data-dir <dir>', 'the data dir of `miniku real`', '.miniku')
    .action(async (name: string, tarball: string, options: ImageCommandOptions) => {
      await runImageImportCommand(name, tarball, options);
    });
  image
    .command('list')
    .description('list the images in the local store')
    .option('--data-dir <dir>', 'the data dir of `miniku real`', '.miniku')
    .action(async (options: ImageCommandOptions) => {
      await runImageListCommand(options);
    });
}
