// The subjects a scenario expectation checks, as pure functions over listed objects: which
// pods or nodes match, whether their count is what was expected, and one sentence saying what
// was seen (the report's message).
import type { LabelSelector } from '../../control/api/values/labels.js';
import { matchesLabels, selectorToString } from '../../control/api/values/labels.js';
import type { KubeObject } from '../../control/client/types.js';

/** How many matching objects are expected: exactly, or within bounds. */
export interface CountRule {
  count?: number;
  countMin?: number;
  countMax?: number;
}

export interface PodSubject extends CountRule {
  selector: LabelSelector;
  /** Default: every namespace. */
  namespace?: string;
  phase?: string;
  ready?: boolean;
  terminating?: boolean;
  onNode?: string;
  notOnNode?: string;
}

export interface NodeSubject extends CountRule {
  /** Node names; absent: every node matching the selector. */
  names?: readonly string[];
  selector?: LabelSelector;
  condition?: { type: string; status: string };
  taint?: { key: string; effect?: string };
  /** spec.unschedulable (cordoned) or not. */
  unschedulable?: boolean;
}

export interface SubjectVerdict {
  held: boolean;
  /** One sentence: what matched, against the rule. */
  message: string;
}

interface Condition {
  type?: unknown;
  status?: unknown;
}

function conditionsOf(object: KubeObject): Condition[] {
  const status = (object.status ?? {}) as { conditions?: unknown };
  return Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
}

function labelsOf(object: KubeObject): Record<string, string> {
  return (object.metadata.labels ?? {}) as Record<string, string>;
}

export function podIsReady(pod: KubeObject): boolean {
  return conditionsOf(pod).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podPhase(pod: KubeObject): string {
  const status = (pod.status ?? {}) as { phase?: unknown };
  return typeof status.phase === 'string' ? status.phase : 'Pending';
}

function podNode(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown };
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/** Whether one pod satisfies every condition of the subject (the selector included). */
export function podMatches(subject: PodSubject, pod: KubeObject): boolean {
  if (subject.namespace !== undefined && pod.metadata.namespace !== subject.namespace) return false;
  if (!matchesLabels(subject.selector, labelsOf(pod))) return false;
  if (subject.phase !== undefined && podPhase(pod) !== subject.phase) return false;
  if (subject.ready !== undefined && podIsReady(pod) !== subject.ready) return false;
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  if (subject.terminating !== undefined && terminating !== subject.terminating) return false;
  if (subject.onNode !== undefined && podNode(pod) !== subject.onNode) return false;
  return subject.notOnNode === undefined || podNode(pod) !== subject.notOnNode;
}

/** The count rule against `matched`; no rule means "at least one". */
export function countHolds(rule: CountRule, matched: number): boolean {
  if (rule.count !== undefined) return matched === rule.count;
  if (rule.countMin === undefined && rule.countMax === undefined) return matched > 0;
  if (rule.countMin !== undefined && matched < rule.countMin) return false;
  return rule.countMax === undefined || matched <= rule.countMax;
}

export function describeCount(rule: CountRule): string {
  if (rule.count !== undefined) return `exactly ${rule.count}`;
  if (rule.countMin !== undefined && rule.countMax !== undefined) {
    return `${rule.countMin} to ${rule.countMax}`;
  }
  if (rule.countMin !== undefined) return `at least ${rule.countMin}`;
  if (rule.countMax !== undefined) return `at most ${rule.countMax}`;
  return 'at least 1';
}

export function checkPods(subject: PodSubject, pods: readonly KubeObject[]): SubjectVerdict {
  const matched = pods.filter((p) => podMatches(subject, p)).length;
  const held = countHolds(subject, matched);
  const what = describePodSubject(subject);
  return { held, message: `${matched} pod(s) ${what}; expected ${describeCount(subject)}` };
}

export function describePodSubject(subject: PodSubject): string {
  const parts = [`matching "${selectorToString(subject.selector)}"`];
  if (subject.namespace !== undefined) parts.push(`in ${subject.namespace}`);
  if (subject.phase !== undefined) parts.push(`phase ${subject.phase}`);
  if (subject.ready !== undefined) parts.push(subject.ready ? 'ready' : 'not ready');
  if (subject.terminating !== undefined) {
    parts.push(subject.terminating ? 'terminating' : 'not terminating');
  }
  if (subject.onNode !== undefined) parts.push(`on ${subject.onNode}`);
  if (subject.notOnNode !== undefined) parts.push(`not on ${subject.notOnNode}`);
  return parts.join(', ');
}

export function nodeSelected(subject: NodeSubject, node: KubeObject): boolean {
  const name = node.metadata.name ?? '';
  if (subject.names !== undefined && !subject.names.includes(name)) return false;
  return subject.selector === undefined || matchesLabels(subject.selector, labelsOf(node));
}

export function nodeSatisfies(subject: NodeSubject, node: KubeObject): boolean {
  const condition = subject.condition;
  if (condition !== undefined) {
    const found = conditionsOf(node).find((c) => c.type === condition.type);
    if (found?.status !== condition.status) return false;
  }
  if (subject.unschedulable !== undefined) {
    const spec = (node.spec ?? {}) as { unschedulable?: unknown };
    if ((spec.unschedulable === true) !== subject.unschedulable) return false;
  }
  const taint = subject.taint;
  if (taint !== undefined) {
    const spec = (node.spec ?? {}) as { taints?: { key?: unknown; effect?: unknown }[] };
    const has = (spec.taints ?? []).some(
      (t) => t.key === taint.key && (taint.effect === undefined || t.effect === taint.effect),
    );
    if (!has) return false;
  }
  return true;
}

/**
 * Nodes: with a count rule, how many selected nodes satisfy the conditions; without one, every
 * selected node must (and at least one must be selected).
 */
export function checkNodes(subject: NodeSubject, nodes: readonly KubeObject[]): SubjectVerdict {
  const selected = nodes.filter((n) => nodeSelected(subject, n));
  const satisfying = selected.filter((n) => nodeSatisfies(subject, n));
  const hasRule =
    subject.count !== undefined || subject.countMin !== undefined || subject.countMax !== undefined;
  const held = hasRule
    ? countHolds(subject, satisfying.length)
    : selected.length > 0 && satisfying.length === selected.length;
  const expected = hasRule ? describeCount(subject) : `all ${selected.length}`;
  const message = `${satisfying.length} of ${selected.length} selected node(s) ${describeNodeRule(subject)}; expected ${expected}`;
  return { held, message };
}

export function describeNodeRule(subject: NodeSubject): string {
  const parts: string[] = [];
  if (subject.condition !== undefined) {
    parts.push(`have ${subject.condition.type}=${subject.condition.status}`);
  }
  if (subject.taint !== undefined) {
    const effect = subject.taint.effect === undefined ? '' : `:${subject.taint.effect}`;
    parts.push(`carry taint ${subject.taint.key}${effect}`);
  }
  if (subject.unschedulable !== undefined) {
    parts.push(subject.unschedulable ? 'are cordoned' : 'are schedulable');
  }
  return parts.length === 0 ? 'exist' : parts.join(' and ');
}
