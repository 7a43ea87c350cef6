// The built-in invariants of `miniku sim run` (the checks live in ./invariants/).
export { InvariantChecker } from './invariants/invariant-checker.js';
export type {
  InvariantCheckerOptions,
  InvariantStats,
  InvariantWorld,
  ObservableRuntime,
} from './invariants/invariant-checker.js';
export { invariantNames } from './invariants/violation-log.js';
export type { InvariantName, InvariantViolation } from './invariants/violation-log.js';
