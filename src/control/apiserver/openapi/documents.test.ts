import { describe, expect, it } from 'vitest';
import { findResource, resourceTypes } from '../../api/registry.js';
import { sha256Hex } from '../../util/sha256.js';
import { OpenApiDocuments } from './documents.js';
import { patchContentTypes } from './paths.js';
import { groupVersionPath } from './type-names.js';

type Json = Record<string, unknown>;

const documents = new OpenApiDocuments();

function parsedDocument(path: string): Json {
  const text = documents.openApiV3Document(path);
  expect(text).toBeDefined();
  return JSON.parse(text as string) as Json;
}

function schemasOf(document: Json): Record<string, Json> {
  return (document.components as Json).schemas as Record<string, Json>;
}

function pathsOf(document: Json): Record<string, Record<string, Json>> {
  return document.paths as Record<string, Record<string, Json>>;
}

const groupVersionPaths = Object.keys(
  (JSON.parse(documents.openApiV3Index()) as { paths: Json }).paths,
);

/** Every `$ref` string anywhere in a value. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') out.push(child);
      else refsIn(child, out);
    }
  }
  return out;
}

/**
 * Patch metadata as apimachinery's PatchMetaFromOpenAPIV3 finds it: the property's own
 * extensions, then `allOf[0]`, `$ref` and `items` to reach the next struct.
 */
function patchMetaAt(document: Json, kind: string, path: readonly string[]) {
  const schemas = schemasOf(document);
  const resolve = (schema: Json): Json => {
    const first = (schema.allOf as Json[] | undefined)?.[0] ?? schema;
    const ref = first.$ref as string | undefined;
    return ref === undefined ? first : (schemas[ref.replace('#/components/schemas/', '')] as Json);
  };
  let current = Object.values(schemas).find((s) =>
    (s['x-kubernetes-group-version-kind'] as Json[] | undefined)?.some((g) => g.kind === kind),
  ) as Json;
  let property: Json = {};
  for (const key of path) {
    property = (current.properties as Record<string, Json>)[key] as Json;
    expect(property, `field ${key}`).toBeDefined();
    current = resolve((property.items as Json | undefined) ?? property);
  }
  return {
    mergeKey: property['x-kubernetes-patch-merge-key'],
    strategy: property['x-kubernetes-patch-strategy'],
    listType: property['x-kubernetes-list-type'],
  };
}

