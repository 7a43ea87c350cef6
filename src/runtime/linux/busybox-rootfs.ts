// Builds the built-in busybox image's rootfs: the static busybox binary, one symlink per applet
// (as `busybox --install -s` would make), and a minimal /etc.

import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runChecked } from './run-process.js';

const baseDirs = [
  'bin',
  'sbin',
  'usr/bin',
  'usr/sbin',
  'proc',
  'sys',
  'dev',
  'etc',
  'tmp',
  'root',
  'home',
  'var',
];

const etcFiles: Record<string, string> = {
  'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  'etc/group': 'root:x:0:\nnogroup:x:65534:\n',
  'etc/hosts': '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
};

/** Fills `rootfs` (an empty directory) from the static busybox at `busyboxPath`. */
export async function buildBusyboxRootfs(rootfs: string, busyboxPath: string): Promise<void> {
  for (const dir of baseDirs) await mkdir(join(rootfs, dir), { recursive: true });
  await chmod(join(rootfs, 'tmp'), 0o1777);
  await copyFile(busyboxPath, join(rootfs, 'bin/busybox'));
  await chmod(join(rootfs, 'bin/busybox'), 0o755);
  const applets = (await runChecked(busyboxPath, ['--list-full'])).split('\n');
  for (const applet of applets) {
    // `linuxrc` and the like live at the top level; a container has no use for them.
    if (!applet.includes('/') || applet === 'bin/busybox' || applet.includes('..')) continue;
    const path = join(rootfs, applet);
    await mkdir(dirname(path), { recursive: true });
    await symlink('/bin/busybox', path).catch((error: { code?: string }) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  for (const [path, text] of Object.entries(etcFiles)) await writeFile(join(rootfs, path), text);
}
