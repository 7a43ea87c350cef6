// Which active pods a scale-down deletes first: upstream's ActivePodsWithRanks order
// (pkg/controller/controller_utils.go, v1.32), made total.
//
// Earlier in the order = deleted first. Two pods are compared rule by rule until one decides:
// 1. unassigned (spec.nodeName '') before assigned;
// 2. phase Pending < Unknown < Running (any other phase counts as Pending);
// 3. not Ready before Ready;
// 4. lower `controller.kubernetes.io/pod-deletion-cost` before higher (PodDeletionCost gate);
// 5. higher rank (more related pods on the same node) before lower;
// 6. both Ready with different ready times: ready more recently first (a missing time first);
// 7. higher max restart count of regular containers first, then of sidecar containers;
// 8. different creation times: newer first (a missing time first).
// With LogarithmicScaleDown (default on), rules 6 and 8 compare floor(log2(age in ns)) buckets
// against `nowMs` instead of the raw times, and equal buckets are ordered by UID at once (so
// pods of similar age are picked pseudo-randomly), exactly as upstream. Upstream leaves pods
// that tie on every rule unordered (its sort is unstable); here they are ordered by UID and then
// by namespace/name, so the result is deterministic.

import { compareGoStrings } from '../../api/values/go-format.js';
import type { KubeObject } from '../../client/types.js';
import { podIsReady, podReadySinceMs } from './pod-availability.js';
import {
  annotationsOf,
  creationMsOf,
  isPodActive,
  maxContainerRestarts,
  podKey,
  podNodeName,
  podPhase,
  uidOf,
} from './pod-fields.js';

export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** A pod with its rank: the number of related active pods on its node (rule 5). */
export interface RankedPod {
  pod: KubeObject;
  rank: number;
}

export interface RankingOptions {
  /** The reference time of the logarithmic comparisons (upstream: metav1.Now()). */
  nowMs: number;
  /** The LogarithmicScaleDown feature gate; default true (beta, on since v1.22). */
  logarithmicScaleDown?: boolean;
}

const int32Min = -2_147_483_648;
const int32Max = 2_147_483_647;

/**
 * GetDeletionCostFromPodAnnotations: the annotation as an int32; 0 when absent or invalid
 * (a leading '+', leading zeros, non-digits, or out of the int32 range).
 */
export function podDeletionCost(annotations: Readonly<Record<string, string>> | undefined): number {
  const text = annotations?.[podDeletionCostAnnotation];
  if (text === undefined) return 0;
  const validFirstDigit = text === '0' || /^[-1-9]/.test(text);
  if (!validFirstDigit || !/^-?[0-9]+$/.test(text)) return 0;
  const value = Number(text) + 0; // `+ 0` turns "-0" into 0
  return value >= int32Min && value <= int32Max ? value : 0;
}

/** floor(log2(x)) for a finite x ≥ 1, exact at powers of two. */
function floorLog2(x: number): number {
  let exponent = Math.floor(Math.log2(x));
  if (2 ** exponent > x) exponent -= 1;
  else if (2 ** (exponent + 1) <= x) exponent += 1;
  return exponent;
}

/**
 * The logarithmic age bucket upstream's logarithmicRankDiff assigns: int(log2(age in ns)) for a
 * positive age, -1 otherwise. Ages are whole milliseconds here, so the bucket of `ageMs` is
 * floor(log2(ageMs × 10⁶)).
 */
export function logarithmicBucket(ageMs: number): number {
  return ageMs > 0 ? floorLog2(ageMs * 1_000_000) : -1;
}

/** Everything the order reads from one pod, computed once per sort. */
interface RankKey {
  nodeName: string;
  phaseOrdinal: number;
  ready: boolean;
  deletionCost: number;
  rank: number;
  readySinceMs: number | undefined;
  restarts: { regular: number; sidecar: number };
  createdMs: number | undefined;
  uid: string;
  key: string;
}

const phaseOrdinals: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function rankKeyOf(ranked: RankedPod): RankKey {
  const { pod, rank } = ranked;
  return {
    nodeName: podNodeName(pod),
    phaseOrdinal: phaseOrdinals[podPhase(pod)] ?? 0,
    ready: podIsReady(pod),
    deletionCost: podDeletionCost(annotationsOf(pod)),
    rank,
    readySinceMs: podReadySinceMs(pod),
    restarts: maxContainerRestarts(pod),
    createdMs: creationMsOf(pod),
    uid: uidOf(pod),
    key: podKey(pod),
  };
}

