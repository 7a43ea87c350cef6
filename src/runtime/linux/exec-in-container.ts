// exec: runs a command inside a running container, joined to its cgroup(s) first (as runc exec
// does) and then to all its namespaces and its root with util-linux nsenter, which looks the
// command up in the container's PATH (busybox's nsenter would prefer its own applets). The
// environment is exactly the container's.

import type { ExecResult } from '../../control/ports/container-runtime.js';
import { RuntimeError } from '../../control/ports/container-runtime.js';
import { runProcess } from './run-process.js';

export interface ExecSpec {
  busyboxPath: string;
  nsenterPath: string;
  /** Host pid of the container's init. */
  initPid: number;
  /** Holds cgroup-procs. */
  containerDir: string;
  /** `NAME=value` entries. */
  env: string[];
  command: string[];
  /** 0: no limit. */
  timeoutMs: number;
}

const execOutputBytesMax = 16 * 1024 * 1024;

// "$@" is the environment (NAME=value entries), then the nsenter command line: env -i runs the
// first argument without a "=" with exactly those entries.
const execWrapperScript = `
bb=$1
shift
while IFS= read -r f; do
  echo $$ > "$f" || { echo "cannot join the cgroup $f" >&2; exit 126; }
done < cgroup-procs
exec "$bb" env -i -- "$@"
`;

export async function execInContainer(spec: ExecSpec): Promise<ExecResult> {
  if (spec.command.length === 0) {
    throw new RuntimeError('ExecError', 'exec needs a command');
  }
  const nsenter = [spec.nsenterPath, '-t', String(spec.initPid), '-m', '-u', '-i', '-n', '-p'];
  const args = [
    'sh',
    '-c',
    execWrapperScript,
    'exec',
    spec.busyboxPath,
    ...spec.env,
    ...nsenter,
    '-r',
    '-w',
    '--',
    ...spec.command,
  ];
  const result = await runProcess(spec.busyboxPath, args, {
    env: {},
    timeoutMs: spec.timeoutMs,
    outputBytesMax: execOutputBytesMax,
    cwd: spec.containerDir,
  });
  if (result.timedOut) {
    const message = `failed to exec in container: timeout ${spec.timeoutMs}ms exceeded`;
    throw new RuntimeError('DeadlineExceeded', message);
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
