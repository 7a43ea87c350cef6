// LinuxRuntime.check(): one sentence naming what the host lacks, or undefined.

import { describe, expect, it } from 'vitest';
import { checkLinuxRuntime } from './linux-check.js';

const isRoot = process.getuid?.() === 0;

describe('checkLinuxRuntime', () => {
  it('names the first missing piece in one sentence', async () => {
    const reason = await checkLinuxRuntime('/nonexistent/busybox');
    expect(reason).toMatch(isRoot ? /^a static busybox is missing at \/nonexistent/ : /needs root/);
    expect(reason).not.toContain('\n');
  });
});
