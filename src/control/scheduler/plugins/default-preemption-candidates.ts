// DefaultPreemption's choice among candidate nodes (upstream pickOneNodeForPreemption): each
// criterion keeps the best-scoring candidates and the next one breaks remaining ties.
import type { PodInfo } from '../framework/types.js';
import { assert } from '../../util/assert.js';
import { podStartTimeMs } from './default-preemption-victims.js';

export interface Candidate {
  nodeName: string;
  /** Most important first, non-empty. */
  victims: readonly PodInfo[];
}

/** 2^31: upstream adds MaxInt32+1 so that negative priorities still sum sensibly. */
const priorityOffset = 2 ** 31;

/** Among the victims of the highest priority, the earliest start (GetEarliestPodStartTime). */
export function earliestStartOfTopVictims(victims: readonly PodInfo[], nowMs: number): number {
  const top = Math.max(...victims.map((v) => v.priority));
  const starts = victims.filter((v) => v.priority === top).map((v) => podStartTimeMs(v, nowMs));
  return Math.min(...starts);
}

function scoreFunctions(nowMs: number): ((c: Candidate) => number)[] {
  return [
    // Fewest PDB violations: miniku has no PodDisruptionBudgets, so every candidate has 0.
    () => 0,
    (c) => -Math.max(...c.victims.map((v) => v.priority)),
    (c) => -c.victims.reduce((sum, v) => sum + v.priority + priorityOffset, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfTopVictims(c.victims, nowMs),
  ];
}

/** The candidate to preempt on; ties after every criterion go to the first in order. */
export function pickCandidate(candidates: readonly Candidate[], nowMs: number): Candidate {
  assert(candidates.length > 0, 'pickCandidate needs candidates');
  let remaining = [...candidates];
  for (const score of scoreFunctions(nowMs)) {
    const scores = remaining.map(score);
    const best = Math.max(...scores);
    remaining = remaining.filter((_, i) => scores[i] === best);
    if (remaining.length === 1) break;
  }
  return remaining[0] as Candidate;
}
