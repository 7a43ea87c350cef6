// `miniku image import` and `miniku image list` over a temporary data dir.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarBytes } from '../runtime/linux/testing/tar-writer.js';
import { MinikuError } from './errors.js';
import { runImageImportCommand, runImageListCommand } from './image-command.js';

describe('miniku image', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miniku-image-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a tarball and lists it', async () => {
    const tarPath = join(dir, 'rootfs.tar');
    await writeFile(tarPath, tarBytes([{ name: 'hello.txt', type: '0', content: 'hi\n' }]));
    const lines: string[] = [];
    await runImageImportCommand('tools:2', tarPath, { dataDir: dir }, (line) => lines.push(line));
    expect(lines).toEqual([
      expect.stringMatching(/^Imported tools:2 \(sha256:[0-9a-f]{64}, 3 bytes\) into .*rootfs$/),
    ]);
    const listed: string[] = [];
    await runImageListCommand({ dataDir: dir }, (line) => listed.push(line));
    expect(listed).toEqual(['IMAGE\tID\tSIZE', expect.stringMatching(/^tools:2\tsha256:\w+\t3$/)]);
  });

  it('reports a bad name as a MinikuError with a stable code', async () => {
    const error = await runImageImportCommand('../x', join(dir, 'none.tar'), {
      dataDir: dir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MinikuError);
    expect(error).toMatchObject({ code: 'E_IMAGE_IMPORT' });
    expect((error as Error).message).toMatch(/^Invalid image name "\.\.\/x": /);
  });
});
