// The scheduling framework's contract (kube-scheduler v1.32 `framework/interface.go`, reduced to
// what miniku runs): statuses, the per-cycle state, node and pod summaries, and the plugin
// interfaces of each extension point. Plugins never import each other.
//
// Callers: the framework runtime (runtime.ts) calls plugins in profile order at each extension
// point; plugins read the cluster only through the snapshot handed to them and keep per-cycle
// data in CycleState. Scores are integers 0–100 after normalisation.
import type { JsonObject } from '../../store/types.js';
import type { NodeTable } from './node-table.js';

export const maxNodeScore = 100;
export const minNodeScore = 0;

export type StatusCode =
  | 'Success'
  | 'Error'
  | 'Unschedulable'
  | 'UnschedulableAndUnresolvable'
  | 'Wait'
  | 'Skip'
  | 'Pending';

/** A plugin's verdict. `reasons` are upstream's exact strings; `plugin` is set by the runtime. */
export interface Status {
  code: StatusCode;
  reasons: readonly string[];
  plugin?: string;
}

export const success: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) });
export const skip: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) });

export function status(code: StatusCode, ...reasons: string[]): Status {
  return { code, reasons };
}

export function isSuccess(s: Status): boolean {
  return s.code === 'Success';
}

/** Resource amounts as upstream's framework.Resource: cpu in millicores, others in units. */
export interface Resource {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Pod count (only meaningful for allocatable). */
  allowedPodNumber: number;
  /** Extended and hugepages resources by name, integer units. */
  scalar: Map<string, number>;
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod as the scheduler sees it: the object plus what plugins need, computed once. */
export interface PodInfo {
  pod: JsonObject;
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Readonly<Record<string, string>>;
  priority: number;
  /** Requests per upstream rules (max of init vs sum of app containers, plus overhead). */
  requests: Resource;
  /** The same with 100m cpu / 200Mi memory for containers that request none (scoring). */
  nonZeroRequests: { milliCpu: number; memory: number };
  hostPorts: readonly HostPort[];
  /** Pod is being deleted (deletionTimestamp set). */
  terminating: boolean;
}

/** A node with its pods and their summed requests, as upstream's NodeInfo. */
export interface NodeInfo {
  node: JsonObject;
  name: string;
  labels: Readonly<Record<string, string>>;
  allocatable: Resource;
  pods: readonly PodInfo[];
  /** Σ requests of pods on the node (including assumed ones). */
  requested: Resource;
  /** Σ non-zero requests (scoring). */
  nonZeroRequested: { milliCpu: number; memory: number };
  usedPorts: readonly HostPort[];
  /** Image name (normalised with `:latest`) → size in bytes, from node.status.images. */
  imageSizes: ReadonlyMap<string, number>;
  /** Pods on the node that have required or preferred (anti-)affinity terms. */
  podsWithAffinity: readonly PodInfo[];
  podsWithRequiredAntiAffinity: readonly PodInfo[];
  /** Non-terminating pods by `namespace \0 key \0 value` of each label (absent: not kept). */
  labelPairCounts?: ReadonlyMap<string, number>;
}

/** A consistent view of the cluster for one scheduling cycle. */
export interface Snapshot {
  /** Every node, in a stable order (the order sampling walks). */
  nodes: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** For ImageLocality: on how many nodes an image is present. */
  imageNodeCount(image: string): number;
  /** Nodes with a pod having (anti-)affinity terms, in `nodes` order (absent: filter nodes). */
  nodesWithAffinityPods?(): readonly NodeInfo[];
  /** Nodes with a pod having required anti-affinity, in `nodes` order (absent: filter nodes). */
  nodesWithRequiredAntiAffinityPods?(): readonly NodeInfo[];
  /** The nodes' numbers as columns, row i = nodes[i] (absent: batch methods are not used). */
  table?: NodeTable;
}

/**
 * A batch of nodes for filterBatch/scoreBatch: `positions[0..count)` are indices into
 * `snapshot.nodes` (and rows of `table`), in evaluation order.
 */
export interface NodeBatch {
  snapshot: Snapshot;
  table: NodeTable;
  positions: Int32Array;
  count: number;
}

/** The snapshot's nodes that hold pods with affinity terms (upstream HavePodsWithAffinityList). */
export function nodesWithAffinityPods(snapshot: Snapshot): readonly NodeInfo[] {
  if (snapshot.nodesWithAffinityPods !== undefined) return snapshot.nodesWithAffinityPods();
  return snapshot.nodes.filter((n) => n.podsWithAffinity.length > 0);
}

/** The snapshot's nodes that hold pods with required anti-affinity terms. */
export function nodesWithRequiredAntiAffinityPods(snapshot: Snapshot): readonly NodeInfo[] {
  if (snapshot.nodesWithRequiredAntiAffinityPods !== undefined) {
    return snapshot.nodesWithRequiredAntiAffinityPods();
  }
  return snapshot.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
}

/** Per-cycle scratch space, keyed by plugin-chosen names. */
export class CycleState {
  readonly #data = new Map<string, unknown>();
  write(key: string, value: unknown): void {
    this.#data.set(key, value);
  }
  read<T>(key: string): T | undefined {
    return this.#data.get(key) as T | undefined;
  }
}

/** What a PreFilter may narrow the candidate nodes to (undefined: all nodes). */
export interface PreFilterResult {
  nodeNames?: ReadonlySet<string>;
}

export interface PluginBase {
  readonly name: string;
}

export interface QueueSortPlugin extends PluginBase {
  /** True when a should be popped before b. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** Virtual or wall ms when the pod entered the queue (first time). */
  initialAttemptAtMs: number;
  /** When it was last added to activeQ. */
  timestampMs: number;
  attempts: number;
  /** Insertion sequence, the last tie-breaker. */
  sequence: number;
}

export interface PreFilterPlugin extends PluginBase {
  preFilter(
    state: CycleState,
    pod: PodInfo,
    snapshot: Snapshot,
  ): { result?: PreFilterResult; status: Status };
}

export interface FilterPlugin extends PluginBase {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /**
   * Optional, the same verdicts for a batch: keeps the passing positions at the front of
   * `batch.positions` (in order), calls `reject` for each failing one, returns how many pass.
   */
  filterBatch?(
    state: CycleState,
    pod: PodInfo,
    batch: NodeBatch,
    reject: (position: number, status: Status) => void,
  ): number;
}

export interface PostFilterResult {
  nominatedNodeName?: string;
}

/** Called when no node fits (DefaultPreemption). May be async: it deletes victims. */
export interface PostFilterPlugin extends PluginBase {
  postFilter(
    state: CycleState,
    pod: PodInfo,
    filteredStatuses: ReadonlyMap<string, Status>,
    snapshot: Snapshot,
  ): Promise<{ result?: PostFilterResult; status: Status }>;
}

export interface PreScorePlugin extends PluginBase {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], snapshot: Snapshot): Status;
}

