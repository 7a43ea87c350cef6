// Reads a container's CRI-format log (`<RFC 3339>Z <stdout|stderr> <F|P> <text>` per line, as
// the shim writes it) for logs(): tail, since, and kubectl's `--timestamps` prefix.

import { open } from 'node:fs/promises';

export interface CriLogLine {
  /** As written, e.g. `2026-01-01T00:00:00.123456Z`. */
  timestamp: string;
  stream: 'stdout' | 'stderr';
  /** F: a full line; P: part of a longer line, continued by the next entry. */
  tag: 'F' | 'P';
  text: string;
}

export interface ReadLogOptions {
  /** Only the last N lines; 0 for all. */
  tailLines: number;
  timestamps: boolean;
  /** Only lines stamped at or after this time (ms since the epoch); 0 for all. */
  sinceMs: number;
}

/** At most this much of the end of a log file is read. */
export const logReadBytesMax = 16 * 1024 * 1024;

const linePattern = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s;

export function parseCriLine(line: string): CriLogLine | undefined {
  const match = linePattern.exec(line);
  if (match === null) return undefined;
  const [, timestamp = '', stream, tag, text = ''] = match;
  return { timestamp, stream: stream as 'stdout' | 'stderr', tag: tag as 'F' | 'P', text };
}

/** Go's RFC3339Nano: the fraction without trailing zeros (and without a dot when it is 0). */
export function goRfc3339Nano(timestamp: string): string {
  return timestamp.replace(/\.(\d*?)0+Z$/, (_, kept: string) => (kept === '' ? 'Z' : `.${kept}Z`));
}

/** The log's lines as logs() returns them; a missing file has none. */
export async function readContainerLog(path: string, options: ReadLogOptions): Promise<string[]> {
  const text = await readTail(path);
  const parsed = text
    .split('\n')
    .map(parseCriLine)
    .filter((entry): entry is CriLogLine => entry !== undefined);
  // The two streams are stamped by two writers, so file order may differ slightly from time
  // order; the sort is stable, and the stamps have a fixed width.
  parsed.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const entries = joinPartials(parsed);
  const since = entries.filter(
    (entry) => options.sinceMs <= 0 || Date.parse(entry.timestamp) >= options.sinceMs,
  );
  const tail = options.tailLines > 0 ? since.slice(-options.tailLines) : since;
  return tail.map((entry) =>
    options.timestamps ? `${goRfc3339Nano(entry.timestamp)} ${entry.text}` : entry.text,
  );
}

/** Joins `P` entries with the entry that completes them, per stream. */
function joinPartials(entries: CriLogLine[]): CriLogLine[] {
  const out: CriLogLine[] = [];
  const pending = new Map<string, CriLogLine>();
  for (const entry of entries) {
    const head = pending.get(entry.stream);
    const joined =
      head === undefined ? entry : { ...head, tag: entry.tag, text: head.text + entry.text };
    if (joined.tag === 'P') pending.set(entry.stream, joined);
    else {
      pending.delete(entry.stream);
      out.push(joined);
    }
  }
  return out;
}

async function readTail(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, logReadBytesMax);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // A cut first line is dropped.
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await handle.close();
  }
}
