// DefaultPreemption (kube-scheduler v1.32 `plugins/defaultpreemption` + `framework/preemption`):
// when no node fits, find nodes where removing lower-priority pods would make room, pick one,
// delete its victims and nominate the pod there.
//
// The plugin needs two services FrameworkHandle does not declare (see PreemptionHandle; the
// runtime's ProfileHandle provides both): `filterNode` to re-run the profile's filters on a
// what-if node, and `rng` for the candidate search's start offset (0 without it). Without
// filterNode, PostFilter reports an Error status.
import type { Rng } from '../../ports/rng.js';
import type { JsonObject } from '../../store/types.js';
import { compareGoStrings } from '../../api/values/go-format.js';
import type {
  CycleState,
  FrameworkHandle,
  NodeInfo,
  Plugin,
  PluginFactory,
  PodInfo,
  PostFilterResult,
  Snapshot,
  Status,
} from '../framework/types.js';
import { isSuccess, status, success } from '../framework/types.js';
import { assert } from '../../util/assert.js';
import { pickCandidate } from './default-preemption-candidates.js';
import type { Candidate } from './default-preemption-candidates.js';
import { selectVictimsOnNode } from './default-preemption-victims.js';
import type { FilterNode } from './default-preemption-victims.js';

export const NAME = 'DefaultPreemption';

export const reasonNotHelpful = 'Preemption is not helpful for scheduling';
export const messageNever = 'not eligible due to preemptionPolicy=Never';
export const messageTerminating = 'not eligible due to a terminating pod on the nominated node';

/**
 * Proposed FrameworkHandle additions. `filterNode` is upstream's
 * RunFilterPluginsWithNominatedPods for a what-if node: every Filter plugin of the profile on
 * `node` (a copy with some pods removed), with the pods nominated to it at priority ≥ pod's
 * added. PreFilter-derived state must describe `node`'s current pods (upstream updates it
 * through the AddPod/RemovePod PreFilter extensions). `rng`: the scheduler's preemption stream.
 */
