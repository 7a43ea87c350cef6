// Tests for the baseline text: it round-trips, and a damaged file is refused at its line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleReportData } from '../report/sample-report-data.js';
import type { Baseline } from './baseline-model.js';
import { parseBaseline, renderBaseline } from './baseline-text.js';
import { baselineOf } from './build-baseline.js';

function roundTrip(baseline: Baseline): Baseline {
  const parsed = parseBaseline(renderBaseline(baseline));
  if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.message}`);
  return parsed.baseline;
}

describe('baseline text', () => {
  it('round-trips a baseline in lines mode and in counts mode', () => {
    const lines = baselineOf(sampleReportData());
    expect(roundTrip(lines)).toEqual(lines);
    const counts = baselineOf(sampleReportData(), { placementLinesMax: 3 });
    expect(roundTrip(counts)).toEqual(counts);
    expect(renderBaseline(roundTrip(counts))).toBe(renderBaseline(counts));
  });

  it('round-trips any expectation name, fault label and seed', () => {
    const text = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(
        text,
        text,
        fc.oneof(fc.integer(), text),
        fc.boolean(),
        (name, label, seed, held) => {
          const baseline: Baseline = {
            scenario: 'x',
            seed: JSON.stringify(seed),
            expectations: [{ name, verdict: held ? 'held' : 'failed' }],
            metrics: [{ name: 'a.b', value: 1.5 }],
            faults: [{ index: 0, label, recoveryMs: held ? null : 1_000 }],
            placements: { mode: 'lines', lines: [] },
          };
          expect(roundTrip(baseline)).toEqual(baseline);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('starts with a comment header and the format line, one placement per line', () => {
    const text = renderBaseline(baselineOf(sampleReportData()));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^# miniku sim check baseline/);
    expect(lines).toContain('baseline 1');
    expect(lines).toContain(
      'placement ReplicaSet/default/web-5d8f7b9c4d#0 worker-1 0.01s default/web-5d8f7b9c4d-rs',
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses a damaged baseline with the line that is wrong', () => {
    const text = renderBaseline(baselineOf(sampleReportData()));
    const broken = text.replace('metric pods.placed', 'metric pods.placed lots');
    const parsed = parseBaseline(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(broken.split('\n')[parsed.line - 1]).toMatch(/^metric pods\.placed/);
    expect(parseBaseline('scenario "x"\n')).toMatchObject({ ok: false, line: 1 });
    expect(parseBaseline('baseline 2\n')).toMatchObject({ ok: false, message: /format 2/ });
    expect(parseBaseline('baseline 1\nseed 1\n')).toMatchObject({ ok: false, line: 0 });
  });
});
