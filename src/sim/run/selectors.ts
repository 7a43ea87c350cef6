// Label selectors written in kubectl syntax in a scenario (already validated by the parser).
import type { LabelSelector } from '../../control/api/values/labels.js';
import { parseLabelSelector } from '../../control/api/values/label-parser.js';
import { assert } from '../../control/util/assert.js';

/** The selector of `text` (empty: everything); a scenario's selectors were checked on parse. */
export function selectorFromLabelSelectorString(text: string): LabelSelector {
  const result = parseLabelSelector(text);
  assert(result.ok, `selector "${text}" should have been rejected when the scenario was parsed`);
  return result.selector;
}
