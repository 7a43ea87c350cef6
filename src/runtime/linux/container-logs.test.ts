// Reading CRI log files: parsing, time order across streams, partial lines, tail and since.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goRfc3339Nano, parseCriLine, readContainerLog } from './container-logs.js';

const all = { tailLines: 0, timestamps: false, sinceMs: 0 };

describe('container logs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miniku-logs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function log(lines: string[]): Promise<string> {
    const path = join(dir, 'container.log');
    await writeFile(path, lines.map((line) => `${line}\n`).join(''));
    return path;
  }

  it('parses CRI lines, keeping spaces in the text', () => {
    expect(parseCriLine('2026-01-01T00:00:00.120000Z stderr F  two  spaces ')).toEqual({
      timestamp: '2026-01-01T00:00:00.120000Z',
      stream: 'stderr',
      tag: 'F',
      text: ' two  spaces ',
    });
    expect(parseCriLine('2026-01-01T00:00:00Z stdout F ')).toMatchObject({ text: '' });
    expect(parseCriLine('garbage')).toBeUndefined();
  });

  it("formats timestamps like Go's RFC3339Nano", () => {
    expect(goRfc3339Nano('2026-01-01T00:00:00.120000Z')).toBe('2026-01-01T00:00:00.12Z');
    expect(goRfc3339Nano('2026-01-01T00:00:00.000000Z')).toBe('2026-01-01T00:00:00Z');
    expect(goRfc3339Nano('2026-01-01T00:00:00.123456Z')).toBe('2026-01-01T00:00:00.123456Z');
  });

  it('orders the streams by time, joins partial lines and applies tail and since', async () => {
    const path = await log([
      '2026-01-01T00:00:00.200000Z stderr F late',
      '2026-01-01T00:00:00.100000Z stdout P first ',
      '2026-01-01T00:00:00.150000Z stdout F half',
      '2026-01-01T00:00:01.000000Z stdout F last',
    ]);
    expect(await readContainerLog(path, all)).toEqual(['first half', 'late', 'last']);
    expect(await readContainerLog(path, { ...all, tailLines: 1, timestamps: true })).toEqual([
      '2026-01-01T00:00:01Z last',
    ]);
    const sinceMs = Date.parse('2026-01-01T00:00:00.500Z');
    expect(await readContainerLog(path, { ...all, sinceMs })).toEqual(['last']);
  });

  it('reads a missing log as empty', async () => {
    expect(await readContainerLog(join(dir, 'none.log'), all)).toEqual([]);
  });
});
