// ControllerExpectations: counts lowered by observations, deletions tracked per pod, and the TTL.

import { describe, expect, it } from 'vitest';
import { ControllerExpectations } from './expectations.js';

function setup(timeoutMs?: number) {
  const time = { nowMs: 1_000_000 };
  const expectations = new ControllerExpectations({
    clock: { nowMs: () => time.nowMs },
    timeoutMs,
  });
  return { time, expectations };
}

describe('controller expectations', () => {
  it('are satisfied for a key that never expected anything', () => {
    const { expectations } = setup();
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(expectations.msUntilExpiry('ns/web')).toBeUndefined();
  });

  it('wait until every expected creation was observed', () => {
    const { expectations } = setup();
    expectations.expectCreations('ns/web', 3);
    expect(expectations.satisfied('ns/web')).toBe(false);
    expectations.creationObserved('ns/web');
    expectations.creationObserved('ns/web');
    expect(expectations.pending('ns/web')).toEqual({ add: 1, del: 0 });
    expect(expectations.satisfied('ns/web')).toBe(false);
    expectations.creationObserved('ns/web');
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(expectations.satisfied('ns/other')).toBe(true);
  });

  it('count each expected pod deletion once, and only expected pods', () => {
    const { expectations } = setup();
    expectations.expectDeletions('ns/web', ['ns/web-a', 'ns/web-b']);
    expectations.deletionObserved('ns/web', 'ns/web-x');
    expectations.deletionObserved('ns/web', 'ns/web-a');
    expectations.deletionObserved('ns/web', 'ns/web-a');
    expect(expectations.pending('ns/web')).toEqual({ add: 0, del: 1 });
    expect(expectations.satisfied('ns/web')).toBe(false);
    expectations.deletionObserved('ns/web', 'ns/web-b');
    expect(expectations.satisfied('ns/web')).toBe(true);
  });

  it('replace earlier expectations when new ones are set', () => {
    const { expectations } = setup();
    expectations.expectCreations('ns/web', 5);
    expectations.expectDeletions('ns/web', ['ns/web-a']);
    expect(expectations.pending('ns/web')).toEqual({ add: 0, del: 1 });
  });

  it('expire strictly after the timeout and say when', () => {
    const { time, expectations } = setup(300_000);
    expectations.expectCreations('ns/web', 2);
    time.nowMs += 100_000;
    expect(expectations.msUntilExpiry('ns/web')).toBe(200_001);
    time.nowMs += 200_000;
    expect(expectations.satisfied('ns/web')).toBe(false);
    expect(expectations.msUntilExpiry('ns/web')).toBe(1);
    time.nowMs += 1;
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(expectations.msUntilExpiry('ns/web')).toBeUndefined();
  });

  it('forget a deleted controller', () => {
    const { expectations } = setup();
    expectations.expectCreations('ns/web', 2);
    expectations.delete('ns/web');
    expect(expectations.satisfied('ns/web')).toBe(true);
    expect(expectations.size).toBe(0);
    expectations.creationObserved('ns/web');
    expect(expectations.size).toBe(0);
  });
});
