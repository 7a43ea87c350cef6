import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../ports/recorder.js';
import type { Decision } from './explain.js';
import { recordDecision, summaryFields, topNodes } from './explain.js';

function decision(): Decision {
  const totals = Float64Array.from([10, 50, 30, 50]);
  return {
    pod: 'default/p',
    profile: 'default-scheduler',
    nodeCount: 6,
    sampledNodeCount: 6,
    feasibleNodeCount: 4,
    filtered: [
      {
        node: 'x',
        plugin: 'NodeResourcesFit',
        code: 'Unschedulable',
        reasons: ['Insufficient cpu'],
      },
      {
        node: 'y',
        plugin: 'NodeResourcesFit',
        code: 'Unschedulable',
        reasons: ['Insufficient cpu'],
      },
    ],
    scores: {
      nodes: ['a', 'b', 'c', 'd'],
      plugins: [{ plugin: 'A', weight: 1, raw: totals, normalized: totals }],
      totals,
    },
    chosen: 'd',
  };
}

describe('decision records', () => {
  it('lists the top 3 nodes by total, ties in evaluation order', () => {
    expect(topNodes(decision(), 3).map((n) => n.node)).toEqual(['b', 'd', 'c']);
  });

  it('summarises reasons, sample size, top nodes and the choice', () => {
    const fields = summaryFields(decision());
    expect(fields).toMatchObject({
      reasons: ['2 Insufficient cpu'],
      sampledNodeCount: 6,
      chosen: 'd',
    });
    expect((fields.top as unknown[]).length).toBe(3);
  });

  it('writes a summary and a full record of type scheduler.decision', () => {
    const records: TraceRecord[] = [];
    const recorder = { trace: (r: TraceRecord) => void records.push(r), metric: () => undefined };
    recordDecision(recorder, decision(), { atMs: 5, component: 'scheduler' });
    expect(records.map((r) => [r.type, r.level])).toEqual([
      ['scheduler.decision', 'summary'],
      ['scheduler.decision', 'full'],
    ]);
    expect((records[1]!.fields.scored as unknown[]).length).toBe(4);
    expect((records[1]!.fields.filtered as unknown[]).length).toBe(2);
  });
});

describe('decision record levels', () => {
  it('builds only the summary when the setting is summary', () => {
    const records: TraceRecord[] = [];
    const recorder = { trace: (r: TraceRecord) => void records.push(r), metric: () => undefined };
    recordDecision(recorder, decision(), { atMs: 5, component: 's', levelSetting: 'summary' });
    recordDecision(recorder, decision(), { atMs: 5, component: 's', levelSetting: 'none' });
    expect(records.map((r) => r.level)).toEqual(['summary']);
  });
});
