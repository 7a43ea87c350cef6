// The framework runtime of one profile: builds its plugins and runs a scheduling cycle through
// the extension points (PreFilter, sampled Filter, PostFilter, PreScore, Score, selectHost),
// then Reserve/Unreserve and Bind, as kube-scheduler v1.32's schedule_one.go and runtime do.
//
// Callers: the Scheduler, one cycle at a time. Iteration follows the snapshot's node order from
// the round-robin start index; ties between top scores are broken by the scheduler's Rng.
import type { Rng } from '../../ports/rng.js';
import { compareGoStrings } from '../../api/values/go-format.js';
import { assert } from '../../util/assert.js';
import type { ExtensionPoint, ResolvedPlugin, ResolvedProfile } from '../config.js';
import { pluginsForPoint } from '../config.js';
import type { Decision } from '../explain.js';
import { newDecision } from '../explain.js';
import { fitErrorMessage, statusMessage } from '../failure-message.js';
import type { PluginRegistry } from './registry.js';
import type {
  BindPlugin,
  FilterPlugin,
  FrameworkHandle,
  NodeBatch,
  NodeInfo,
  Plugin,
  PodInfo,
  PostFilterPlugin,
  PreFilterPlugin,
  PreScorePlugin,
  QueueSortPlugin,
  ReservePlugin,
  ScorePlugin,
  Snapshot,
  Status,
} from './types.js';
import { CycleState, status } from './types.js';
import { numFeasibleNodesToFind, selectHostIndex, type SamplingState } from './sampling.js';
import { errorText, keptRows, prioritizeNodes, ScoreScratch } from './score-runner.js';
import type { ScoreKeep } from './score-runner.js';
import { filterEach } from './node-batch.js';

/** upstream ErrNoNodesAvailable: an error (backoff), not a FitError. */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';
export { minFeasibleNodesToFind, numFeasibleNodesToFind, selectHost } from './sampling.js';
export type { SamplingState } from './sampling.js';

export type CycleOutcome =
  | { kind: 'scheduled'; nodeName: string; state: CycleState; decision: Decision }
  | {
      kind: 'unschedulable';
      message: string;
      nominatedNodeName?: string;
      decision: Decision;
    }
  | { kind: 'error'; message: string; decision: Decision };

export interface FrameworkOptions {
  profile: ResolvedProfile;
  registry: PluginRegistry;
  handle: FrameworkHandle;
  /** The configuration-wide percentageOfNodesToScore (0: adaptive). */
  percentageOfNodesToScore: number;
  /** Breaks ties between top-scored nodes. */
  rng: Rng;
  sampling: SamplingState;
  /** The preemption stream (DefaultPreemption's victim and candidate choices). */
  preemptionRng?: Rng;
  /**
   * Which score rows a Decision keeps: all (default; the full explanation) or the best
   * `summaryTopNodeCount` (enough for summaries, and no per-cycle column allocation).
   */
  scoreRows?: 'all' | 'top';
}

/**
 * What plugins get as their handle: the scheduler's services plus `filterNode`, which runs this
 * profile's filters (with nominated pods) on a what-if node, as preemption needs.
 */
