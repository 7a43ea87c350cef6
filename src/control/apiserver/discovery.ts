// Discovery documents (/version, /api, /apis, per group-version resource lists) and health paths.
import type { ResourceType } from '../api/registry.js';
import { apiGroups, resourceTypes } from '../api/registry.js';
import type { HandlerResult } from '../ports/transport.js';
import { gitVersion, kubernetesVersion } from '../version.js';
import { jsonResult } from './responses.js';
import { resourceNotFound } from './status.js';
import { errorResult } from './responses.js';

const subresourceVerbs: Record<string, readonly string[]> = {
  status: ['get', 'patch', 'update'],
  binding: ['create'],
  eviction: ['create'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  exec: ['create', 'get'],
  finalize: ['update'],
};

function subresourceKind(
  name: string,
  type: ResourceType,
): { kind: string; group?: string; version?: string } {
  switch (name) {
    case 'binding':
      return { kind: 'Binding' };
    case 'eviction':
      return { kind: 'Eviction', group: 'policy', version: 'v1' };
    case 'scale':
      return { kind: 'Scale', group: 'autoscaling', version: 'v1' };
    case 'exec':
      return { kind: 'PodExecOptions' };
    default:
      return { kind: type.kind };
  }
}

function resourceList(group: string, version: string): string | undefined {
  const types = resourceTypes.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    const entry: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length > 0) entry.shortNames = t.shortNames;
    if (t.categories.length > 0) entry.categories = t.categories;
    resources.push(entry);
    for (const sub of t.subresources) {
      const k = subresourceKind(sub, t);
      resources.push({
        name: `${t.plural}/${sub}`,
        singularName: '',
        namespaced: t.namespaced,
        ...(k.group === undefined ? {} : { group: k.group, version: k.version }),
        kind: k.kind,
        verbs: subresourceVerbs[sub] ?? [],
      });
    }
  }
  const groupVersion = group === '' ? version : `${group}/${version}`;
  return JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources });
}

/**
 * Groups served only through a subresource of another group: `policy/v1` is the Eviction of
 * `pods/eviction`. Listed (with no resources of their own) because clients look for them:
 * kubectl before 1.30 drains with evictions only when discovery lists `policy`.
 */
const subresourceGroups: readonly {
  name: string;
  versions: readonly string[];
  preferredVersion: string;
}[] = [{ name: 'policy', versions: ['v1'], preferredVersion: 'v1' }];

function servedGroups() {
  return [
    ...apiGroups,
    ...subresourceGroups.filter((g) => !apiGroups.some((a) => a.name === g.name)),
  ];
}

function emptyResourceList(group: string, version: string): string | undefined {
  const known = subresourceGroups.some((g) => g.name === group && g.versions.includes(version));
  if (!known) return undefined;
  return JSON.stringify({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/${version}`,
    resources: [],
  });
}

function groupDocument(name: string): Record<string, unknown> | undefined {
  const group = servedGroups().find((g) => g.name === name);
  if (group === undefined) return undefined;
  const versions = group.versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  const preferredVersion = {
    groupVersion: `${name}/${group.preferredVersion}`,
    version: group.preferredVersion,
  };
  return { name, versions, preferredVersion };
}

function versionDocument(): string {
  return JSON.stringify({
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'n/a',
    compiler: 'miniku',
    platform: 'linux/amd64',
  });
}

/** Answers a discovery or health path; `serverAddress` is what /api advertises. */
export function handleDiscovery(path: string, serverAddress: string): HandlerResult {
  switch (path) {
    case '/version':
      return jsonResult(200, versionDocument());
    case '/healthz':
    case '/readyz':
    case '/livez':
      return {
        kind: 'unary',
        response: {
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'ok',
        },
      };
    case '/api':
      return jsonResult(
        200,
        JSON.stringify({
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
        }),
      );
    case '/apis': {
      const groups = servedGroups()
        .filter((g) => g.name !== '')
        .map((g) => groupDocument(g.name));
      return jsonResult(200, JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups }));
    }
    case '/openapi/v2':
      // An empty protobuf document: kubectl's client-side validation finds no schema and passes.
      return {
        kind: 'unary',
        response: {
          status: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: '',
        },
      };
    default:
      return groupPaths(path);
  }
}

function groupPaths(path: string): HandlerResult {
  const parts = path.split('/').slice(1);
  if (parts[0] === 'api' && parts.length === 2) {
    const list = resourceList('', parts[1] as string);
    if (list !== undefined) return jsonResult(200, list);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const doc = groupDocument(parts[1] as string);
    if (doc !== undefined)
      return jsonResult(200, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...doc }));
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const group = parts[1] as string;
    const version = parts[2] as string;
    const list = resourceList(group, version) ?? emptyResourceList(group, version);
    if (list !== undefined) return jsonResult(200, list);
  }
  return errorResult(resourceNotFound());
}
