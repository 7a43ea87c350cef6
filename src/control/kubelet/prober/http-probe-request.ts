// Builds the request of an httpGet probe as upstream NewRequestForHTTPGetAction does: URL from
// scheme, host (default the pod IP), resolved port and path; canonical headers plus defaults.

import type { HttpProbeRequest } from '../../ports/container-runtime.js';
import type { JsonObject } from '../../store/types.js';
import { kubernetesVersion } from '../../version.js';
import { resolveContainerPort, type ProbeHandler } from './probe-spec.js';

export type HttpGetHandler = Extract<ProbeHandler, { type: 'httpGet' }>;

export interface HttpProbeTarget {
  request: HttpProbeRequest;
  /** The URL as Go prints it in errors, e.g. `http://10.244.0.5:8080/healthz`. */
  url: string;
}

/** `kube-probe/<major>.<minor>`, the User-Agent upstream sends unless the probe sets one. */
export const probeUserAgent = `kube-probe/${kubernetesVersion.major}.${kubernetesVersion.minor}`;

/** The request, or the port resolution error (a probe error upstream). */
export function buildHttpProbeRequest(
  handler: HttpGetHandler,
  container: JsonObject,
  podIp: string,
): HttpProbeTarget | { error: string } {
  const resolved = resolveContainerPort(handler.port, container);
  if ('error' in resolved) return resolved;
  const host = handler.host === '' ? podIp : handler.host;
  const path =
    handler.path === '' || handler.path.startsWith('/') ? handler.path : `/${handler.path}`;
  const hostPort = host.includes(':') ? `[${host}]:${resolved.port}` : `${host}:${resolved.port}`;
  const url = `${handler.scheme.toLowerCase()}://${hostPort}${path}`;
  const requestPath = path.split('#')[0] || '/';
  const request: HttpProbeRequest = {
    scheme: handler.scheme,
    host,
    port: resolved.port,
    path: requestPath,
    headers: probeHeaders(handler.headers),
  };
  return { request, url };
}

/**
 * The probe's headers with canonical names, plus `User-Agent: kube-probe/1.32` and
 * `Accept: *\/*` unless given; an explicitly empty Accept removes it (upstream newProbeRequest).
 * Sorted by name (Go writes a header map in key order); values of one name keep their order.
 */
export function probeHeaders(
  headers: ReadonlyArray<{ name: string; value: string }>,
): Array<{ name: string; value: string }> {
  let result = headers.map((h) => ({ name: canonicalHeaderName(h.name), value: h.value }));
  const first = (name: string) => result.find((h) => h.name === name);
  if (first('User-Agent') === undefined) result.push({ name: 'User-Agent', value: probeUserAgent });
  const accept = first('Accept');
  if (accept === undefined) result.push({ name: 'Accept', value: '*/*' });
  else if (accept.value === '') result = result.filter((h) => h.name !== 'Accept');
  return result
    .map((header, index) => ({ header, index }))
    .sort((a, b) => compareText(a.header.name, b.header.name) || a.index - b.index)
    .map(({ header }) => header);
}

const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's textproto.CanonicalMIMEHeaderKey: `x-custom-id` → `X-Custom-Id`; odd names unchanged. */
export function canonicalHeaderName(name: string): string {
  if (!tokenName.test(name)) return name;
  return name
    .split('-')
    .map((word) => word.slice(0, 1).toUpperCase() + word.slice(1).toLowerCase())
    .join('-');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
