// Endpoint names and patterns of the simulated network: `apiserver`, `node/worker-1`, `node/*`.
//
// An endpoint is one component's network identity: `apiserver`, `scheduler`,
// `controller-manager`, `node/<name>` (a kubelet) or `client/<name>` (a user or test client).
// A pattern is an endpoint name in which `*` stands for any run of characters, `/` included:
// `node/*` matches every kubelet, `*` matches everything.

import { assert } from '../../control/util/assert.js';

/** Letters, digits, `.`, `_`, `-` and `/`; starts with a letter or digit. */
const endpointNamePattern = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** Most characters in an endpoint name or pattern. */
export const endpointNameLengthMax = 253;

/** Asserts that `name` is a valid endpoint name (programmer error otherwise). */
export function assertEndpointName(name: string): void {
  assert(name.length <= endpointNameLengthMax, `Endpoint name is too long: "${name}"`);
  assert(endpointNamePattern.test(name), `Invalid endpoint name "${name}"`);
}

/** One or more endpoint patterns. */
export type EndpointSelector = string | readonly string[];

/** A compiled selector: true when any of its patterns matches the endpoint. */
export type EndpointMatcher = (endpoint: string) => boolean;

/** Compiles a selector; asserts each pattern is an endpoint name possibly containing `*`. */
export function compileSelector(selector: EndpointSelector): EndpointMatcher {
  const patterns = typeof selector === 'string' ? [selector] : [...selector];
  assert(patterns.length > 0, 'An endpoint selector needs at least one pattern');
  const matchers = patterns.map(compilePattern);
  if (matchers.length === 1) return matchers[0] as EndpointMatcher;
  return (endpoint) => matchers.some((matches) => matches(endpoint));
}

/** Compiles one pattern: literal parts between `*`s must appear in order. */
export function compilePattern(pattern: string): EndpointMatcher {
  assert(pattern.length <= endpointNameLengthMax, `Endpoint pattern is too long: "${pattern}"`);
  if (!pattern.includes('*')) {
    assertEndpointName(pattern);
    return (endpoint) => endpoint === pattern;
  }
  const parts = pattern.split('*');
  for (const part of parts) {
    assert(part === '' || /^[A-Za-z0-9._/-]+$/.test(part), `Invalid endpoint pattern "${pattern}"`);
  }
  return (endpoint) => matchesParts(endpoint, parts);
}

/** parts[0] is a prefix, the last part a suffix, the middle parts appear in order between. */
function matchesParts(endpoint: string, parts: readonly string[]): boolean {
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (endpoint.length < first.length + last.length) return false;
  if (!endpoint.startsWith(first) || !endpoint.endsWith(last)) return false;
  let position = first.length;
  const end = endpoint.length - last.length;
  for (let index = 1; index < parts.length - 1; index++) {
    const part = parts[index] as string;
    const found = endpoint.indexOf(part, position);
    if (found < 0 || found + part.length > end) return false;
    position = found + part.length;
  }
  return true;
}
