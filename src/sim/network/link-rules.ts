// The rules of a simulated network (partitions, holds, latency, loss) and what they mean for a link.
//
// A rule selects links by endpoint patterns: `{from, to}` selects messages from a `from`
// endpoint to a `to` endpoint and, unless `oneWay`, also the messages back. For one directed
// link (from → to) the rules resolve to a LinkPolicy:
// - partitioned: some partition rule selects the link (its messages are dropped);
// - held: the oldest hold rule that selects the link (its messages wait for release);
// - lossPerMillion / latency: the most recently set loss / latency rule that selects the link,
//   else none (0) / the network's default latency.
// Setting a latency or loss rule with the same selector as an existing one replaces it.

import { assert } from '../../control/util/assert.js';
import type { EndpointMatcher, EndpointSelector } from './endpoint-pattern.js';
import { compileSelector } from './endpoint-pattern.js';
import type { LatencySpec } from './latency.js';
import { checkLatency, isZeroLatency } from './latency.js';

/** Which links a rule applies to. */
export interface LinkSelector {
  /** Patterns of sending endpoints, e.g. `node/*`. */
  from: EndpointSelector;
  /** Patterns of receiving endpoints, e.g. `apiserver`. */
  to: EndpointSelector;
  /** Only messages from `from` to `to`; default false: both directions. */
  oneWay?: boolean;
}

export type RuleKind = 'partition' | 'hold' | 'latency' | 'loss';

/** What the rules decide for one directed link. */
export interface LinkPolicy {
  /** The id of a partition cutting the link, if any. */
  partitionId: string | undefined;
  /** The id of the hold catching the link's messages, if any. */
  holdId: string | undefined;
  /** Probability that a message is lost, per million (0..1,000,000). */
  lossPerMillion: number;
  latency: LatencySpec;
  /** No partition, hold, loss or latency: messages may be delivered at once. */
  clear: boolean;
}

interface Rule {
  readonly id: string;
  readonly kind: RuleKind;
  readonly from: EndpointMatcher;
  readonly to: EndpointMatcher;
  readonly oneWay: boolean;
  /** Equal for rules with equal selectors: latency and loss rules replace their equals. */
  readonly selectorKey: string;
  readonly latency: LatencySpec;
  readonly lossPerMillion: number;
}

export interface LinkRulesOptions {
  /** Latency of links no latency rule selects. */
  defaultLatency: LatencySpec;
  /** Most rules in force at once; adding past it throws. */
  ruleCountMax: number;
}

export const perMillion = 1_000_000;

export class LinkRules {
  private readonly rules: Rule[] = [];
  private readonly defaultLatency: LatencySpec;
  private readonly ruleCountMax: number;
  private nextId = 1;
  private versionValue = 0;

  constructor(options: LinkRulesOptions) {
    checkLatency(options.defaultLatency);
    assert(Number.isSafeInteger(options.ruleCountMax), 'ruleCountMax must be an integer');
    assert(options.ruleCountMax > 0, 'ruleCountMax must be positive');
    this.defaultLatency = options.defaultLatency;
    this.ruleCountMax = options.ruleCountMax;
  }

  /** Changes with every rule added or removed; policies computed at another version are stale. */
  get version(): number {
    return this.versionValue;
  }

  /** Ids of the rules of a kind in force, oldest first. */
  ids(kind: RuleKind): string[] {
    return this.rules.filter((rule) => rule.kind === kind).map((rule) => rule.id);
  }

  kindOf(id: string): RuleKind | undefined {
    return this.rules.find((rule) => rule.id === id)?.kind;
  }

  addPartition(selector: LinkSelector): string {
    return this.add('partition', selector, {});
  }

  addHold(selector: LinkSelector): string {
    return this.add('hold', selector, {});
  }

  setLatency(selector: LinkSelector, latency: LatencySpec): string {
    checkLatency(latency);
    return this.add('latency', selector, { latency });
  }

  setLoss(selector: LinkSelector, lossPerMillion: number): string {
    assert(Number.isSafeInteger(lossPerMillion), `perMillion must be an integer`);
    assert(lossPerMillion >= 0 && lossPerMillion <= perMillion, `perMillion must be in 0..1e6`);
    return this.add('loss', selector, { lossPerMillion });
  }

  /** Removes the rules with these ids; returns the ids that were in force. */
  remove(ids: readonly string[]): string[] {
    const wanted = new Set(ids);
    const removed = this.rules.filter((rule) => wanted.has(rule.id)).map((rule) => rule.id);
    if (removed.length === 0) return removed;
    const kept = this.rules.filter((rule) => !wanted.has(rule.id));
    this.rules.length = 0;
    this.rules.push(...kept);
    this.versionValue += 1;
    return removed;
  }

  /** What the rules in force decide for messages from `from` to `to`. */
  policy(from: string, to: string): LinkPolicy {
    let partitionId: string | undefined;
    let holdId: string | undefined;
    let lossPerMillion = 0;
    let latency = this.defaultLatency;
    for (const rule of this.rules) {
      if (!selects(rule, from, to)) continue;
      if (rule.kind === 'partition') partitionId ??= rule.id;
      else if (rule.kind === 'hold') holdId ??= rule.id;
      else if (rule.kind === 'loss') lossPerMillion = rule.lossPerMillion;
      else latency = rule.latency;
    }
    const clear =
      partitionId === undefined &&
      holdId === undefined &&
      lossPerMillion === 0 &&
      isZeroLatency(latency);
    return { partitionId, holdId, lossPerMillion, latency, clear };
  }

  private add(
    kind: RuleKind,
    selector: LinkSelector,
    values: { latency?: LatencySpec; lossPerMillion?: number },
  ): string {
    const oneWay = selector.oneWay === true;
    const selectorKey = JSON.stringify([selector.from, selector.to, oneWay]);
    if (kind === 'latency' || kind === 'loss') {
      const same = this.rules.filter((r) => r.kind === kind && r.selectorKey === selectorKey);
      this.remove(same.map((rule) => rule.id));
    }
    assert(
      this.rules.length < this.ruleCountMax,
      `Network rule limit reached: ruleCountMax (${this.ruleCountMax}) rules are in force`,
    );
    const rule: Rule = {
      id: `${kind}-${this.nextId++}`,
      kind,
      from: compileSelector(selector.from),
      to: compileSelector(selector.to),
      oneWay,
      selectorKey,
      latency: values.latency ?? 0,
      lossPerMillion: values.lossPerMillion ?? 0,
    };
    this.rules.push(rule);
    this.versionValue += 1;
    return rule.id;
  }
}

function selects(rule: Rule, from: string, to: string): boolean {
  if (rule.from(from) && rule.to(to)) return true;
  return !rule.oneWay && rule.from(to) && rule.to(from);
}