export interface ProfileHandle extends FrameworkHandle {
  filterNode(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  rng?: Rng;
}

interface Weighted<T> {
  plugin: T;
  weight: number;
}

const pointMethods: Record<ExtensionPoint, keyof Plugin> = {
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  bind: 'bind',
};

interface FilterRun {
  feasible: NodeInfo[];
  /** Snapshot positions of `feasible` (batch runs only). */
  positions?: Int32Array;
  statuses: Map<string, Status>;
  error?: string;
}

/** The fewest nodes a batch filters at once (the rest of a chunk may go unused). */
const filterChunkMin = 32;

export class Framework {
  readonly profileName: string;
  readonly queueSort: QueueSortPlugin;
  readonly pluginNames: ReadonlySet<string>;
  private readonly options: FrameworkOptions;
  private readonly preFilters: PreFilterPlugin[];
  private readonly filters: FilterPlugin[];
  private readonly postFilters: PostFilterPlugin[];
  private readonly preScores: PreScorePlugin[];
  private readonly scores: Weighted<ScorePlugin>[];
  private readonly reserves: ReservePlugin[];
  private readonly binders: BindPlugin[];
  /** Filter plugins skipped by the running cycle's PreFilter. */
  private cycleSkip: ReadonlySet<string> = new Set();
  private activeFiltersFor: { skip?: ReadonlySet<string>; filters: readonly FilterPlugin[] } = {
    filters: [],
  };
  private readonly scoreKeep: ScoreKeep;
  /** Reused by filterBatched: the chunk's positions and the feasible ones. */
  private positionScratch = new Int32Array(0);
  private feasibleScratch = new Int32Array(0);

  constructor(options: FrameworkOptions) {
    this.options = options;
    this.scoreKeep =
      options.scoreRows === 'top' ? { rows: 'top', scratch: new ScoreScratch() } : { rows: 'all' };
    const { profile } = options;
    this.profileName = profile.schedulerName;
    const instances = this.instantiate();
    this.pluginNames = new Set(instances.keys());
    const at = <T>(point: ExtensionPoint): Weighted<T>[] => {
      const method = pointMethods[point];
      const has = (name: string) => instances.get(name)?.[method] !== undefined;
      return pluginsForPoint(profile, point, has).map((ref: ResolvedPlugin) => {
        const plugin = instances.get(ref.name);
        assert(
          plugin !== undefined,
          `plugin ${ref.name} is not in profile ${profile.schedulerName}`,
        );
        assert(plugin[method] !== undefined, `plugin ${ref.name} does not implement ${point}`);
        return { plugin: plugin as T, weight: ref.weight };
      });
    };
    const sorts = at<QueueSortPlugin>('queueSort');
    assert(sorts.length === 1, `profile ${this.profileName} needs exactly one queueSort plugin`);
    this.queueSort = (sorts[0] as Weighted<QueueSortPlugin>).plugin;
    this.preFilters = at<PreFilterPlugin>('preFilter').map((w) => w.plugin);
    this.filters = at<FilterPlugin>('filter').map((w) => w.plugin);
    this.postFilters = at<PostFilterPlugin>('postFilter').map((w) => w.plugin);
    this.preScores = at<PreScorePlugin>('preScore').map((w) => w.plugin);
    this.scores = at<ScorePlugin>('score');
    this.reserves = at<ReservePlugin>('reserve').map((w) => w.plugin);
    this.binders = at<BindPlugin>('bind').map((w) => w.plugin);
    assert(this.binders.length > 0, `profile ${this.profileName} needs a bind plugin`);
  }

  /** Every plugin the profile names anywhere, built once from the registry. */
  private instantiate(): Map<string, Plugin> {
    const { profile, registry } = this.options;
    const handle = this.profileHandle();
    const names: string[] = profile.multiPoint.map((p) => p.name);
    for (const set of Object.values(profile.explicit)) {
      for (const ref of set.enabled ?? []) names.push(ref.name);
    }
    const instances = new Map<string, Plugin>();
    for (const name of names) {
      if (instances.has(name)) continue;
      const factory = registry.get(name);
      assert(factory !== undefined, `unknown plugin ${JSON.stringify(name)}`);
      const args = profile.pluginArgs.get(name);
      instances.set(name, factory({ args, schedulerName: profile.schedulerName, handle }));
    }
    return instances;
  }

  private profileHandle(): ProfileHandle {
    const base = this.options.handle;
    const handle: ProfileHandle = {
      bindPod: (pod, nodeName) => base.bindPod(pod, nodeName),
      deletePod: (victim, reason, disruption) => base.deletePod(victim, reason, disruption),
      setNominatedNodeName: (pod, nodeName) => base.setNominatedNodeName(pod, nodeName),
      selectorsFor: (pod) => base.selectorsFor(pod),
      nominatedPods: (nodeName) => base.nominatedPods(nodeName),
      nowMs: () => base.nowMs(),
      filterNode: (state, pod, node) => this.filterNode(state, pod, node, this.cycleSkip),
    };
    if (this.options.preemptionRng !== undefined) handle.rng = this.options.preemptionRng;
    return handle;
  }

