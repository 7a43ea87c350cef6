// The `paths` of a group-version document: the operations miniku serves for each resource and
// subresource, with upstream's operation ids, `x-kubernetes-action` and group-version-kind.

import type { ResourceType } from '../../api/registry.js';
import { findKindSchema } from '../../api/registry.js';
import type { ObjectSchema } from '../../api/schema/schema.js';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { assert } from '../../util/assert.js';
import type { ComponentBuilder } from './components.js';
import {
  deleteCollectionParameters,
  deleteParameters,
  execParameters,
  listParameters,
  logParameters,
  nameParameter,
  namespaceParameter,
  patchParameters,
  writeParameters,
} from './parameters.js';
import type { GroupVersionKind } from './type-names.js';
import { operationGroupVersion, operationTag, patchComponent, restPrefix } from './type-names.js';

type Verb = 'get' | 'put' | 'post' | 'patch' | 'delete';
type PathItem = Partial<Record<Verb, JsonObject>> & { parameters?: JsonValue };

/** The patch content types every PATCH operation accepts, as upstream lists them. */
export const patchContentTypes: readonly string[] = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

/** A non-stored kind used by a subresource, with its group-version-kind. */
export interface SubresourceKind {
  gvk: GroupVersionKind;
  schema: ObjectSchema;
}

function kindOf(apiVersion: string, kind: string): SubresourceKind {
  const schema = findKindSchema(apiVersion, kind);
  assert(schema !== undefined, `the registry knows ${apiVersion} ${kind}`);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { gvk: { group: group ?? '', version: version ?? '', kind }, schema };
}

/** Binding, Eviction and Scale: the kinds of the subresources that do not return their parent. */
export function subresourceKinds(): Readonly<
  Record<'binding' | 'eviction' | 'scale', SubresourceKind>
> {
  return {
    binding: kindOf('v1', 'Binding'),
    eviction: kindOf('policy/v1', 'Eviction'),
    scale: kindOf('autoscaling/v1', 'Scale'),
  };
}

const responseNames: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
};

