// A container's log file in the CRI format the kubelet reads (`<RFC3339Nano> <stream> F <text>`
// per line): written from the process's stdout and stderr, read back for pods/log.

import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { PassiveClock } from '../control/ports/clock.js';
import type { LogOptions } from '../control/ports/container-runtime.js';

/** A line longer than this (no newline yet) is written out as it is. */
export const logLineBytesMax = 16 * 1024;

export type LogStreamName = 'stdout' | 'stderr';

/** Go's RFC3339Nano of a ms time: the fraction without trailing zeros. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-01T00:00:00.120Z
  const [seconds, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${seconds}Z` : `${seconds}.${trimmed}Z`;
}

export class ContainerLogFile {
  private readonly file: WriteStream;
  private readonly clock: PassiveClock;
  private readonly partial: Record<LogStreamName, string> = { stdout: '', stderr: '' };
  private closing: Promise<void> | undefined;

  constructor(options: { path: string; clock: PassiveClock }) {
    this.file = createWriteStream(options.path, { flags: 'a' });
    this.file.on('error', () => undefined);
    this.clock = options.clock;
  }

  write(stream: LogStreamName, chunk: Buffer): void {
    const lines = (this.partial[stream] + chunk.toString()).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.writeLine(stream, line);
    if (this.partial[stream].length > logLineBytesMax) this.flush(stream);
  }

  /** Writes what is left of unterminated lines and closes the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.flush('stdout');
      this.flush('stderr');
      this.file.end(() => resolve());
    });
    return this.closing;
  }

  private flush(stream: LogStreamName): void {
    if (this.partial[stream] !== '') this.writeLine(stream, this.partial[stream]);
    this.partial[stream] = '';
  }

  private writeLine(stream: LogStreamName, text: string): void {
    if (this.closing !== undefined && this.file.writableEnded) return;
    this.file.write(`${rfc3339Nano(this.clock.nowMs())} ${stream} F ${text}\n`);
  }
}

export interface ContainerLogLine {
  time: string;
  stream: LogStreamName;
  text: string;
}

/** Parses one CRI log line; undefined when it is not one. */
export function parseLogLine(line: string): ContainerLogLine | undefined {
  const match = /^(\S+) (stdout|stderr) [FP] (.*)$/s.exec(line);
  if (match === null) return undefined;
  return { time: match[1] as string, stream: match[2] as LogStreamName, text: match[3] as string };
}

/** The file's lines (all, or the last tailLines), each prefixed with its time if asked. */
export async function readContainerLog(path: string, options: LogOptions): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const parsed = text
    .split('\n')
    .map(parseLogLine)
    .filter((line): line is ContainerLogLine => line !== undefined);
  const kept = options.tailLines > 0 ? parsed.slice(-options.tailLines) : parsed;
  return kept.map((line) => (options.timestamps ? `${line.time} ${line.text}` : line.text));
}
