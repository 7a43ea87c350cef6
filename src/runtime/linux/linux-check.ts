// Can this machine run the Linux-namespace runtime? One sentence naming what is missing, or
// undefined. Checked in order of the likeliest fix: root, busybox, nsenter, overlayfs, cgroups,
// namespaces.

import { access, constants, mkdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { detectCgroupLayout } from './cgroup-layout.js';
import { runProcess } from './run-process.js';

export const busyboxPathDefault = '/bin/busybox';
const nsenterCandidates = ['/usr/bin/nsenter', '/bin/nsenter', '/usr/sbin/nsenter'];

const appletsNeeded = [
  'sh',
  'unshare',
  'nsenter',
  'mount',
  'umount',
  'pivot_root',
  'mkfifo',
  'mknod',
  'ts',
  'awk',
  'ip',
  'hostname',
  'env',
];

/** The util-linux nsenter (exec and probes), or undefined. */
export async function findNsenter(): Promise<string | undefined> {
  for (const path of nsenterCandidates) {
    const found = await access(path, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return path;
  }
  return undefined;
}

export async function checkLinuxRuntime(
  busyboxPath = busyboxPathDefault,
): Promise<string | undefined> {
  if (process.platform !== 'linux')
    return `the namespace runtime needs Linux, not ${process.platform}`;
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return `the namespace runtime needs root (running as uid ${uid})`;
  const busybox = await checkBusybox(busyboxPath);
  if (busybox !== undefined) return busybox;
  if ((await findNsenter()) === undefined) {
    return "util-linux's nsenter is missing (looked in /usr/bin and /bin)";
  }
  const filesystems = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\boverlay$/m.test(filesystems)) {
    return 'the kernel has no overlay file system (try: modprobe overlay)';
  }
  const cgroups = await checkCgroups();
  if (cgroups !== undefined) return cgroups;
  return checkNamespaces(busyboxPath);
}

async function checkBusybox(busyboxPath: string): Promise<string | undefined> {
  const hint = "run scripts/ensure-busybox.sh, which installs Debian's busybox-static";
  const listed = await runProcess(busyboxPath, ['--list'], { timeoutMs: 5_000 }).catch(
    () => undefined,
  );
  if (listed === undefined || listed.exitCode !== 0) {
    return `a static busybox is missing at ${busyboxPath}: ${hint}`;
  }
  const applets = new Set(listed.stdout.split('\n'));
  const missing = appletsNeeded.filter((applet) => !applets.has(applet));
  if (missing.length > 0) {
    return `${busyboxPath} lacks the applets ${missing.join(', ')}: ${hint}`;
  }
  const linked = await runProcess('ldd', [busyboxPath], { timeoutMs: 5_000 }).catch(
    () => undefined,
  );
  if (linked !== undefined && linked.exitCode === 0 && !/not a dynamic/.test(linked.stdout)) {
    return `${busyboxPath} is dynamically linked, but containers need a static one: ${hint}`;
  }
  return undefined;
}

async function checkCgroups(): Promise<string | undefined> {
  const detected = await detectCgroupLayout();
  if (!detected.ok) return detected.error;
  const { layout } = detected;
  const parent = layout.version === 1 ? layout.parents.memory : layout.root;
  const probe = join(parent, `miniku-check-${process.pid}`);
  try {
    await mkdir(probe);
    await rmdir(probe);
  } catch (error) {
    return `cannot create cgroups under ${parent}: ${(error as Error).message}`;
  }
  return undefined;
}

async function checkNamespaces(busyboxPath: string): Promise<string | undefined> {
  const flags = ['--pid', '--fork', '--mount', '--uts', '--ipc', '--net'];
  const result = await runProcess(busyboxPath, ['unshare', ...flags, busyboxPath, 'true'], {
    timeoutMs: 10_000,
  }).catch((error: Error) => ({ exitCode: -1, stderr: error.message, stdout: '' }));
  if (result.exitCode === 0) return undefined;
  const detail = result.stderr.trim().split('\n')[0] ?? '';
  return `cannot create PID, mount, UTS, IPC and network namespaces: ${detail}`;
}
