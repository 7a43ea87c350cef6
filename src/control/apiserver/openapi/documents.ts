// OpenAPI v3 documents per group-version, generated from the registry's type declarations, and
// the /openapi/v3 index that points kubectl at them (`api/v1` → `/openapi/v3/api/v1?hash=...`).

import type { ResourceType } from '../../api/registry.js';
import { resourceTypes as registeredTypes } from '../../api/registry.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';
import { compareGoStrings } from '../../api/values/go-format.js';
import type { JsonObject } from '../../store/types.js';
import { sha256Hex } from '../../util/sha256.js';
import { kubernetesVersion } from '../../version.js';
import { ComponentBuilder } from './components.js';
import { DeclaredTypes } from './declared-types.js';
import type { SubresourceKind } from './paths.js';
import { resourcePaths, subresourceKinds } from './paths.js';
import type { GroupVersionKind } from './type-names.js';
import { groupVersionPath, metaV1Package, TypeNamer } from './type-names.js';

export interface OpenApiDocumentsOptions {
  /** Resources to describe; default: every resource of the registry. */
  resourceTypes?: readonly ResourceType[];
}

/** One generated group-version document. */
export interface OpenApiDocument {
  /** JSON text with sorted keys, as served. */
  text: string;
  /** Lower-case hex SHA-256 of `text`: the `hash` of its URL and its ETag. */
  hash: string;
}

interface Generated {
  index: OpenApiDocument;
  documents: ReadonlyMap<string, OpenApiDocument>;
}

type Kinds = Readonly<Record<'binding' | 'eviction' | 'scale', SubresourceKind>>;

const infoVersion = `v${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}`;

function compareGvks(a: GroupVersionKind, b: GroupVersionKind): number {
  return (
    compareGoStrings(a.group, b.group) ||
    compareGoStrings(a.version, b.version) ||
    compareGoStrings(a.kind, b.kind)
  );
}

/**
 * The documents kubectl reads from /openapi/v3. Generation is lazy and happens once per
 * instance (the API server keeps one); every call after the first returns the same text.
 */
export class OpenApiDocuments {
  readonly #types: readonly ResourceType[];
  #generated: Generated | undefined;

  constructor(options: OpenApiDocumentsOptions = {}) {
    this.#types = options.resourceTypes ?? registeredTypes;
  }

  /** JSON text of the index: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"}}}`. */
  openApiV3Index(): string {
    return this.#generate().index.text;
  }

  /** JSON text of the document of `api/v1`, `apis/apps/v1`, ...; undefined for other paths. */
  openApiV3Document(groupVersionPath: string): string | undefined {
    return this.#generate().documents.get(groupVersionPath)?.text;
  }

  /** The index with its hash. */
  index(): OpenApiDocument {
    return this.#generate().index;
  }

  /** A group-version document with its hash; undefined for paths with no document. */
  document(groupVersionPath: string): OpenApiDocument | undefined {
    return this.#generate().documents.get(groupVersionPath);
  }

  #generate(): Generated {
    this.#generated ??= this.#build();
    return this.#generated;
  }

  #build(): Generated {
    const kinds = subresourceKinds();
    const gvks = this.#allKinds(kinds);
    const namer = new TypeNamer({ kinds: gvks });
    const kindsByComponent = this.#kindsByComponent(namer, gvks);
    const declared = new DeclaredTypes();
    const documents = new Map<string, OpenApiDocument>();
    for (const path of this.#groupVersionPaths()) {
      const types = this.#types.filter((t) => groupVersionPath(t.group, t.version) === path);
      const components = new ComponentBuilder({ namer, declared, kindsByComponent });
      const text = canonicalStringify(documentObject(types, components, kinds));
      documents.set(path, { text, hash: sha256Hex(text) });
    }
    return { index: indexDocument(documents), documents };
  }

  #groupVersionPaths(): string[] {
    const paths = new Set(this.#types.map((t) => groupVersionPath(t.group, t.version)));
    return [...paths].sort(compareGoStrings);
  }

  /** Stored kinds and the kinds of their subresources, sorted. */
  #allKinds(kinds: Kinds): GroupVersionKind[] {
    const gvks: GroupVersionKind[] = this.#types.map((t) => ({
      group: t.group,
      version: t.version,
      kind: t.kind,
    }));
    gvks.push(kinds.binding.gvk, kinds.eviction.gvk, kinds.scale.gvk);
    return gvks.sort(compareGvks);
  }

  /**
   * `x-kubernetes-group-version-kind` per component: each kind's own, Status as core/v1 and
   * DeleteOptions under every group-version, as upstream registers them.
   */
  #kindsByComponent(namer: TypeNamer, gvks: readonly GroupVersionKind[]) {
    const byComponent = new Map<string, GroupVersionKind[]>();
    for (const gvk of gvks) byComponent.set(namer.componentName(gvk.kind), [gvk]);
    byComponent.set(`${metaV1Package}.Status`, [{ group: '', version: 'v1', kind: 'Status' }]);
    const groupVersions = new Map<string, GroupVersionKind>();
    for (const { group, version } of gvks) {
      groupVersions.set(`${group}/${version}`, { group, version, kind: 'DeleteOptions' });
    }
    byComponent.set(
      `${metaV1Package}.DeleteOptions`,
      [...groupVersions.values()].sort(compareGvks),
    );
    return byComponent;
  }
}

function documentObject(
  types: readonly ResourceType[],
  components: ComponentBuilder,
  kinds: Kinds,
): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const type of types) Object.assign(paths, resourcePaths(type, components, kinds));
  return {
    components: { schemas: components.schemas() },
    info: { title: 'Kubernetes', version: infoVersion },
    openapi: '3.0.0',
    paths,
  };
}

function indexDocument(documents: ReadonlyMap<string, OpenApiDocument>): OpenApiDocument {
  const paths: Record<string, JsonObject> = {};
  for (const [path, document] of documents) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${document.hash}` };
  }
  const text = canonicalStringify({ paths });
  return { text, hash: sha256Hex(text) };
}
