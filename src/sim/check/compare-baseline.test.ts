// Tests for comparing baselines: what counts as moved, flipped or drifted, and what does not.
import { describe, expect, it } from 'vitest';
import type { Baseline, BaselinePlacement } from './baseline-model.js';
import { countsOf } from './build-baseline.js';
import { compareBaselines, diffIsEmpty } from './compare-baseline.js';
import { renderDiffLines } from './render-check-text.js';
import { emptyToleranceConfig, parseTolerances } from './tolerances.js';

function place(pod: string, node: string, atMs = 0, name = `default/${pod}`): BaselinePlacement {
  return { pod, node, atMs, name };
}

function baseline(lines: BaselinePlacement[], overrides: Partial<Baseline> = {}): Baseline {
  return {
    scenario: 'demo',
    seed: '1',
    expectations: [{ name: 'all ready', verdict: 'held' }],
    metrics: [
      { name: 'scheduler.scheduled', value: 3 },
      { name: 'schedulingLatencyMs.p99', value: 1_000 },
    ],
    faults: [{ index: 0, label: 'crashNode w-2', recoveryMs: 30_000 }],
    placements: { mode: 'lines', lines },
    ...overrides,
  };
}

const options = { tolerances: emptyToleranceConfig };
const before = baseline([
  place('RS/d/web#0', 'n1'),
  place('RS/d/web#1', 'n2'),
  place('RS/d/web#2', 'n1'),
]);

describe('compareBaselines', () => {
  it('finds nothing when only times and generated names differ', () => {
    const after = baseline([
      place('RS/d/web#0', 'n1', 900, 'default/web-xyz'),
      place('RS/d/web#1', 'n2', 5),
      place('RS/d/web#2', 'n1'),
    ]);
    expect(diffIsEmpty(compareBaselines(before, after, options))).toBe(true);
  });

  it('lists pods that moved, appeared and disappeared by identity', () => {
    const after = baseline([
      place('RS/d/web#0', 'n1'),
      place('RS/d/web#1', 'n3', 0, 'default/web-new'),
      place('RS/d/web#3', 'n2'),
    ]);
    const diff = compareBaselines(before, after, options);
    expect(diff.moved).toEqual([
      {
        pod: 'RS/d/web#1',
        from: 'n2',
        to: 'n3',
        nameBefore: 'default/RS/d/web#1',
        nameAfter: 'default/web-new',
      },
    ]);
    expect(diff.disappeared).toEqual([
      { pod: 'RS/d/web#2', node: 'n1', name: 'default/RS/d/web#2' },
    ]);
    expect(diff.appeared).toEqual([{ pod: 'RS/d/web#3', node: 'n2', name: 'default/RS/d/web#3' }]);
  });

  it('does not call every pod moved when an unrelated owner gains a pod', () => {
    const after = baseline([
      ...(before.placements.mode === 'lines' ? before.placements.lines : []),
      place('RS/d/other#0', 'n2'),
    ]);
    const diff = compareBaselines(before, after, options);
    expect(diff.moved).toEqual([]);
    expect(diff.appeared.map((p) => p.pod)).toEqual(['RS/d/other#0']);
  });

  it('reports flipped, added and removed expectations', () => {
    const after = baseline([], {
      expectations: [
        { name: 'all ready', verdict: 'failed' },
        { name: 'new one', verdict: 'held' },
      ],
    });
    const diff = compareBaselines(baseline([]), after, options);
    expect(diff.expectations).toEqual([
      { name: 'all ready', before: 'held', after: 'failed' },
      { name: 'new one', before: 'absent', after: 'held' },
    ]);
  });

  it('flags metrics beyond tolerance with old and new values, and fault recoveries lost', () => {
    const after = baseline([], {
      metrics: [
        { name: 'scheduler.scheduled', value: 3 },
        { name: 'schedulingLatencyMs.p99', value: 1_400 },
      ],
      faults: [{ index: 0, label: 'crashNode w-2', recoveryMs: null }],
    });
    const diff = compareBaselines(baseline([]), after, options);
    // The default latency tolerance (±500 ms or ±20 %) absorbs +400 ms.
    expect(diff.metrics).toEqual([
      {
        name: 'recoveryMs.0',
        label: 'crashNode w-2',
        before: 30_000,
        after: 'never',
        tolerance: expect.any(Object),
      },
    ]);
    const strict = parseTolerances(
      'metrics: { schedulingLatencyMs.*: { absolute: 100 } }',
      't.yaml',
    );
    if (!strict.ok) throw new Error(strict.errors.join());
    const strictDiff = compareBaselines(baseline([]), after, { tolerances: strict.config });
    expect(strictDiff.metrics.map((m) => [m.name, m.before, m.after])).toContainEqual([
      'schedulingLatencyMs.p99',
      1_000,
      1_400,
    ]);
    expect(renderDiffLines(strictDiff).join('\n')).toContain(
      'schedulingLatencyMs.p99: 1000 -> 1400 (+400, +40%; tolerance ±100)',
    );
  });

  it('compares a listed baseline with a counted run by counts and digest', () => {
    const lines = [place('RS/d/web#0', 'n1'), place('RS/d/web#1', 'n2')];
    const swapped = [place('RS/d/web#0', 'n2'), place('RS/d/web#1', 'n1')];
    const moved = [place('RS/d/web#0', 'n2'), place('RS/d/web#1', 'n2')];
    const counted = (l: BaselinePlacement[]) => baseline([], { placements: countsOf(l) });
    expect(diffIsEmpty(compareBaselines(baseline(lines), counted(lines), options))).toBe(true);
    const swap = compareBaselines(baseline(lines), counted(swapped), options);
    expect(swap).toMatchObject({ placementMode: 'counts', countChanges: [], digestChanged: true });
    const move = compareBaselines(counted(lines), counted(moved), options);
    expect(move.countChanges).toEqual([
      { owner: 'RS/d/web', node: 'n1', before: 1, after: 0 },
      { owner: 'RS/d/web', node: 'n2', before: 1, after: 2 },
    ]);
  });

  it('reports a changed seed', () => {
    const diff = compareBaselines(baseline([]), baseline([], { seed: '2' }), options);
    expect(diff.seed).toEqual({ before: '1', after: '2' });
  });
});