type Order = -1 | 0 | 1;

function byNumber(a: number, b: number): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** afterOrZero as an order: a zero (missing) time first, then the later time first. */
function laterOrZeroFirst(a: number | undefined, b: number | undefined): Order {
  if (a === undefined || b === undefined) return a === undefined ? -1 : 1;
  return byNumber(b, a);
}

/** Rules 6 and 8 for two different times (see the file comment). */
function compareTimes(
  a: RankKey,
  b: RankKey,
  timeA: number | undefined,
  timeB: number | undefined,
  options: RankingOptions,
): Order {
  const logarithmic = options.logarithmicScaleDown ?? true;
  if (!logarithmic || timeA === undefined || timeB === undefined) {
    return laterOrZeroFirst(timeA, timeB);
  }
  const bucketA = logarithmicBucket(options.nowMs - timeA);
  const bucketB = logarithmicBucket(options.nowMs - timeB);
  if (bucketA !== bucketB) return byNumber(bucketA, bucketB);
  return compareGoStrings(a.uid, b.uid);
}

/** Rules 1–5: the rules that do not depend on time. */
function compareStates(a: RankKey, b: RankKey): Order {
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === '')) {
    return a.nodeName === '' ? -1 : 1;
  }
  if (a.phaseOrdinal !== b.phaseOrdinal) return byNumber(a.phaseOrdinal, b.phaseOrdinal);
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.deletionCost !== b.deletionCost) return byNumber(a.deletionCost, b.deletionCost);
  if (a.rank !== b.rank) return byNumber(b.rank, a.rank);
  return 0;
}

function compareRankKeys(a: RankKey, b: RankKey, options: RankingOptions): Order {
  const byState = compareStates(a, b);
  if (byState !== 0) return byState;
  if (a.ready && b.ready && a.readySinceMs !== b.readySinceMs) {
    const byReady = compareTimes(a, b, a.readySinceMs, b.readySinceMs, options);
    if (byReady !== 0) return byReady;
  }
  if (a.restarts.regular !== b.restarts.regular) {
    return byNumber(b.restarts.regular, a.restarts.regular);
  }
  if (a.restarts.sidecar !== b.restarts.sidecar) {
    return byNumber(b.restarts.sidecar, a.restarts.sidecar);
  }
  if (a.createdMs !== b.createdMs) {
    const byAge = compareTimes(a, b, a.createdMs, b.createdMs, options);
    if (byAge !== 0) return byAge;
  }
  return compareGoStrings(a.uid, b.uid) || compareGoStrings(a.key, b.key);
}

/** -1 when `a` should be deleted before `b`, 1 for the reverse, 0 only for the same pod. */
export function compareRankedPods(a: RankedPod, b: RankedPod, options: RankingOptions): Order {
  return compareRankKeys(rankKeyOf(a), rankKeyOf(b), options);
}

/** The pods in deletion order (first = deleted first); the input is not modified. */
export function sortActivePodsWithRanks(
  ranked: readonly RankedPod[],
  options: RankingOptions,
): KubeObject[] {
  const keyed = ranked.map((entry) => ({ pod: entry.pod, key: rankKeyOf(entry) }));
  keyed.sort((a, b) => compareRankKeys(a.key, b.key, options));
  return keyed.map((entry) => entry.pod);
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active pods in
 * `relatedPods` on the same node (unassigned pods share the node name '').
 */
export function rankByRelatedPodsOnSameNode(
  podsToRank: readonly KubeObject[],
  relatedPods: readonly KubeObject[],
): RankedPod[] {
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = podNodeName(pod);
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  return podsToRank.map((pod) => ({ pod, rank: podsOnNode.get(podNodeName(pod)) ?? 0 }));
}

/**
 * getPodsToDelete: the first `count` pods in deletion order. When every pod goes, upstream skips
 * the sort and keeps the given order.
 */
export function podsToDelete(
  activePods: readonly KubeObject[],
  count: number,
  options: RankingOptions & {
    /** Pods of every ReplicaSet with the same controller, for the ranks. Default none. */
    relatedPods?: readonly KubeObject[];
  },
): KubeObject[] {
  if (count >= activePods.length) return activePods.slice(0, count);
  const ranked = rankByRelatedPodsOnSameNode(activePods, options.relatedPods ?? []);
  return sortActivePodsWithRanks(ranked, options).slice(0, count);
}