function responses(schema: JsonObject, codes: readonly number[], types = ['application/json']) {
  const out: Record<string, JsonValue> = {};
  for (const code of codes) {
    const content: Record<string, JsonValue> = {};
    for (const type of types) content[type] = { schema };
    out[String(code)] = { content, description: responseNames[code] ?? '' };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

function body(schema: JsonObject, required: boolean): JsonObject {
  return { content: { '*/*': { schema } }, ...(required ? { required: true } : {}) };
}

/** What every operation of one resource shares. */
interface ResourceContext {
  type: ResourceType;
  components: ComponentBuilder;
  kinds: Readonly<Record<'binding' | 'eviction' | 'scale', SubresourceKind>>;
  gvk: GroupVersionKind;
  /** `CoreV1`, `AppsV1`: the group-version part of operation ids. */
  gvId: string;
  /** `Namespaced` or '': the scope part of operation ids. */
  scopeId: string;
  tag: string;
}

interface OperationSpec {
  id: string;
  description: string;
  action: string;
  gvk: GroupVersionKind;
  parameters?: readonly JsonObject[];
  requestBody?: JsonObject;
  responses: JsonObject;
}

function operation(ctx: ResourceContext, spec: OperationSpec): JsonObject {
  const op: Record<string, JsonValue> = {
    description: spec.description,
    operationId: spec.id,
    responses: spec.responses,
    tags: [ctx.tag],
    'x-kubernetes-action': spec.action,
    'x-kubernetes-group-version-kind': { ...spec.gvk },
  };
  if (spec.parameters !== undefined && spec.parameters.length > 0) {
    op.parameters = [...spec.parameters];
  }
  if (spec.requestBody !== undefined) op.requestBody = spec.requestBody;
  return op;
}

function patchBody(ctx: ResourceContext): JsonObject {
  const schema = ctx.components.builtinRef(patchComponent);
  const content: Record<string, JsonValue> = {};
  for (const type of patchContentTypes) content[type] = { schema };
  return { content, required: true };
}

function deleteOptionsRef(ctx: ResourceContext): JsonObject {
  const schema = findKindSchema('v1', 'DeleteOptions');
  assert(schema !== undefined, 'the registry knows DeleteOptions');
  return ctx.components.ref(schema);
}

function statusRef(ctx: ResourceContext): JsonObject {
  const schema = findKindSchema('v1', 'Status');
  assert(schema !== undefined, 'the registry knows Status');
  return ctx.components.ref(schema);
}

function collectionItem(ctx: ResourceContext): PathItem {
  const kind = ctx.gvk.kind;
  const object = ctx.components.ref(ctx.type.schema);
  const list = ctx.components.listRef(ctx.type.schema, ctx.gvk);
  const watchTypes = ['application/json', 'application/json;stream=watch'];
  return {
    get: operation(ctx, {
      id: `list${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `list or watch objects of kind ${kind}`,
      action: 'list',
      gvk: ctx.gvk,
      parameters: listParameters,
      responses: responses(list, [200], watchTypes),
    }),
    post: operation(ctx, {
      id: `create${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `create a ${kind}`,
      action: 'post',
      gvk: ctx.gvk,
      parameters: writeParameters,
      requestBody: body(object, true),
      responses: responses(object, [200, 201, 202]),
    }),
    delete: operation(ctx, {
      id: `delete${ctx.gvId}Collection${ctx.scopeId}${kind}`,
      description: `delete collection of ${kind}`,
      action: 'deletecollection',
      gvk: ctx.gvk,
      parameters: deleteCollectionParameters,
      requestBody: body(deleteOptionsRef(ctx), false),
      responses: responses(statusRef(ctx), [200]),
    }),
  };
}

function objectItem(ctx: ResourceContext): PathItem {
  const kind = ctx.gvk.kind;
  const object = ctx.components.ref(ctx.type.schema);
  const base = { gvk: ctx.gvk };
  return {
    get: operation(ctx, {
      ...base,
      id: `read${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `read the specified ${kind}`,
      action: 'get',
      responses: responses(object, [200]),
    }),
    put: operation(ctx, {
      ...base,
      id: `replace${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `replace the specified ${kind}`,
      action: 'put',
      parameters: writeParameters,
      requestBody: body(object, true),
      responses: responses(object, [200, 201]),
    }),
    patch: operation(ctx, {
      ...base,
      id: `patch${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `partially update the specified ${kind}`,
      action: 'patch',
      parameters: patchParameters,
      requestBody: patchBody(ctx),
      responses: responses(object, [200, 201]),
    }),
    delete: operation(ctx, {
      ...base,
      id: `delete${ctx.gvId}${ctx.scopeId}${kind}`,
      description: `delete a ${kind}`,
      action: 'delete',
      parameters: deleteParameters,
      requestBody: body(deleteOptionsRef(ctx), false),
      responses: responses(object, [200, 202]),
    }),
  };
}

/** get/put/patch of a subresource that reads and writes `target` (status, scale). */
function readWriteItem(ctx: ResourceContext, sub: string, target: SubresourceKind): PathItem {
  const name = `${ctx.gvk.kind}${sub.charAt(0).toUpperCase()}${sub.slice(1)}`;
  const schema = ctx.components.ref(target.schema);
  const base = { gvk: target.gvk };
  const what = `${sub} of the specified ${ctx.gvk.kind}`;
  return {
    get: operation(ctx, {
      ...base,
      id: `read${ctx.gvId}${ctx.scopeId}${name}`,
      description: `read ${what}`,
      action: 'get',
      responses: responses(schema, [200]),
    }),
    put: operation(ctx, {
      ...base,
      id: `replace${ctx.gvId}${ctx.scopeId}${name}`,
      description: `replace ${what}`,
      action: 'put',
      parameters: writeParameters,
      requestBody: body(schema, true),
      responses: responses(schema, [200, 201]),
    }),
    patch: operation(ctx, {
      ...base,
      id: `patch${ctx.gvId}${ctx.scopeId}${name}`,
      description: `partially update ${what}`,
      action: 'patch',
      parameters: patchParameters,
      requestBody: patchBody(ctx),
      responses: responses(schema, [200, 201]),
    }),
  };
}

/** POST of a subresource that takes a body of its own kind (binding, eviction). */
function createItem(ctx: ResourceContext, sub: string, target: SubresourceKind): PathItem {
  const schema = ctx.components.ref(target.schema);
  return {
    post: operation(ctx, {
      id: `create${ctx.gvId}${ctx.scopeId}${ctx.gvk.kind}${target.gvk.kind}`,
      description: `create ${sub} of a ${ctx.gvk.kind}`,
      action: 'post',
      gvk: target.gvk,
      parameters: writeParameters,
      requestBody: body(schema, true),
      responses: responses(schema, [200, 201, 202]),
    }),
  };
}

function logItem(ctx: ResourceContext): PathItem {
  return {
    get: operation(ctx, {
      id: `read${ctx.gvId}${ctx.scopeId}${ctx.gvk.kind}Log`,
      description: `read log of the specified ${ctx.gvk.kind}`,
      action: 'get',
      gvk: ctx.gvk,
      parameters: logParameters,
      responses: responses({ type: 'string' }, [200], ['text/plain']),
    }),
  };
}

function execItem(ctx: ResourceContext): PathItem {
  const gvk = { ...ctx.gvk, kind: `${ctx.gvk.kind}ExecOptions` };
  const connect = (method: 'Get' | 'Post'): JsonObject =>
    operation(ctx, {
      id: `connect${ctx.gvId}${method}${ctx.scopeId}${ctx.gvk.kind}Exec`,
      description: `connect ${method.toUpperCase()} requests to exec of ${ctx.gvk.kind}`,
      action: 'connect',
      gvk,
      parameters: execParameters,
      responses: responses({ type: 'string' }, [200], ['*/*']),
    });
  return { get: connect('Get'), post: connect('Post') };
}

/** The path item of a subresource, or undefined for one this generator cannot describe. */
function subresourceItem(ctx: ResourceContext, sub: string): PathItem | undefined {
  switch (sub) {
    case 'status':
      return readWriteItem(ctx, sub, { gvk: ctx.gvk, schema: ctx.type.schema });
    case 'scale':
      return readWriteItem(ctx, sub, ctx.kinds.scale);
    case 'binding':
      return createItem(ctx, sub, ctx.kinds.binding);
    case 'eviction':
      return createItem(ctx, sub, ctx.kinds.eviction);
    case 'log':
      return logItem(ctx);
    case 'exec':
      return execItem(ctx);
    default:
      return undefined;
  }
}

function withParameters(item: PathItem, parameters: readonly JsonObject[]): JsonObject {
  return { ...item, parameters: [...parameters] } as JsonObject;
}

/** Every path of one resource: collection, object, all-namespaces list and subresources. */
export function resourcePaths(
  type: ResourceType,
  components: ComponentBuilder,
  kinds: Readonly<Record<'binding' | 'eviction' | 'scale', SubresourceKind>>,
): Record<string, JsonObject> {
  const gvk = { group: type.group, version: type.version, kind: type.kind };
  const ctx: ResourceContext = {
    type,
    components,
    kinds,
    gvk,
    gvId: operationGroupVersion(type.group, type.version),
    scopeId: type.namespaced ? 'Namespaced' : '',
    tag: operationTag(type.group, type.version),
  };
  const prefix = restPrefix(type.group, type.version);
  const scope = type.namespaced ? [namespaceParameter] : [];
  const base = type.namespaced ? `${prefix}/namespaces/{namespace}` : prefix;
  const objectPath = `${base}/${type.plural}/{name}`;
  const objectParameters = [nameParameter(type.kind), ...scope];
  const paths: Record<string, JsonObject> = {
    [`${base}/${type.plural}`]: withParameters(collectionItem(ctx), scope),
    [objectPath]: withParameters(objectItem(ctx), objectParameters),
  };
  if (type.namespaced) paths[`${prefix}/${type.plural}`] = allNamespacesItem(ctx);
  for (const sub of type.subresources) {
    const item = subresourceItem(ctx, sub);
    if (item !== undefined) paths[`${objectPath}/${sub}`] = withParameters(item, objectParameters);
  }
  return paths;
}

function allNamespacesItem(ctx: ResourceContext): JsonObject {
  const list = ctx.components.listRef(ctx.type.schema, ctx.gvk);
  return {
    get: operation(ctx, {
      id: `list${ctx.gvId}${ctx.gvk.kind}ForAllNamespaces`,
      description: `list or watch objects of kind ${ctx.gvk.kind} in every namespace`,
      action: 'list',
      gvk: ctx.gvk,
      parameters: listParameters,
      responses: responses(list, [200], ['application/json', 'application/json;stream=watch']),
    }),
  };
}
