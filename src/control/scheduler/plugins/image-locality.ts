// ImageLocality score: prefer nodes that already hold the pod's images, weighted by how widely
// each image is spread over the cluster.
import type { JsonObject } from '../../store/types.js';
import { objectAt, objectsAt, stringAt } from '../framework/json-fields.js';
import { normalizedImageName } from '../framework/node-info.js';
import { scoreByFlag } from '../framework/node-batch.js';
import { nodeFlag } from '../framework/node-table.js';
import { success } from '../framework/types.js';
import type {
  CycleState,
  NodeBatch,
  NodeInfo,
  PodInfo,
  Plugin,
  PluginFactory,
  Snapshot,
  Status,
} from '../framework/types.js';

export const NAME = 'ImageLocality';
export const defaultWeight = 1;
const preScoreKey = `PreScore${NAME}`;
const mb = 1024 * 1024;
export const minThreshold = 23 * mb;
export const maxContainerThreshold = 1000 * mb;

interface PreScoreState {
  /** Normalised image of every init and app container, duplicates kept (as upstream). */
  images: string[];
  /** image → numNodesHavingImage / totalNodes. */
  spread: Map<string, number>;
  /** No node holds any of the images: every node's sum is 0 without looking. */
  absentEverywhere: boolean;
}

export function containerImages(pod: JsonObject): string[] {
  const spec = objectAt(pod, 'spec');
  const out: string[] = [];
  for (const key of ['initContainers', 'containers']) {
    for (const c of objectsAt(spec, key)) out.push(normalizedImageName(stringAt(c, 'image') ?? ''));
  }
  return out;
}

/** calculatePriority: clamp the summed scaled sizes to [23 MiB, 1000 MiB × containers]. */
export function imageLocalityScore(sumScores: number, numContainers: number): number {
  const maxThreshold = maxContainerThreshold * numContainers;
  if (maxThreshold <= minThreshold) return 0;
  const clamped = Math.min(Math.max(sumScores, minThreshold), maxThreshold);
  return Math.trunc((100 * (clamped - minThreshold)) / (maxThreshold - minThreshold));
}

function preScoreStateOf(pod: PodInfo, snapshot: Snapshot): PreScoreState {
  const images = containerImages(pod.pod);
  const total = snapshot.nodes.length;
  const spread = new Map<string, number>();
  for (const image of images) {
    if (!spread.has(image))
      spread.set(image, total === 0 ? 0 : snapshot.imageNodeCount(image) / total);
  }
  let absentEverywhere = true;
  for (const value of spread.values()) if (value > 0) absentEverywhere = false;
  return { images, spread, absentEverywhere };
}

export function scoreNode(state: PreScoreState, node: NodeInfo): number {
  if (state.absentEverywhere) return imageLocalityScore(0, state.images.length);
  let sum = 0;
  for (const image of state.images) {
    const size = node.imageSizes.get(image);
    if (size !== undefined) sum += Math.trunc(size * (state.spread.get(image) ?? 0));
  }
  return imageLocalityScore(sum, state.images.length);
}

const noPreScoreState: Status = { code: 'Error', reasons: ['ImageLocality: no PreScore state'] };

export const factory: PluginFactory = (): Plugin => ({
  name: NAME,
  preScore(
    state: CycleState,
    pod: PodInfo,
    _nodes: readonly NodeInfo[],
    snapshot: Snapshot,
  ): Status {
    state.write(preScoreKey, preScoreStateOf(pod, snapshot));
    return success;
  },
  score(state: CycleState, _pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
    const s = state.read<PreScoreState>(preScoreKey);
    if (s === undefined) return { score: 0, status: noPreScoreState };
    return { score: scoreNode(s, node), status: success };
  },
  scoreBatch(state: CycleState, _pod: PodInfo, batch: NodeBatch, out: Float64Array): Status {
    const s = state.read<PreScoreState>(preScoreKey);
    if (s === undefined) return noPreScoreState;
    const imageless = imageLocalityScore(0, s.images.length);
    if (s.absentEverywhere) out.fill(imageless, 0, batch.count);
    else scoreByFlag(batch, nodeFlag.images, imageless, (node) => scoreNode(s, node), out);
    return success;
  },
});
