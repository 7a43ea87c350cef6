// Determinism guard: while a simulation runs, host time, timers and randomness throw.
//
// What is replaced while at least one run is open (restored when the last one closes):
//   Date.now, new Date() / Date() without arguments (globalThis.Date becomes a proxy; dated
//   constructions such as new Date(ms) still work), Math.random, performance.now, setTimeout,
//   setInterval, setImmediate, crypto.getRandomValues, crypto.randomUUID (globalThis.crypto).
// queueMicrotask and promises are left alone: async code needs them.
//
// Reference counting: the globals are process-wide, so the guard's state lives on globalThis under
// a registered symbol (not in module scope): nested runs (an event that runs another engine) and
// parallel runs (two engines awaited together) share one installation, and even two copies of this
// module would agree. A banned call throws and is also recorded on every open session, so a caller
// that swallows the error still fails its run.
//
// The engine's own drain: the composition root passes a drain such as
//   const hostSetImmediate = setImmediate; // captured before any run
//   const drain = () => new Promise<void>((resolve) => hostSetImmediate(() => resolve()));
// Capturing the reference is enough, because the guard swaps the global binding, not the function.
// The engine additionally calls the drain inside `session.passThrough`, during which the replaced
// globals forward to the originals, so a drain that looks setImmediate up at call time works too.

import { assert } from '../../control/util/assert.js';

/** One open run's view of the guard. */
export interface GuardSession {
  /** The first banned call made while this session was open, if any. */
  readonly violation: Error | undefined;
  /** Runs `fn` with the replaced globals forwarding to the originals (for the engine's drain). */
  passThrough<T>(fn: () => T): T;
  /** Closes the session; the last close restores every global. Idempotent. */
  close(): void;
}

interface SessionState {
  violation: Error | undefined;
}

interface Patch {
  target: object;
  key: PropertyKey;
  /** The original own property, or undefined when the property was inherited or absent. */
  original: PropertyDescriptor | undefined;
}

interface GuardState {
  openCount: number;
  passThroughDepth: number;
  sessions: Set<SessionState>;
  patches: Patch[];
}

const stateKey = Symbol.for('miniku.determinismGuard');

type GuardHost = typeof globalThis & { [stateKey]?: GuardState };

function guardState(): GuardState {
  const host = globalThis as GuardHost;
  let state = host[stateKey];
  if (state === undefined) {
    state = { openCount: 0, passThroughDepth: 0, sessions: new Set(), patches: [] };
    host[stateKey] = state;
  }
  return state;
}

/** Number of runs currently holding the guard (0 when the host globals are untouched). */
export function guardDepth(): number {
  return guardState().openCount;
}

/** Opens a session; the first open session installs the replacements. */
export function openGuard(): GuardSession {
  const state = guardState();
  if (state.openCount === 0) install(state);
  state.openCount += 1;
  const session: SessionState = { violation: undefined };
  state.sessions.add(session);
  let open = true;
  return {
    get violation() {
      return session.violation;
    },
    passThrough<T>(fn: () => T): T {
      state.passThroughDepth += 1;
      try {
        return fn();
      } finally {
        state.passThroughDepth -= 1;
      }
    },
    close() {
      if (!open) return;
      open = false;
      state.sessions.delete(session);
      state.openCount -= 1;
      if (state.openCount === 0) restore(state);
    },
  };
}

function violation(state: GuardState, call: string, port: string): Error {
  const error = new Error(`${call} called during a simulation run; use the component's ${port}`);
  for (const session of state.sessions) session.violation ??= error;
  return error;
}

/** Wraps `original` so that it throws during a run and forwards during passThrough. */
function banned(state: GuardState, original: unknown, call: string, port: string): unknown {
  assert(typeof original === 'function', `cannot guard ${call}: not a function`);
  return function guarded(this: unknown, ...args: unknown[]): unknown {
    if (state.passThroughDepth > 0) return Reflect.apply(original, this, args);
    throw violation(state, call, port);
  };
}

function guardedDate(state: GuardState, RealDate: DateConstructor): DateConstructor {
  return new Proxy(RealDate, {
    construct(target, args, newTarget) {
      if (args.length === 0 && state.passThroughDepth === 0) {
        throw violation(state, 'new Date()', 'Clock');
      }
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply(target, thisArg, args) {
      if (state.passThroughDepth === 0) throw violation(state, 'Date()', 'Clock');
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
}

function install(state: GuardState): void {
  assert(state.patches.length === 0, 'guard installed twice');
  const host = globalThis;
  const RealDate = host.Date;
  try {
    patch(state, RealDate, 'now', banned(state, RealDate.now, 'Date.now()', 'Clock'));
    patch(state, host, 'Date', guardedDate(state, RealDate));
    patch(state, Math, 'random', banned(state, Math.random, 'Math.random()', 'Rng'));
    for (const name of ['setTimeout', 'setInterval', 'setImmediate'] as const) {
      patch(state, host, name, banned(state, host[name], `${name}()`, 'Clock'));
    }
    const perf = host.performance;
    patch(state, perf, 'now', banned(state, perf.now, 'performance.now()', 'Clock'));
    const crypto = host.crypto;
    for (const name of ['getRandomValues', 'randomUUID'] as const) {
      patch(state, crypto, name, banned(state, crypto[name], `crypto.${name}()`, 'Rng'));
    }
  } catch (error) {
    restore(state);
    throw error;
  }
}

function patch(state: GuardState, target: object, key: PropertyKey, value: unknown): void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, writable: true, configurable: true });
  state.patches.push({ target, key, original });
}

function restore(state: GuardState): void {
  while (state.patches.length > 0) {
    const { target, key, original } = state.patches.pop() as Patch;
    if (original === undefined) Reflect.deleteProperty(target, key);
    else Object.defineProperty(target, key, original);
  }
}
