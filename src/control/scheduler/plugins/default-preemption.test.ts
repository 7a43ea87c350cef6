// Tests for DefaultPreemption against a slot-counting filter double: eligibility, victim
// reprieval, candidate order, the no-candidate message, and the victim-priority property.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Rng } from '../../ports/rng.js';
import type { JsonObject } from '../../store/types.js';
import { CycleState, status, success } from '../framework/types.js';
import type { NodeInfo, PodInfo, Status } from '../framework/types.js';
import {
  makeNode,
  makePod,
  makeSnapshot,
  RecordingHandle,
} from '../../../../test/scheduler/plugin-fixtures.js';
import { factory, numCandidates, preemptionArgsOf } from './default-preemption.js';
import type { PreemptionHandle } from './default-preemption.js';

const tooMany = 'Too many pods';

/** Fits while the node holds fewer pods than its `slots` label. */
function slotFilter(_state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
  const slots = Number(node.labels['slots'] ?? '1');
  return node.pods.length < slots ? success : status('Unschedulable', tooMany);
}

function fixedRng(value: number): Rng {
  const rng: Rng = {
    path: 'test',
    fork: () => rng,
    intBelow: (n) => value % n,
    chance: () => false,
    pick: (items) => items[0]!,
    float: () => 0,
  };
  return rng;
}

class PreemptionTestHandle extends RecordingHandle implements PreemptionHandle {
  rng: Rng | undefined;
  nominated: PodInfo[] = [];
  constructor(options: { rng?: Rng; nowMs?: number } = {}) {
    super({ nowMs: options.nowMs ?? 1_000_000 });
    this.rng = options.rng;
  }
  filterNode(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    return slotFilter(state, pod, node);
  }
  override nominatedPods(nodeName: string): readonly PodInfo[] {
    return this.nominated.filter((p) => p.pod['status'] && nominatedTo(p) === nodeName);
  }
}

function nominatedTo(p: PodInfo): string | undefined {
  return (p.pod['status'] as { nominatedNodeName?: string }).nominatedNodeName;
}

function full(name: string, pods: PodInfo[], slots = pods.length): NodeInfo {
  return makeNode(name, { slots: String(slots) }, pods);
}

function low(name: string, priority: number, startTime?: string): PodInfo {
  return makePod(name, { priority, ...(startTime ? { startTime } : {}) });
}

async function run(
  pod: PodInfo,
  nodes: NodeInfo[],
  options: {
    handle?: PreemptionTestHandle;
    statuses?: Map<string, Status>;
    args?: JsonObject;
  } = {},
) {
  const handle = options.handle ?? new PreemptionTestHandle();
  const plugin = factory({ args: options.args, schedulerName: 'default-scheduler', handle });
  const statuses =
    options.statuses ?? new Map(nodes.map((n) => [n.name, slotFilter(new CycleState(), pod, n)]));
  const out = await plugin.postFilter!(new CycleState(), pod, statuses, makeSnapshot(nodes));
  return { ...out, handle };
}

const preemptor = (extra = {}) => makePod('vip', { priority: 100, ...extra });