describe('OpenApiDocuments', () => {
  it('indexes one document per served group-version, with the hash of its text', () => {
    const expected = [...new Set(resourceTypes.map((t) => groupVersionPath(t.group, t.version)))];
    expect([...groupVersionPaths].sort()).toEqual(expected.sort());
    const index = JSON.parse(documents.openApiV3Index()) as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    for (const path of groupVersionPaths) {
      const hash = sha256Hex(documents.openApiV3Document(path) as string);
      expect(index.paths[path]?.serverRelativeURL).toBe(`/openapi/v3/${path}?hash=${hash}`);
    }
    expect(documents.openApiV3Document('apis/batch/v1')).toBeUndefined();
  });

  it('gives every registered kind and its list a component with its group-version-kind', () => {
    for (const type of resourceTypes) {
      const schemas = schemasOf(parsedDocument(groupVersionPath(type.group, type.version)));
      for (const kind of [type.kind, type.listKind]) {
        const gvk = { group: type.group, kind, version: type.version };
        const owners = Object.values(schemas).filter((s) =>
          (s['x-kubernetes-group-version-kind'] as Json[] | undefined)?.some(
            (g) => JSON.stringify(g) === JSON.stringify(gvk),
          ),
        );
        expect(owners, `${type.apiVersion} ${kind}`).toHaveLength(1);
      }
    }
  });

  it('names components as upstream does', () => {
    const core = schemasOf(parsedDocument('api/v1'));
    const apps = schemasOf(parsedDocument('apis/apps/v1'));
    const coordination = schemasOf(parsedDocument('apis/coordination.k8s.io/v1'));
    for (const name of [
      'io.k8s.api.core.v1.Pod',
      'io.k8s.api.core.v1.PodList',
      'io.k8s.api.core.v1.Binding',
      'io.k8s.api.policy.v1.Eviction',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
      'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
    ]) {
      expect(core[name], name).toBeDefined();
    }
    for (const name of [
      'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.apps.v1.DeploymentSpec',
      'io.k8s.api.apps.v1.RollingUpdateDeployment',
      'io.k8s.api.apps.v1.ReplicaSetCondition',
      'io.k8s.api.autoscaling.v1.Scale',
      'io.k8s.api.autoscaling.v1.ScaleSpec',
      'io.k8s.api.core.v1.PodTemplateSpec',
      'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    ]) {
      expect(apps[name], name).toBeDefined();
    }
    expect(coordination['io.k8s.api.coordination.v1.LeaseSpec']).toBeDefined();
    expect(coordination['io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime']).toBeDefined();
  });

  it('resolves every $ref inside its own document', () => {
    for (const path of groupVersionPaths) {
      const document = parsedDocument(path);
      const schemas = schemasOf(document);
      const refs = refsIn(document);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
        expect(schemas[ref.slice('#/components/schemas/'.length)], `${path}: ${ref}`).toBeDefined();
      }
    }
  });

  it('describes Quantity, IntOrString and Time as upstream does', () => {
    const schemas = schemasOf(parsedDocument('apis/apps/v1'));
    const quantity = schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'] as Json;
    expect(quantity.oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
    const intOrString = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] as Json;
    expect(intOrString.format).toBe('int-or-string');
    expect(intOrString.oneOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    const time = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time'] as Json;
    expect([time.type, time.format]).toEqual(['string', 'date-time']);
  });

  it('carries the strategic merge metadata kubectl needs, reached as kubectl walks it', () => {
    const core = parsedDocument('api/v1');
    expect(patchMetaAt(core, 'Pod', ['spec', 'containers'])).toEqual({
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
    });
    expect(patchMetaAt(core, 'Pod', ['spec', 'containers', 'ports']).mergeKey).toBe(
      'containerPort',
    );
    expect(patchMetaAt(core, 'Pod', ['spec', 'volumes'])).toEqual({
      mergeKey: 'name',
      strategy: 'merge,retainKeys',
      listType: 'map',
    });
    expect(patchMetaAt(core, 'Pod', ['spec', 'tolerations'])).toEqual({
      mergeKey: undefined,
      strategy: undefined,
      listType: 'atomic',
    });
    expect(patchMetaAt(core, 'Pod', ['metadata', 'finalizers']).strategy).toBe('merge');
    const apps = parsedDocument('apis/apps/v1');
    expect(patchMetaAt(apps, 'Deployment', ['spec', 'strategy']).strategy).toBe('retainKeys');
    const env = patchMetaAt(apps, 'Deployment', ['spec', 'template', 'spec', 'containers', 'env']);
    expect(env.mergeKey).toBe('name');
  });

  it('declares fieldValidation and the four patch types on every PATCH operation', () => {
    const patchedKinds = new Set<string>();
    for (const path of groupVersionPaths) {
      for (const [route, item] of Object.entries(pathsOf(parsedDocument(path)))) {
        const patch = item.patch;
        if (patch === undefined) continue;
        patchedKinds.add(JSON.stringify(patch['x-kubernetes-group-version-kind']));
        const parameters = patch.parameters as Json[];
        const inQuery = parameters.filter((p) => p.in === 'query').map((p) => p.name);
        expect(inQuery, route).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
        const content = (patch.requestBody as Json).content as Json;
        expect(Object.keys(content).sort(), route).toEqual([...patchContentTypes].sort());
        expect(patch['x-kubernetes-action']).toBe('patch');
      }
    }
    for (const type of resourceTypes) {
      const gvk = { group: type.group, kind: type.kind, version: type.version };
      expect(patchedKinds.has(JSON.stringify(gvk)), type.kind).toBe(true);
    }
  });

  it('gives every operation an action and a group-version-kind, and writes their parameters', () => {
    for (const path of groupVersionPaths) {
      for (const [route, item] of Object.entries(pathsOf(parsedDocument(path)))) {
        for (const verb of ['get', 'put', 'post', 'patch', 'delete']) {
          const op = item[verb] as Json | undefined;
          if (op === undefined) continue;
          expect(typeof op['x-kubernetes-action'], `${verb} ${route}`).toBe('string');
          expect(Object.keys(op['x-kubernetes-group-version-kind'] as Json).sort()).toEqual([
            'group',
            'kind',
            'version',
          ]);
          if (verb !== 'put' && !(verb === 'post' && op['x-kubernetes-action'] === 'post')) {
            continue;
          }
          const names = (op.parameters as Json[]).map((p) => p.name);
          expect(names, `${verb} ${route}`).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
        }
      }
    }
  });

  it('serves only the operations miniku routes for pods and deployments', () => {
    const core = pathsOf(parsedDocument('api/v1'));
    const pods = findResource('', 'v1', 'pods');
    const podRoutes = Object.keys(core).filter((p) => p.includes('/pods'));
    const expected = [
      '/api/v1/pods',
      '/api/v1/namespaces/{namespace}/pods',
      '/api/v1/namespaces/{namespace}/pods/{name}',
      ...(pods?.subresources ?? []).map((s) => `/api/v1/namespaces/{namespace}/pods/{name}/${s}`),
    ];
    expect(podRoutes.sort()).toEqual(expected.sort());
    const object = core['/api/v1/namespaces/{namespace}/pods/{name}'] as Record<string, Json>;
    expect(Object.keys(object).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    const collection = core['/api/v1/namespaces/{namespace}/pods'] as Record<string, Json>;
    expect((collection.get as Json).operationId).toBe('listCoreV1NamespacedPod');
    expect((collection.delete as Json)['x-kubernetes-action']).toBe('deletecollection');
    const watchParameter = ((collection.get as Json).parameters as Json[]).find(
      (p) => p.name === 'watch',
    );
    expect(watchParameter).toBeDefined();
    const apps = pathsOf(parsedDocument('apis/apps/v1'));
    const scale = apps['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect((scale?.patch as Json)['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
    expect(core['/api/v1/nodes/{name}']).toBeDefined();
    expect(core['/api/v1/namespaces/{namespace}/nodes']).toBeUndefined();
  });

  it('describes only the resources it was given', () => {
    const pods = findResource('', 'v1', 'pods');
    expect(pods).toBeDefined();
    const only = new OpenApiDocuments({ resourceTypes: pods === undefined ? [] : [pods] });
    const index = JSON.parse(only.openApiV3Index()) as { paths: Json };
    expect(Object.keys(index.paths)).toEqual(['api/v1']);
    const paths = Object.keys(JSON.parse(only.openApiV3Document('api/v1') as string).paths);
    expect(paths.every((p) => p.includes('/pods'))).toBe(true);
  });

  it('produces the same bytes every time', () => {
    const again = new OpenApiDocuments();
    expect(again.openApiV3Index()).toBe(documents.openApiV3Index());
    for (const path of groupVersionPaths) {
      expect(again.openApiV3Document(path)).toBe(documents.openApiV3Document(path));
    }
    expect(documents.openApiV3Document('api/v1')).toBe(documents.openApiV3Document('api/v1'));
  });

  it('keeps each document reasonably small', () => {
    for (const path of groupVersionPaths) {
      expect((documents.openApiV3Document(path) as string).length).toBeLessThan(400_000);
    }
  });
});
