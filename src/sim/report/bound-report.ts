// Checks a ReportData and bounds every series of it; all three renderers draw the bounded copy.

import { assert } from '../../control/util/assert.js';
import {
  downsampleIntervals,
  downsamplePhases,
  downsampleSteps,
  reduceSamples,
  reportPointCountMax,
} from './downsample.js';
import type { ExpectationResult, FaultRecovery, ReportData, ReportSeries } from './report-data.js';

export interface BoundOptions {
  /** Most points per series (≥ 4). Default reportPointCountMax (2,000). */
  pointCountMax?: number;
}

/** The run's length in virtual ms. */
export function durationMsOf(data: ReportData): number {
  return data.virtualEndMs - data.virtualStartMs;
}

function checkInstant(instantMs: number | null, durationMs: number, what: string): void {
  if (instantMs === null) return;
  assert(Number.isFinite(instantMs), `${what}: instant must be finite`);
  assert(instantMs >= 0 && instantMs <= durationMs, `${what}: instant outside the run`);
}

function checkExpectation(expectation: ExpectationResult, durationMs: number): void {
  checkInstant(expectation.instantMs, durationMs, `expectation "${expectation.name}"`);
}

function checkFault(fault: FaultRecovery, durationMs: number): void {
  checkInstant(fault.injectedAtMs, durationMs, `fault "${fault.label}"`);
  checkInstant(fault.recoveredAtMs, durationMs, `fault "${fault.label}" recovery`);
  if (fault.recoveredAtMs !== null) {
    assert(fault.recoveredAtMs >= fault.injectedAtMs, `fault "${fault.label}" recovered early`);
  }
}

/** Asserts what every renderer relies on; a violation is the producer's bug. */
export function checkReportData(data: ReportData): void {
  assert(Number.isSafeInteger(data.virtualStartMs), 'virtualStartMs must be an integer');
  assert(Number.isSafeInteger(data.virtualEndMs), 'virtualEndMs must be an integer');
  const durationMs = durationMsOf(data);
  assert(durationMs >= 0, 'virtualEndMs must not precede virtualStartMs');
  for (const [name, value] of Object.entries(data.metrics)) {
    assert(Number.isFinite(value), `metric "${name}" must be finite`);
  }
  const names = new Set(data.expectations.map((expectation) => expectation.name));
  assert(names.size === data.expectations.length, 'expectation names must be unique');
  for (const expectation of data.expectations) checkExpectation(expectation, durationMs);
  for (const fault of data.faults) checkFault(fault, durationMs);
  const nodes = new Set(data.series.podsPerNode.map((series) => series.node));
  assert(nodes.size === data.series.podsPerNode.length, 'podsPerNode nodes must be unique');
  const readyNodes = new Set(data.series.nodeReadiness.map((series) => series.node));
  assert(readyNodes.size === data.series.nodeReadiness.length, 'nodeReadiness must be unique');
}

function boundSeries(series: ReportSeries, durationMs: number, max: number): ReportSeries {
  return {
    podsByPhase: downsamplePhases(series.podsByPhase, durationMs, max),
    podsPerNode: series.podsPerNode.map((node) => ({
      node: node.node,
      samples: downsampleSteps(node.samples, durationMs, max),
    })),
    nodeReadiness: series.nodeReadiness.map((node) => ({
      node: node.node,
      intervals: downsampleIntervals(node.intervals, durationMs, max),
    })),
    pendingQueue: downsampleSteps(series.pendingQueue, durationMs, max),
    schedulingLatencyMs: reduceSamples(series.schedulingLatencyMs, 'schedulingLatencyMs', max),
    podStartupLatencyMs: reduceSamples(series.podStartupLatencyMs, 'podStartupLatencyMs', max),
  };
}

/**
 * A checked copy of the data with every series bounded by the rules in README.md (at most
 * `pointCountMax` points each). Bounding a bounded report changes nothing.
 */
export function boundReportData(data: ReportData, options: BoundOptions = {}): ReportData {
  const pointCountMax = options.pointCountMax ?? reportPointCountMax;
  assert(Number.isSafeInteger(pointCountMax) && pointCountMax >= 4, 'pointCountMax must be ≥ 4');
  checkReportData(data);
  return { ...data, series: boundSeries(data.series, durationMsOf(data), pointCountMax) };
}
