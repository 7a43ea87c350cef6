// Parses request paths into discovery routes or resource routes (group, version, namespace, ...).

export type Route =
  | { kind: 'discovery'; path: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      plural: string;
      /** '' for cluster-scoped requests and all-namespace lists. */
      namespace: string;
      /** '' for collection requests. */
      name: string;
      /** '' for the main resource, else e.g. `status`, `binding`. */
      subresource: string;
    }
  | { kind: 'unknown' };

/** Decodes one percent-encoded path segment; undefined when it is malformed. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const discoveryPaths = new Set([
  '/version',
  '/healthz',
  '/readyz',
  '/livez',
  '/api',
  '/apis',
  '/openapi/v2',
  '/openapi/v3',
]);

/**
 * `isNamespaced(group, version, plural)` tells whether a resource is namespaced; it resolves
 * `/api/v1/namespaces/x/status` (a namespace's subresource) versus `/api/v1/namespaces/x/pods`.
 */
export function parseRoute(
  path: string,
  isNamespaced: (group: string, version: string, plural: string) => boolean | undefined,
): Route {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (discoveryPaths.has(trimmed)) return { kind: 'discovery', path: trimmed };
  const raw = trimmed.split('/').slice(1);
  const segments: string[] = [];
  for (const s of raw) {
    const decoded = decodeSegment(s);
    if (decoded === undefined || decoded === '') return { kind: 'unknown' };
    segments.push(decoded);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    version = segments[1] as string;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else if (segments[0] === 'apis' && segments.length === 2) {
    return { kind: 'discovery', path: trimmed };
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'discovery', path: trimmed };
  return resourceRoute(group, version, rest, isNamespaced);
}

function resourceRoute(
  group: string,
  version: string,
  rest: string[],
  isNamespaced: (group: string, version: string, plural: string) => boolean | undefined,
): Route {
  const base = { kind: 'resource' as const, group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = rest[2] as string;
    if (isNamespaced(group, version, candidate) === true) {
      if (rest.length > 5) return { kind: 'unknown' };
      return {
        ...base,
        namespace: rest[1] as string,
        plural: candidate,
        name: rest[3] ?? '',
        subresource: rest[4] ?? '',
      };
    }
  }
  if (rest.length > 3) return { kind: 'unknown' };
  return {
    ...base,
    namespace: '',
    plural: rest[0] as string,
    name: rest[1] ?? '',
    subresource: rest[2] ?? '',
  };
}
