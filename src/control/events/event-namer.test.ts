// Tests of event names: the object name and the event's time in ns, in hex, unique per recorder.

import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/seeded-rng.js';
import { EventNamer } from './event-namer.js';

const startMs = Date.UTC(2026, 0, 1);

describe('EventNamer', () => {
  it('names an event after the object and the time in ns, in lower-case hex', () => {
    const namer = new EventNamer({ rng: createRng(1, 'names') });
    const name = namer.next('web-1', startMs);
    const match = /^web-1\.([0-9a-f]+)$/.exec(name);
    expect(match?.[1]).toHaveLength(16);
    const ns = BigInt(`0x${match?.[1]}`);
    expect(ns / 1_000_000n).toBe(BigInt(startMs));
  });

  it('gives the same names for the same seed', () => {
    const names = (seed: number) => {
      const namer = new EventNamer({ rng: createRng(seed, 'names') });
      return [0, 0, 5].map((offsetMs) => namer.next('p', startMs + offsetMs));
    };
    expect(names(3)).toEqual(names(3));
    expect(names(3)).not.toEqual(names(4));
  });

  it('keeps times strictly increasing within a ms and when the clock steps back', () => {
    const namer = new EventNamer({ rng: createRng(1, 'names') });
    const times = [0, 0, 0, 0, -1_000, 0].map((offsetMs) => namer.nextNs(startMs + offsetMs));
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as bigint) > (times[i - 1] as bigint)).toBe(true);
    }
  });
});