  /** One scheduling cycle up to choosing a node (schedulePod + PostFilter on failure). */
  async schedulePod(pod: PodInfo, snapshot: Snapshot): Promise<CycleOutcome> {
    const decision = newDecision(pod.key, this.profileName, snapshot.nodes.length);
    const state = new CycleState();
    if (snapshot.nodes.length === 0) {
      decision.message = noNodesAvailableMessage;
      return { kind: 'error', message: noNodesAvailableMessage, decision };
    }
    const pre = this.runPreFilter(state, pod, snapshot);
    if (pre.kind === 'error') return { kind: 'error', message: pre.message, decision };
    this.cycleSkip = pre.kind === 'ok' ? pre.skip : new Set();
    if (pre.kind === 'rejected') {
      const statuses = new Map(snapshot.nodes.map((n) => [n.name, pre.status]));
      this.recordFiltered(decision, statuses);
      return this.afterNoFit(state, pod, snapshot, decision, {
        statuses,
        preFilterMessage: statusMessage(pre.status),
      });
    }
    const run = this.findFeasible(state, pod, snapshot, pre, decision);
    if (run.error !== undefined) return { kind: 'error', message: run.error, decision };
    decision.feasibleNodeCount = run.feasible.length;
    if (run.feasible.length === 0) {
      return this.afterNoFit(state, pod, snapshot, decision, { statuses: run.statuses });
    }
    const only = run.feasible.length === 1 ? run.feasible[0] : undefined;
    if (only !== undefined) {
      decision.chosen = only.name;
      return { kind: 'scheduled', nodeName: only.name, state, decision };
    }
    const plugins = { preScores: this.preScores, scores: this.scores };
    const input = { nodes: run.feasible, positions: run.positions };
    const scored = prioritizeNodes(plugins, { state, pod, snapshot }, input, this.scoreKeep);
    if (typeof scored === 'string') return { kind: 'error', message: scored, decision };
    const nodeName = scored.nodes[selectHostIndex(scored.totals, this.options.rng)] as string;
    decision.scores = keptRows(scored, this.scoreKeep);
    decision.chosen = nodeName;
    return { kind: 'scheduled', nodeName, state, decision };
  }

  private async afterNoFit(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
    decision: Decision,
    failure: { statuses: Map<string, Status>; preFilterMessage?: string },
  ): Promise<CycleOutcome> {
    const post = await this.runPostFilter(state, pod, failure.statuses, snapshot);
    const message = fitErrorMessage({
      nodeCount: snapshot.nodes.length,
      nodeStatuses: failure.statuses,
      preFilterMessage: failure.preFilterMessage,
      postFilterMessage: post.message,
    });
    decision.message = message;
    const outcome: CycleOutcome = { kind: 'unschedulable', message, decision };
    if (post.nominatedNodeName !== undefined) outcome.nominatedNodeName = post.nominatedNodeName;
    return outcome;
  }

  private recordFiltered(decision: Decision, statuses: ReadonlyMap<string, Status>): void {
    for (const [node, s] of statuses) {
      decision.filtered.push({ node, plugin: s.plugin ?? '', code: s.code, reasons: s.reasons });
    }
  }

