// PodLog: every pod a run saw, with where it was first bound and whether it was disrupted.
//
// A pod's identity in a placement must survive unrelated changes (another pod elsewhere, a
// different generated suffix), so it is its controller owner plus a creation ordinal among that
// owner's pods, not its generated name. Ordinals are computed when the placements are read,
// over every pod ever seen, so a pod seen late (after a relist) still gets its creation rank.
import type { KubeObject } from '../../control/client/types.js';
import { parseTime } from '../../control/api/values/time.js';
import type { Placement } from '../report/report-data.js';

export interface PodLogOptions {
  /** Most pods remembered; later ones are not logged and `truncated` is set. Default 1,000,000. */
  podCountMax?: number;
}

interface SeenPod {
  namespace: string;
  name: string;
  /** `Kind/namespace/name` of the controller owner, or '' for a pod without one. */
  owner: string;
  /** metadata.creationTimestamp in ms since the Unix epoch (0 when absent). */
  createdMs: number;
  /** resourceVersion when first seen: the creation revision when the watch delivered the add. */
  firstRevision: number;
  boundAtMs: number | undefined;
  node: string;
  disrupted: boolean;
}

export class PodLog {
  readonly #options: PodLogOptions;
  readonly #pods = new Map<string, SeenPod>();
  /** Set when more than podCountMax pods were seen. */
  truncated = false;

  constructor(options: PodLogOptions = {}) {
    this.#options = options;
  }

  /** Records a pod's state seen at `nowMs` (ms since the virtual start). */
  observe(pod: KubeObject, nowMs: number): void {
    const key = podKey(pod);
    let seen = this.#pods.get(key);
    if (seen === undefined) {
      if (this.#pods.size >= (this.#options.podCountMax ?? 1_000_000)) {
        this.truncated = true;
        return;
      }
      seen = firstSight(pod);
      this.#pods.set(key, seen);
    }
    const node = nodeNameOf(pod);
    if (seen.boundAtMs === undefined && node !== '') {
      seen.boundAtMs = nowMs;
      seen.node = node;
    }
    seen.disrupted ||= hasDisruptionTarget(pod);
  }

  /** Pods seen with a DisruptionTarget condition True (taint eviction, preemption, PodGC, the Eviction API). */
  disruptedCount(): number {
    let count = 0;
    for (const seen of this.#pods.values()) if (seen.disrupted) count += 1;
    return count;
  }

  /**
   * The placements within [0, endMs] (bindings before the start count at 0), sorted by atMs,
   * then pod, then name.
   */
  placements(endMs: number): Placement[] {
    const out: Placement[] = [];
    for (const [pod, seen] of identities([...this.#pods.values()])) {
      if (seen.boundAtMs === undefined || seen.boundAtMs > endMs) continue;
      const name = `${seen.namespace}/${seen.name}`;
      out.push({ atMs: Math.max(0, seen.boundAtMs), pod, name, node: seen.node });
    }
    return out.sort(comparePlacements);
  }
}

/**
 * Each pod's identity. Pods of one controller owner are ranked by (creationTimestamp, the
 * resourceVersion first seen, namespace/name); the rank from 0 is the ordinal.
 */
function identities(pods: readonly SeenPod[]): [string, SeenPod][] {
  const byOwner = new Map<string, SeenPod[]>();
  const out: [string, SeenPod][] = [];
  for (const seen of pods) {
    if (seen.owner === '') {
      out.push([`Pod/${seen.namespace}/${seen.name}`, seen]);
      continue;
    }
    const group = byOwner.get(seen.owner) ?? [];
    group.push(seen);
    byOwner.set(seen.owner, group);
  }
  for (const [owner, group] of byOwner) {
    group.sort(compareCreation);
    group.forEach((seen, ordinal) => out.push([`${owner}#${ordinal}`, seen]));
  }
  return out;
}

function compareCreation(a: SeenPod, b: SeenPod): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  if (a.firstRevision !== b.firstRevision) return a.firstRevision - b.firstRevision;
  return compareText(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`);
}

function comparePlacements(a: Placement, b: Placement): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  return compareText(a.pod, b.pod) || compareText(a.name, b.name) || compareText(a.node, b.node);
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function podKey(pod: KubeObject): string {
  const meta = pod.metadata;
  return meta.uid ?? `${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

function firstSight(pod: KubeObject): SeenPod {
  const meta = pod.metadata;
  const revision = Number(meta.resourceVersion ?? '0');
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    owner: controllerOwnerOf(pod),
    createdMs: parseTime(meta.creationTimestamp ?? '') ?? 0,
    firstRevision: Number.isSafeInteger(revision) ? revision : 0,
    boundAtMs: undefined,
    node: '',
    disrupted: false,
  };
}

/** `Kind/namespace/name` of the ownerReference with controller: true, or ''. */
function controllerOwnerOf(pod: KubeObject): string {
  const refs = pod.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r['controller'] === true);
  if (ref === undefined) return '';
  const kind = typeof ref['kind'] === 'string' ? ref['kind'] : '';
  const name = typeof ref['name'] === 'string' ? ref['name'] : '';
  return `${kind}/${pod.metadata.namespace ?? ''}/${name}`;
}

function nodeNameOf(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown };
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

function hasDisruptionTarget(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as { conditions?: { type?: unknown; status?: unknown }[] };
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True');
}
