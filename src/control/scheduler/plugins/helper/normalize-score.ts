// helper.DefaultNormalizeScore: rescale raw scores to 0..max by the largest (optionally reversed).
import type { NodeScoreList } from '../../framework/types.js';

export function defaultNormalizeScore(max: number, reverse: boolean, list: NodeScoreList): void {
  const scores = list.scores;
  let top = 0;
  for (let k = 0; k < scores.length; k++)
    if ((scores[k] as number) > top) top = scores[k] as number;
  if (top === 0) {
    if (reverse) scores.fill(max);
    return;
  }
  for (let k = 0; k < scores.length; k++) {
    const scaled = Math.trunc((max * (scores[k] as number)) / top);
    scores[k] = reverse ? max - scaled : scaled;
  }
}