export interface ScorePlugin extends PluginBase {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status };
  /** Optional, the same scores for a batch: out[k] is the score of batch.positions[k]. */
  scoreBatch?(state: CycleState, pod: PodInfo, batch: NodeBatch, out: Float64Array): Status;
  /** Rescales raw scores in place to 0..100 (optional). */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScoreList): Status;
}

/** Scores of the scored nodes: scores[k] belongs to names[k]. */
export interface NodeScoreList {
  readonly names: readonly string[];
  readonly scores: Float64Array;
}

export interface ReservePlugin extends PluginBase {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface BindPlugin extends PluginBase {
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

/** Any plugin: it implements one or more extension points. */
export type Plugin = PluginBase &
  Partial<
    Pick<QueueSortPlugin, 'less'> &
      Pick<PreFilterPlugin, 'preFilter'> &
      Pick<FilterPlugin, 'filter' | 'filterBatch'> &
      Pick<PostFilterPlugin, 'postFilter'> &
      Pick<PreScorePlugin, 'preScore'> &
      Pick<ScorePlugin, 'score' | 'scoreBatch' | 'normalizeScore'> &
      Pick<ReservePlugin, 'reserve' | 'unreserve'> &
      Pick<BindPlugin, 'bind'>
  >;

/** What a plugin factory gets: its args from the profile and the scheduler's services. */
export interface PluginContext {
  /** `pluginConfig[].args` for this plugin (already defaulted by the plugin itself). */
  args: JsonObject | undefined;
  /** The profile's scheduler name. */
  schedulerName: string;
  /** Services the runtime offers (binding, preemption victims, listing other objects). */
  handle: FrameworkHandle;
}

export interface FrameworkHandle {
  /** POST pods/<name>/binding. */
  bindPod(pod: PodInfo, nodeName: string): Promise<Status>;
  /**
   * Deletes a preemption victim gracefully (and records why). With `disruption`, the victim
   * first gets the DisruptionTarget condition (reason PreemptionByScheduler), as upstream.
   */
  deletePod(victim: PodInfo, reason: string, disruption?: { message: string }): Promise<Status>;
  /** Sets or clears status.nominatedNodeName of a pod. */
  setNominatedNodeName(pod: PodInfo, nodeName: string): Promise<Status>;
  /** Objects selecting pods, for default spreading: Services, ReplicaSets (by namespace). */
  selectorsFor(pod: PodInfo): readonly import('../../api/values/labels.js').LabelSelector[];
  /** Every pod nominated to a node (for preemption and filters that honour nominations). */
  nominatedPods(nodeName: string): readonly PodInfo[];
  /** False when no pod is nominated anywhere (absent: ask nominatedPods per node). */
  hasNominatedPods?(): boolean;
  /** Current virtual or wall time in ms. */
  nowMs(): number;
}

export type PluginFactory = (context: PluginContext) => Plugin;
