// Host process and mount facts from /proc: process identity (pid + start time, so a reused pid is
// never signalled), and the mount points under a directory.

import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { unescapeMount } from './cgroup-layout.js';

/** A process as recorded on disk: its pid and its start time in clock ticks since boot. */
export interface ProcessIdentity {
  pid: number;
  startTicks: string;
}

/** The process's start time, or undefined when there is no such process (or only a zombie). */
export async function processStartTicks(pid: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

export async function identify(pid: number): Promise<ProcessIdentity | undefined> {
  const startTicks = await processStartTicks(pid);
  return startTicks === undefined ? undefined : { pid, startTicks };
}

export async function isAlive(process: ProcessIdentity | undefined): Promise<boolean> {
  if (process === undefined) return false;
  return (await processStartTicks(process.pid)) === process.startTicks;
}

/** Sends `signal` if the process is still the one recorded; false when it is gone. */
export async function signalProcess(
  target: ProcessIdentity | undefined,
  signal: NodeJS.Signals,
): Promise<boolean> {
  if (target === undefined || !(await isAlive(target))) return false;
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Mount points at or below `dir` in this process's mount namespace, deepest first. */
export async function mountPointsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points: string[] = [];
  for (const line of text.split('\n')) {
    const target = line.split(' ')[4];
    if (target === undefined) continue;
    const path = unescapeMount(target);
    if (path === dir || path.startsWith(dir + sep)) points.push(path);
  }
  return points.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}
