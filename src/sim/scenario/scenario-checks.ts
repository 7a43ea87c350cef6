// Checks that span fields, run on the decoded model: everything happens within the scenario's
// duration, nodes named exist when they are used, names are unique. Also fills in the defaults
// that depend on spec.duration (`until` of arrivals and `always` windows).
import { quote, renderPath } from './scenario-errors.js';
import type { ObjectPath } from './scenario-errors.js';
import { scenarioDurationMsMax } from './scenario-format.js';
import type { Expectation, FaultAction, Scenario, ScenarioSpec } from './scenario-model.js';
import { buildNodeTimeline, shortDuration } from './node-timeline.js';
import type { CheckContext, NodeTimeline } from './node-timeline.js';

export type { CheckContext } from './node-timeline.js';

class TimeBounds {
  readonly spec: ScenarioSpec;
  readonly context: CheckContext;

  constructor(options: { spec: ScenarioSpec; context: CheckContext }) {
    this.spec = options.spec;
    this.context = options.context;
  }

  /** Reports an instant after the end; true when it is within the run. */
  instant(ms: number, path: ObjectPath): boolean {
    if (ms <= this.spec.durationMs) return true;
    this.context.report(
      path,
      `${shortDuration(ms)} is after the end of the scenario (${this.end()})`,
    );
    return false;
  }

  /** Reports a window `at + length` that ends after the end. */
  window(atMs: number, lengthMs: number | undefined, name: string, path: ObjectPath): void {
    if (lengthMs === undefined || atMs + lengthMs <= this.spec.durationMs) return;
    const message =
      `ends at ${shortDuration(atMs + lengthMs)} (at + ${name}), after the end of the ` +
      `scenario (${this.end()})`;
    this.context.report(path, message);
  }

  end(): string {
    return `spec.duration is ${shortDuration(this.spec.durationMs)}`;
  }
}

function actionWindow(action: FaultAction): [string, number | undefined] | undefined {
  switch (action.kind) {
    case 'crashNode':
      return ['restartAfter', action.restartAfterMs];
    case 'stopHeartbeats':
    case 'partition':
    case 'delayLinks':
    case 'dropMessages':
      return ['for', action.forMs];
    case 'restartApiServer':
    case 'restartComponent':
      return ['downFor', action.downForMs];
    default:
      return undefined;
  }
}

function checkWorkloads(spec: ScenarioSpec, bounds: TimeBounds, context: CheckContext): void {
  for (const workload of spec.workloads) {
    const path = context.pathOf(workload);
    bounds.instant(workload.atMs, [...path, 'at']);
    if (workload.kind !== 'poisson') continue;
    if (workload.untilMs < 0) workload.untilMs = spec.durationMs;
    else if (!bounds.instant(workload.untilMs, [...path, 'until'])) continue;
    if (workload.untilMs <= workload.atMs) {
      context.report([...path, 'until'], `must be after at (${shortDuration(workload.atMs)})`);
    }
  }
}

function checkFaults(spec: ScenarioSpec, bounds: TimeBounds, context: CheckContext): void {
  for (const fault of spec.faults) {
    const path = context.pathOf(fault);
    if (!bounds.instant(fault.atMs, [...path, 'at'])) continue;
    const window = actionWindow(fault.action);
    if (window !== undefined) {
      const [name, lengthMs] = window;
      bounds.window(fault.atMs, lengthMs, name, [...context.pathOf(fault.action), name]);
    }
  }
}

function checkTiming(
  expectation: Expectation,
  spec: ScenarioSpec,
  bounds: TimeBounds,
  context: CheckContext,
) {
  const path = context.pathOf(expectation);
  const timing = expectation.timing;
  if (timing.kind === 'at') bounds.instant(timing.atMs, [...path, 'at']);
  if (timing.kind === 'by') bounds.instant(timing.byMs, [...path, 'by']);
  if (timing.kind !== 'always') return;
  if (timing.untilMs === undefined) timing.untilMs = spec.durationMs;
  else if (!bounds.instant(timing.untilMs, [...path, 'until'])) return;
  if (timing.fromMs > timing.untilMs) {
    context.report([...path, 'from'], `must not be after until (${shortDuration(timing.untilMs)})`);
  }
}

function checkExpectationNodes(
  expectation: Expectation,
  timeline: NodeTimeline,
  context: CheckContext,
) {
  const path = context.pathOf(expectation.subject);
  const subject = expectation.subject;
  const named: [ObjectPath, string | undefined][] = [];
  if (subject.kind === 'pods') {
    named.push([[...path, 'onNode'], subject.onNode], [[...path, 'notOnNode'], subject.notOnNode]);
  }
  if (subject.kind === 'nodes') {
    (subject.names ?? []).forEach((name, i) => named.push([[...path, 'names', i], name]));
  }
  for (const [at, name] of named) {
    const message = name === undefined ? undefined : timeline.unknownMessage(name);
    if (message !== undefined) context.report(at, message);
  }
}

function checkUnique(
  items: readonly object[],
  nameOf: (item: never) => string,
  what: string,
  context: CheckContext,
): void {
  const first = new Map<string, object>();
  for (const item of items) {
    const name = nameOf(item as never);
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, item);
      continue;
    }
    const firstPath = renderPath(context.pathOf(earlier));
    const message = `duplicate ${what} ${quote(name)} (first at ${firstPath})`;
    context.report([...context.pathOf(item), 'name'], message);
  }
}

/** Runs every cross-field check on a decoded scenario (which it completes in place). */
export function checkScenario(scenario: Scenario, context: CheckContext): void {
  const spec = scenario.spec;
  if (spec.durationMs > scenarioDurationMsMax) {
    context.report(['spec', 'duration'], `must be at most ${shortDuration(scenarioDurationMsMax)}`);
    return;
  }
  const bounds = new TimeBounds({ spec, context });
  checkUnique(spec.nodePools, (pool: { name: string }) => pool.name, 'pool name', context);
  checkUnique(spec.expectations, (e: { name: string }) => e.name, 'expectation name', context);
  checkWorkloads(spec, bounds, context);
  checkFaults(spec, bounds, context);
  const timeline = buildNodeTimeline(spec, context);
  for (const expectation of spec.expectations) {
    checkTiming(expectation, spec, bounds, context);
    checkExpectationNodes(expectation, timeline, context);
  }
}
