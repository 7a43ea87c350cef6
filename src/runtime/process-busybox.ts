// The process runtime's only image: `busybox` (any tag, any registry spelling) is the host's
// static busybox binary, and a container's command runs as one of its applets.
//
// How command, args and the image combine (Docker's rules, as the kubelet hands them over):
// `command` replaces the image's entrypoint (busybox has none) and drops its default Cmd; `args`
// replace the Cmd (`["sh"]` for busybox). So the argv is command + args, or args alone, or
// `["sh"]` when both are empty. argv[0]'s base name picks the applet: `sh`, `/bin/sh` and
// `/bin/sleep` all run busybox with that applet name as its argv[0].

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Where a static busybox is looked for, before PATH. */
export const busyboxCandidates = ['/bin/busybox', '/usr/bin/busybox'];

const busyboxRepositories = new Set([
  'busybox',
  'library/busybox',
  'docker.io/busybox',
  'docker.io/library/busybox',
  'index.docker.io/library/busybox',
]);

/** Whether an image reference names busybox: `busybox`, `busybox:1.36`, `docker.io/...`. */
export function isBusyboxImage(image: string): boolean {
  const withoutDigest = image.split('@')[0] ?? '';
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return busyboxRepositories.has(repository.toLowerCase());
}

/** The first executable busybox among the candidates and PATH; undefined when none. */
export function findBusybox(pathVariable = process.env.PATH ?? ''): string | undefined {
  const onPath = pathVariable
    .split(':')
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'busybox'));
  for (const candidate of [...busyboxCandidates, ...onPath]) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export interface BusyboxImage {
  path: string;
  /** `sha256:<hex of the binary>`. */
  id: string;
  sizeBytes: number;
  applets: ReadonlySet<string>;
}

/** Reads the binary once: its digest, size and applet list (`busybox --list`). */
export function loadBusyboxImage(path: string): BusyboxImage {
  const bytes = readFileSync(path);
  const id = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const listed = spawnSync(path, ['--list'], { encoding: 'utf8', timeout: 5_000 });
  const applets = new Set(listed.stdout.split('\n').filter((line) => line !== ''));
  return { path, id, sizeBytes: bytes.length, applets };
}

/** Docker's combination of command and args over busybox's default Cmd `["sh"]`. */
export function containerArgv(command: readonly string[], args: readonly string[]): string[] {
  if (command.length > 0) return [...command, ...args];
  if (args.length > 0) return [...args];
  return ['sh'];
}

/** The applet argv[0] names, or undefined when busybox has no such applet. */
export function appletOf(image: BusyboxImage, argv0: string): string | undefined {
  const name = basename(argv0);
  return image.applets.has(name) ? name : undefined;
}