  private runPreFilter(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
  ):
    | { kind: 'ok'; nodeNames?: ReadonlySet<string>; narrowedBy: string[]; skip: Set<string> }
    | { kind: 'rejected'; status: Status }
    | { kind: 'error'; message: string } {
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    const skip = new Set<string>();
    for (const plugin of this.preFilters) {
      const { result, status: s } = plugin.preFilter(state, pod, snapshot);
      if (s.code === 'Skip') {
        skip.add(plugin.name);
        continue;
      }
      if (s.code === 'Error') return { kind: 'error', message: errorText(plugin.name, s) };
      if (s.code !== 'Success') return { kind: 'rejected', status: { ...s, plugin: plugin.name } };
      if (result?.nodeNames === undefined) continue;
      narrowedBy.push(plugin.name);
      nodeNames =
        nodeNames === undefined
          ? new Set(result.nodeNames)
          : new Set([...nodeNames].filter((n) => result.nodeNames?.has(n)));
      if (nodeNames.size === 0) {
        const message =
          narrowedBy.length === 1
            ? `node(s) didn't satisfy plugin ${plugin.name}`
            : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
        const rejected = status('UnschedulableAndUnresolvable', message);
        return { kind: 'rejected', status: { ...rejected, plugin: plugin.name } };
      }
    }
    return { kind: 'ok', nodeNames, narrowedBy, skip };
  }

  /**
   * upstream RunFilterPluginsWithNominatedPods: pods nominated to the node with at least this
   * pod's priority count as already there; a node that fits with them is checked again without
   * them (an affinity to a nominated pod must not make it fit).
   */
  filterNode(state: CycleState, pod: PodInfo, node: NodeInfo, skip: ReadonlySet<string>): Status {
    const all = this.options.handle.nominatedPods(node.name);
    if (all.length === 0) return this.runFilters(state, pod, node, skip);
    // A nominated pod already on the node (assumed while its binding is in flight) counts once.
    const onNode = new Set(node.pods.map((p) => p.key));
    const nominated = all.filter(
      (p) => p.key !== pod.key && p.priority >= pod.priority && !onNode.has(p.key),
    );
    const cloneable = node as NodeInfo & { clone?: () => NodeInfo & { addPod(p: PodInfo): void } };
    if (nominated.length === 0 || cloneable.clone === undefined) {
      return this.runFilters(state, pod, node, skip);
    }
    const withNominated = cloneable.clone();
    for (const other of nominated) withNominated.addPod(other);
    const first = this.runFilters(state, pod, withNominated, skip);
    if (first.code !== 'Success') return first;
    return this.runFilters(state, pod, node, skip);
  }

  /** Runs the filters on one node: the first non-success status, with its plugin. */
  runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, skip: ReadonlySet<string>): Status {
    const filters = this.activeFilters(skip);
    for (let i = 0; i < filters.length; i++) {
      const plugin = filters[i] as FilterPlugin;
      const s = plugin.filter(state, pod, node);
      if (s.code !== 'Success') return { ...s, plugin: plugin.name };
    }
    return { code: 'Success', reasons: [] };
  }

  /** The filters a skip set leaves, remembered for the last set (one per cycle). */
  private activeFilters(skip: ReadonlySet<string>): readonly FilterPlugin[] {
    if (this.activeFiltersFor.skip !== skip) {
      const filters = this.filters.filter((p) => !skip.has(p.name));
      this.activeFiltersFor = { skip, filters };
    }
    return this.activeFiltersFor.filters;
  }

  private findFeasible(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
    pre: { nodeNames?: ReadonlySet<string>; narrowedBy: string[]; skip: Set<string> },
    decision: Decision,
  ): FilterRun {
    const statuses = new Map<string, Status>();
    const nominated = this.nominatedFastPath(state, pod, snapshot, pre.skip);
    if (nominated !== undefined) {
      decision.sampledNodeCount = 1;
      return { feasible: [nominated], statuses };
    }
    const narrowed = pre.nodeNames;
    const nodes =
      narrowed === undefined ? snapshot.nodes : snapshot.nodes.filter((n) => narrowed.has(n.name));
    const batchable =
      narrowed === undefined &&
      snapshot.table !== undefined &&
      this.options.handle.hasNominatedPods?.() === false;
    const run = batchable
      ? this.filterBatched(state, pod, snapshot, pre.skip)
      : this.filterSampled(state, pod, snapshot.nodes.length, nodes, pre.skip);
    decision.sampledNodeCount = run.processed;
    this.recordFiltered(decision, run.statuses);
    if (narrowed !== undefined) {
      const names = [...pre.narrowedBy].sort(compareGoStrings).join(' ');
      const absent = status(
        'UnschedulableAndUnresolvable',
        `node(s) didn't satisfy plugin(s) [${names}]`,
      );
      for (const node of snapshot.nodes) {
        if (narrowed.has(node.name)) continue;
        run.statuses.set(node.name, { ...absent, plugin: pre.narrowedBy[0] ?? '' });
        decision.filtered.push({
          node: node.name,
          plugin: '',
          code: absent.code,
          reasons: absent.reasons,
        });
      }
    }
    return run;
  }

