// helper.DefaultNormalizeScore: rescale raw scores to 0..max by the largest (optionally reversed).
import type { NodeScore } from '../../framework/types.js';

export function defaultNormalizeScore(max: number, reverse: boolean, scores: NodeScore[]): void {
  let top = 0;
  for (const s of scores) if (s.score > top) top = s.score;
  if (top === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    const scaled = Math.trunc((max * s.score) / top);
    s.score = reverse ? max - scaled : scaled;
  }
}