describe('DefaultPreemption eligibility', () => {
  it('refuses pods with preemptionPolicy Never', async () => {
    const pod = preemptor({ spec: { preemptionPolicy: 'Never' } });
    const out = await run(pod, [full('a', [low('l', 1)])]);
    expect(out.status).toEqual({
      code: 'Unschedulable',
      reasons: ['preemption: not eligible due to preemptionPolicy=Never'],
    });
  });

  it('waits while a pod it preempted still terminates on the nominated node', async () => {
    const victim = makePod('old', { priority: 1, terminating: true });
    (victim.pod['status'] as Record<string, unknown>)['conditions'] = [
      { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' },
    ];
    const pod = preemptor({ nominatedNodeName: 'a' });
    const out = await run(pod, [full('a', [victim, low('l', 1)])]);
    expect(out.status.reasons).toEqual([
      'preemption: not eligible due to a terminating pod on the nominated node',
    ]);
    const unresolvable = new Map([['a', status('UnschedulableAndUnresolvable', 'x')]]);
    const again = await run(pod, [full('a', [victim, low('l', 1)])], { statuses: unresolvable });
    expect(again.status.reasons[0]).toMatch(/^preemption: 0\/1 nodes are available/);
  });
});

describe('DefaultPreemption victims', () => {
  it('deletes only the victims it needs, reprieving the most important first', async () => {
    const pods = [low('p1', 1), low('p5', 5), low('p3', 3)];
    const out = await run(preemptor(), [full('a', pods, 3)]);
    expect(out.status).toEqual(success);
    expect(out.result).toEqual({ nominatedNodeName: 'a' });
    expect(out.handle.deleted).toEqual([
      { victim: 'default/p1', reason: 'Preempted by pod uid-vip on node a' },
    ]);
  });

  it('never evicts pods of equal or higher priority', async () => {
    const out = await run(preemptor(), [
      full('a', [makePod('peer', { priority: 100 }), low('l', 1)]),
    ]);
    expect(out.handle.deleted.map((d) => d.victim)).toEqual(['default/l']);
  });

  it('clears lower-priority nominations to the chosen node', async () => {
    const handle = new PreemptionTestHandle();
    handle.nominated = [
      makePod('small', { priority: 1, nominatedNodeName: 'a' }),
      makePod('big', { priority: 200, nominatedNodeName: 'a' }),
    ];
    await run(preemptor(), [full('a', [low('l', 1)])], { handle });
    expect(handle.nominations).toEqual([{ pod: 'default/small', nodeName: '' }]);
  });
});

describe('DefaultPreemption candidate order', () => {
  const pick = async (nodes: NodeInfo[]) => (await run(preemptor(), nodes)).result;

  it('prefers the node whose most important victim has the lowest priority', async () => {
    expect(await pick([full('a', [low('a1', 5)]), full('b', [low('b1', 3)])])).toEqual({
      nominatedNodeName: 'b',
    });
  });

  it('then the lowest sum of victim priorities', async () => {
    const a = full('a', [low('a1', 5), low('a2', 4)], 1);
    const b = full('b', [low('b1', 5), low('b2', 1)], 1);
    expect(await pick([a, b])).toEqual({ nominatedNodeName: 'b' });
  });

  it('then the fewest victims', async () => {
    const a = full('a', [low('a1', 5), low('a2', -(2 ** 31))], 1);
    const b = full('b', [low('b1', 5)]);
    // Same top priority, and with upstream's +2^31 per victim the same sum: 5 + 2^31.
    expect(await pick([a, b])).toEqual({ nominatedNodeName: 'b' });
  });

  it('then the latest start among the most important victims', async () => {
    const a = full('a', [low('a1', 5, '2026-01-01T00:00:10Z')]);
    const b = full('b', [low('b1', 5, '2026-01-01T00:00:20Z')]);
    expect(await pick([a, b])).toEqual({ nominatedNodeName: 'b' });
  });

  it('then the first candidate found, starting from the random offset', async () => {
    const nodes = ['a', 'b', 'c'].map((n) => full(n, [low(`${n}1`, 5, '2026-01-01T00:00:00Z')]));
    expect(await pick(nodes)).toEqual({ nominatedNodeName: 'a' });
    const args = { minCandidateNodesAbsolute: 1, minCandidateNodesPercentage: 0 };
    const handle = new PreemptionTestHandle({ rng: fixedRng(2) });
    const out = await run(preemptor(), nodes, { handle, args: args as unknown as JsonObject });
    expect(out.result).toEqual({ nominatedNodeName: 'c' });
  });
});

describe('DefaultPreemption without candidates', () => {
  it('explains every node in a sorted histogram', async () => {
    const nodes = [
      full('a', [makePod('peer', { priority: 100 })]),
      makeNode('b'),
      makeNode('c'),
      full('d', [low('l', 1)], 0),
    ];
    const statuses = new Map<string, Status>([
      ['a', status('Unschedulable', tooMany)],
      ['b', status('UnschedulableAndUnresolvable', 'node(s) were unschedulable')],
      ['c', status('UnschedulableAndUnresolvable', 'node(s) were unschedulable')],
      ['d', status('Unschedulable', tooMany)],
    ]);
    const out = await run(preemptor({ nominatedNodeName: 'a' }), nodes, { statuses });
    expect(out.status).toEqual({
      code: 'Unschedulable',
      reasons: [
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, ' +
          `1 ${tooMany}, 2 Preemption is not helpful for scheduling`,
      ],
    });
    expect(out.handle.deleted).toEqual([]);
    expect(out.handle.nominations).toEqual([{ pod: 'default/vip', nodeName: '' }]);
  });

  it('reports an error without filterNode on the handle', async () => {
    const plugin = factory({
      args: undefined,
      schedulerName: 'default-scheduler',
      handle: new RecordingHandle(),
    });
    const out = await plugin.postFilter!(
      new CycleState(),
      preemptor(),
      new Map(),
      makeSnapshot([]),
    );
    expect(out.status.code).toBe('Error');
  });
});

describe('numCandidates', () => {
  it('takes 10% of the nodes, at least 100, at most all', () => {
    const args = preemptionArgsOf(undefined);
    expect([50, 500, 1000, 5000].map((n) => numCandidates(n, args))).toEqual([50, 100, 100, 500]);
  });
});

describe('DefaultPreemption property', () => {
  it('never picks victims of priority at least the preemptor, and frees room', async () => {
    const arb = fc.record({
      priority: fc.integer({ min: -5, max: 5 }),
      nodes: fc.array(
        fc.record({
          slots: fc.integer({ min: 0, max: 3 }),
          priorities: fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ priority, nodes }) => {
        const infos = nodes.map((n, i) =>
          full(
            `n${i}`,
            n.priorities.map((p, j) => low(`p${i}-${j}`, p)),
            n.slots,
          ),
        );
        const pod = makePod('vip', { priority });
        const out = await run(pod, infos);
        const victims = out.handle.deleted.map((d) => d.victim);
        const byKey = new Map(infos.flatMap((n) => n.pods.map((p) => [p.key, p] as const)));
        if (victims.some((v) => byKey.get(v)!.priority >= priority)) return false;
        const chosen = out.result?.nominatedNodeName;
        if (chosen === undefined || chosen === '') return victims.length === 0;
        const node = infos.find((n) => n.name === chosen)!;
        const left = node.pods.filter((p) => !victims.includes(p.key)).length;
        return left < Number(node.labels['slots']);
      }),
      { numRuns: 200 },
    );
  });
});