export interface PreemptionHandle extends FrameworkHandle {
  filterNode(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  rng?: Rng;
}

export interface PreemptionArgs {
  /** Share of the potential nodes to dry-run, 0–100 (default 10). */
  minCandidateNodesPercentage: number;
  /** Lower bound on nodes to dry-run (default 100). */
  minCandidateNodesAbsolute: number;
}

export function preemptionArgsOf(args: JsonObject | undefined): PreemptionArgs {
  const percentage = (args?.['minCandidateNodesPercentage'] as number | undefined) ?? 10;
  const absolute = (args?.['minCandidateNodesAbsolute'] as number | undefined) ?? 100;
  assert(Number.isInteger(percentage) && percentage >= 0 && percentage <= 100, 'percentage');
  assert(Number.isInteger(absolute) && absolute >= 0, 'minCandidateNodesAbsolute');
  return { minCandidateNodesPercentage: percentage, minCandidateNodesAbsolute: absolute };
}

/** calculateNumCandidates: a share of the nodes, at least the absolute minimum, at most all. */
export function numCandidates(nodeCount: number, args: PreemptionArgs): number {
  const share = Math.trunc((nodeCount * args.minCandidateNodesPercentage) / 100);
  return Math.min(nodeCount, Math.max(share, args.minCandidateNodesAbsolute));
}

function nominatedNodeNameOf(pod: PodInfo): string {
  const value = ((pod.pod['status'] ?? {}) as { nominatedNodeName?: unknown }).nominatedNodeName;
  return typeof value === 'string' ? value : '';
}

/** A pod being deleted because the scheduler preempted it (DisruptionTarget condition). */
function terminatingByPreemption(pod: PodInfo): boolean {
  if (!pod.terminating) return false;
  const conditions = ((pod.pod['status'] ?? {}) as { conditions?: unknown }).conditions;
  const list = Array.isArray(conditions) ? (conditions as Record<string, unknown>[]) : [];
  const target = list.find((c) => c['type'] === 'DisruptionTarget');
  return target?.['status'] === 'True' && target['reason'] === 'PreemptionByScheduler';
}

/** PodEligibleToPreemptOthers: the message when the pod may not preempt. */
export function ineligibility(
  pod: PodInfo,
  statuses: ReadonlyMap<string, Status>,
  snapshot: Snapshot,
): string | undefined {
  const spec = (pod.pod['spec'] ?? {}) as { preemptionPolicy?: unknown };
  if (spec.preemptionPolicy === 'Never') return messageNever;
  const nominated = nominatedNodeNameOf(pod);
  if (nominated === '') return undefined;
  // A node missing from the statuses counts as UnschedulableAndUnresolvable, as upstream's
  // NodeToStatus absent-node default.
  const code = statuses.get(nominated)?.code ?? 'UnschedulableAndUnresolvable';
  if (code === 'UnschedulableAndUnresolvable') return undefined;
  const node = snapshot.get(nominated);
  const blocked = node?.pods.some((p) => p.priority < pod.priority && terminatingByPreemption(p));
  return blocked === true ? messageTerminating : undefined;
}

/** `0/<N> nodes are available: <histogram>` (the caller appends the final period). */
function noCandidateMessage(nodeCount: number, nodeStatuses: ReadonlyMap<string, Status>): string {
  const counts = new Map<string, number>();
  for (const s of nodeStatuses.values()) {
    for (const reason of s.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const absent = nodeCount - nodeStatuses.size;
  if (absent > 0) counts.set(reasonNotHelpful, (counts.get(reasonNotHelpful) ?? 0) + absent);
  const entries = [...counts].map(([reason, count]) => `${count} ${reason}`);
  return `0/${nodeCount} nodes are available: ${entries.sort(compareGoStrings).join(', ')}`;
}

interface DryRun {
  candidates: Candidate[];
  nodeStatuses: Map<string, Status>;
  errors: string[];
}

interface Services {
  args: PreemptionArgs;
  handle: FrameworkHandle;
  filterNode: FilterNode;
  rng: Rng | undefined;
}

/** DryRunPreemption: nodes from a random offset until enough candidates are found. */
function dryRun(services: Services, state: CycleState, pod: PodInfo, potential: NodeInfo[]) {
  const run: DryRun = { candidates: [], nodeStatuses: new Map(), errors: [] };
  const offset = services.rng === undefined ? 0 : services.rng.intBelow(potential.length);
  const wanted = numCandidates(potential.length, services.args);
  const options = { state, filterNode: services.filterNode, nowMs: services.handle.nowMs() };
  for (let i = 0; i < potential.length; i++) {
    const node = potential[(offset + i) % potential.length] as NodeInfo;
    const { victims, status: s } = selectVictimsOnNode(pod, node, options);
    if (isSuccess(s) && victims.length > 0) {
      run.candidates.push({ nodeName: node.name, victims });
      if (run.candidates.length >= wanted) break;
      continue;
    }
    const reported = isSuccess(s)
      ? status('Error', `expected at least one victim pod on node "${node.name}"`)
      : s;
    if (reported.code === 'Error') run.errors.push(reported.reasons.join(', '));
    run.nodeStatuses.set(node.name, reported);
  }
  return run;
}

/** prepareCandidate: delete the victims, then drop lower-priority nominations to the node. */
async function prepare(services: Services, pod: PodInfo, candidate: Candidate): Promise<Status> {
  const { handle } = services;
  const spec = (pod.pod['spec'] ?? {}) as { schedulerName?: unknown };
  const schedulerName = typeof spec.schedulerName === 'string' ? spec.schedulerName : '';
  const disruption = {
    message: `${schedulerName}: preempting to accommodate a higher priority pod`,
  };
  for (const victim of candidate.victims) {
    const reason = `Preempted by pod ${pod.uid} on node ${candidate.nodeName}`;
    const s = await handle.deletePod(victim, reason, disruption);
    if (!isSuccess(s)) return s;
  }
  const lower = handle.nominatedPods(candidate.nodeName).filter((p) => p.priority < pod.priority);
  for (const p of lower) await handle.setNominatedNodeName(p, '');
  return success;
}

async function preempt(
  services: Services,
  input: { state: CycleState; pod: PodInfo; statuses: ReadonlyMap<string, Status> },
  snapshot: Snapshot,
): Promise<{ result?: PostFilterResult; status: Status }> {
  const { state, pod, statuses } = input;
  const notEligible = ineligibility(pod, statuses, snapshot);
  if (notEligible !== undefined) return { status: status('Unschedulable', notEligible) };
  const potential = snapshot.nodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
  const run: DryRun =
    potential.length === 0
      ? { candidates: [], nodeStatuses: new Map(), errors: [] }
      : dryRun(services, state, pod, potential);
  if (run.candidates.length === 0) {
    if (run.errors.length > 0) return { status: status('Error', ...run.errors) };
    if (nominatedNodeNameOf(pod) !== '') await services.handle.setNominatedNodeName(pod, '');
    const message = noCandidateMessage(snapshot.nodes.length, run.nodeStatuses);
    return { result: { nominatedNodeName: '' }, status: status('Unschedulable', message) };
  }
  const best = pickCandidate(run.candidates, services.handle.nowMs());
  const prepared = await prepare(services, pod, best);
  if (!isSuccess(prepared)) return { status: prepared };
  return { result: { nominatedNodeName: best.nodeName }, status: success };
}

/** Prefixes the message as DefaultPreemption.PostFilter does. */
function withPrefix(s: Status): Status {
  const message = s.reasons.join(', ');
  return message === '' ? s : { ...s, reasons: [`preemption: ${message}`] };
}

/** Args: `minCandidateNodesPercentage` (default 10), `minCandidateNodesAbsolute` (default 100). */
export const factory: PluginFactory = (context): Plugin => {
  const args = preemptionArgsOf(context.args);
  const handle = context.handle as Partial<PreemptionHandle> & FrameworkHandle;
  return {
    name: NAME,
    postFilter: async (state, pod, statuses, snapshot) => {
      if (typeof handle.filterNode !== 'function') {
        return { status: status('Error', 'DefaultPreemption needs FrameworkHandle.filterNode') };
      }
      const filterNode: FilterNode = (s, p, n) => handle.filterNode!(s, p, n);
      const services: Services = { args, handle, filterNode, rng: handle.rng };
      const { result, status: s } = await preempt(services, { state, pod, statuses }, snapshot);
      return result === undefined ? { status: withPrefix(s) } : { result, status: withPrefix(s) };
    },
  };
};
