// Scripted network listeners of simulated containers: which TCP ports answer, and what an HTTP
// path answers, as functions of the time since the container started (all virtual, no I/O).

import { assert } from '../control/util/assert.js';

/** One HTTP answer of a listener. */
export interface SimHttpRoute {
  /** Path it answers, matched exactly; the query string is ignored. */
  path: string;
  statusCode: number;
  /** Default ''. */
  body?: string;
  /** Answers from this long after the container started, ms. Default 0. */
  fromMs?: number;
  /** Time to the response, ms; a probe whose timeout comes first times out. Default 0. */
  delayMs?: number;
}

/** A TCP port a container's process listens on (in its sandbox's network namespace). */
export interface SimListenScript {
  port: number;
  /** Starts listening this long after the container started, ms. Default 0. */
  fromMs?: number;
  /** Stops listening (connections refused) this long after start, ms. Absent: until exit. */
  untilMs?: number;
  /**
   * HTTP answers. For a path, the route with the latest `fromMs` that has passed answers (later
   * in the list wins a tie); no such route answers 404 `404 page not found`, as Go's ServeMux.
   */
  http?: readonly SimHttpRoute[];
}

export interface SimHttpAnswer {
  statusCode: number;
  body: string;
  delayMs: number;
}

const notFoundAnswer: SimHttpAnswer = { statusCode: 404, body: '404 page not found\n', delayMs: 0 };

/** The listener of `port` that is open `sinceStartMs` after start, if any. */
export function openListener(
  listeners: readonly SimListenScript[] | undefined,
  port: number,
  sinceStartMs: number,
): SimListenScript | undefined {
  return listeners?.find(
    (listener) =>
      listener.port === port &&
      sinceStartMs >= (listener.fromMs ?? 0) &&
      (listener.untilMs === undefined || sinceStartMs < listener.untilMs),
  );
}

/** What `listener` answers to a GET of `pathAndQuery`, `sinceStartMs` after start. */
export function httpAnswer(
  listener: SimListenScript,
  pathAndQuery: string,
  sinceStartMs: number,
): SimHttpAnswer {
  const path = pathAndQuery.split('?')[0] ?? '';
  let chosen: SimHttpRoute | undefined;
  for (const route of listener.http ?? []) {
    const fromMs = route.fromMs ?? 0;
    if (route.path !== path || fromMs > sinceStartMs) continue;
    if (chosen === undefined || fromMs >= (chosen.fromMs ?? 0)) chosen = route;
  }
  if (chosen === undefined) return notFoundAnswer;
  return { statusCode: chosen.statusCode, body: chosen.body ?? '', delayMs: chosen.delayMs ?? 0 };
}

/** `host:port` as Go's net.JoinHostPort writes it (IPv6 literals in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Checks a script's listeners: ports in range, durations non-negative integers. */
export function assertListeners(image: string, listeners: readonly SimListenScript[]): void {
  for (const [i, listener] of listeners.entries()) {
    const where = `images["${image}"].listen[${i}]`;
    const { port } = listener;
    assert(Number.isInteger(port) && port >= 1 && port <= 65535, `${where}.port: ${port}`);
    assertOptionalMs(listener.fromMs, `${where}.fromMs`);
    assertOptionalMs(listener.untilMs, `${where}.untilMs`);
    for (const [j, route] of (listener.http ?? []).entries()) {
      const code = route.statusCode;
      assert(Number.isInteger(code) && code >= 100 && code <= 599, `${where}.http[${j}]: ${code}`);
      assertOptionalMs(route.fromMs, `${where}.http[${j}].fromMs`);
      assertOptionalMs(route.delayMs, `${where}.http[${j}].delayMs`);
    }
  }
}

function assertOptionalMs(value: number | undefined, name: string): void {
  if (value === undefined) return;
  assert(Number.isSafeInteger(value), `${name} must be an integer, got ${value}`);
  assert(value >= 0, `${name} must not be negative, got ${value}`);
}