  /** A pod nominated to a node (after preemption) tries that node first. */
  private nominatedFastPath(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
    skip: ReadonlySet<string>,
  ): NodeInfo | undefined {
    const status_ = (pod.pod.status ?? {}) as { nominatedNodeName?: unknown };
    const name = status_.nominatedNodeName;
    if (typeof name !== 'string' || name === '') return undefined;
    const node = snapshot.get(name);
    if (node === undefined) return undefined;
    return this.filterNode(state, pod, node, skip).code === 'Success' ? node : undefined;
  }

  /** Filters from the round-robin start, stopping once enough feasible nodes are found. */
  private filterSampled(
    state: CycleState,
    pod: PodInfo,
    allNodeCount: number,
    nodes: readonly NodeInfo[],
    skip: ReadonlySet<string>,
  ): FilterRun & { processed: number } {
    const sampling = this.options.sampling;
    const percentage = this.profilePercentage();
    const wanted = numFeasibleNodesToFind(percentage, nodes.length);
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, Status>();
    const start = sampling.nextStartNodeIndex;
    let processed = 0;
    for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
      const node = nodes[(start + i) % nodes.length] as NodeInfo;
      processed += 1;
      const s = this.filterNode(state, pod, node, skip);
      if (s.code === 'Success') {
        feasible.push(node);
        continue;
      }
      if (s.code === 'Error') {
        return { feasible, statuses, processed, error: errorText(s.plugin ?? '', s) };
      }
      statuses.set(node.name, s);
    }
    sampling.nextStartNodeIndex = allNodeCount === 0 ? 0 : (start + processed) % allNodeCount;
    return { feasible, statuses, processed };
  }

  /**
   * filterSampled over the node table: chunks of nodes from the round-robin start go through
   * each filter in turn (batch methods where plugins have them), and the walk is cut at the
   * node where enough feasible ones were found, so the outcome is the node-by-node one.
   */
  private filterBatched(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
    skip: ReadonlySet<string>,
  ): FilterRun & { processed: number } {
    const table = snapshot.table as NonNullable<Snapshot['table']>;
    const nodes = snapshot.nodes;
    const n = nodes.length;
    const filters = this.activeFilters(skip);
    const wanted = numFeasibleNodesToFind(this.profilePercentage(), n);
    const start = this.options.sampling.nextStartNodeIndex % n;
    const positions = this.scratchPositions(Math.min(n, Math.max(wanted, filterChunkMin)));
    const feasiblePositions = this.scratchFeasible(Math.min(n, wanted));
    const feasible: NodeInfo[] = [];
    const rejects: { offset: number; status: Status }[] = [];
    let walked = 0;
    let processed = 0;
    while (walked < n && feasible.length < wanted) {
      const chunk = Math.min(
        n - walked,
        positions.length,
        Math.max(wanted - feasible.length, filterChunkMin),
      );
      for (let k = 0; k < chunk; k++) positions[k] = (start + walked + k) % n;
      const chunkRejects: { offset: number; status: Status }[] = [];
      const batch = { snapshot, table, positions, count: chunk };
      for (let f = 0; f < filters.length && batch.count > 0; f++) {
        const plugin = filters[f] as FilterPlugin;
        const reject = (position: number, s: Status) => {
          const offset = (position - start + n) % n;
          chunkRejects.push({ offset, status: { ...s, plugin: plugin.name } });
        };
        batch.count = filterOne(plugin, state, pod, batch, reject);
      }
      processed = walked + chunk;
      for (let k = 0; k < batch.count; k++) {
        const position = positions[k] as number;
        feasiblePositions[feasible.length] = position;
        feasible.push(nodes[position] as NodeInfo);
        if (feasible.length === wanted) {
          processed = ((position - start + n) % n) + 1;
          break;
        }
      }
      chunkRejects.sort((a, b) => a.offset - b.offset);
      for (const r of chunkRejects) if (r.offset < processed) rejects.push(r);
      walked += chunk;
    }
    const statuses = new Map<string, Status>();
    for (const { offset, status: s } of rejects) {
      const node = nodes[(start + offset) % n] as NodeInfo;
      if (s.code === 'Error') {
        return { feasible, statuses, processed, error: errorText(s.plugin ?? '', s) };
      }
      statuses.set(node.name, s);
    }
    this.options.sampling.nextStartNodeIndex = (start + processed) % n;
    const run = { feasible, statuses, processed };
    return { ...run, positions: feasiblePositions.subarray(0, feasible.length) };
  }

  private scratchPositions(length: number): Int32Array {
    if (this.positionScratch.length < length) this.positionScratch = new Int32Array(length);
    return this.positionScratch.subarray(0, length);
  }

  private scratchFeasible(length: number): Int32Array {
    if (this.feasibleScratch.length < length) this.feasibleScratch = new Int32Array(length);
    return this.feasibleScratch.subarray(0, length);
  }

  private profilePercentage(): number {
    const own = this.options.profile.percentageOfNodesToScore;
    return own > 0 ? own : this.options.percentageOfNodesToScore;
  }

  private async runPostFilter(
    state: CycleState,
    pod: PodInfo,
    statuses: ReadonlyMap<string, Status>,
    snapshot: Snapshot,
  ): Promise<{ message?: string; nominatedNodeName?: string }> {
    const messages: string[] = [];
    for (const plugin of this.postFilters) {
      const { result, status: s } = await plugin.postFilter(state, pod, statuses, snapshot);
      if (s.code === 'Success') return { nominatedNodeName: result?.nominatedNodeName };
      const text = statusMessage(s);
      if (text !== '') messages.push(text);
      if (s.code === 'Error' || s.code === 'UnschedulableAndUnresolvable') break;
    }
    return messages.length === 0 ? {} : { message: messages.join(', ') };
  }

  /** Reserve in order; on a failure, Unreserve everything in reverse order. */
  runReserve(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const plugin of this.reserves) {
      const s = plugin.reserve(state, pod, nodeName);
      if (s.code !== 'Success') {
        this.runUnreserve(state, pod, nodeName);
        return { ...s, plugin: plugin.name };
      }
    }
    return { code: 'Success', reasons: [] };
  }

  runUnreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reserves.length - 1; i >= 0; i--) {
      (this.reserves[i] as ReservePlugin).unreserve(state, pod, nodeName);
    }
  }

  /** The first bind plugin that does not Skip decides. */
  async runBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    for (const plugin of this.binders) {
      const s = await plugin.bind(state, pod, nodeName);
      if (s.code === 'Skip') continue;
      return { ...s, plugin: plugin.name };
    }
    return status('Error', 'all bind plugins skipped');
  }
}

/** One filter over a batch: its batch method, or node by node, compacting the passing ones. */
function filterOne(
  plugin: FilterPlugin,
  state: CycleState,
  pod: PodInfo,
  batch: NodeBatch,
  reject: (position: number, status: Status) => void,
): number {
  if (plugin.filterBatch !== undefined) return plugin.filterBatch(state, pod, batch, reject);
  return filterEach(batch, (node) => plugin.filter(state, pod, node), reject);
}
