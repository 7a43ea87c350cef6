// Shared helpers of the built-in admission plugins: the store reader they get, resource tests,
// and the name and Forbidden error upstream's `admission.NewForbidden` reports.
import type { ResourceType } from '../../api/registry.js';
import type { VersionedStore } from '../../store/types.js';
import type { AdmissionAttributes } from '../admission.js';
import {
  generateNameAlphabet,
  generateNamePrefixLengthMax,
  generateNameSuffixLength,
} from '../identity.js';
import type { Draft } from '../json-body.js';
import { isDraftObject } from '../json-body.js';
import type { ApiError } from '../status.js';
import { forbidden } from '../status.js';

/**
 * What a plugin may read: the API server's own store (upstream plugins read informer caches;
 * reading the store is the strongly consistent version of that). Plugins never write.
 */
export type AdmissionStoreReader = Pick<VersionedStore, 'get' | 'list'>;

export function isResource(type: ResourceType, group: string, plural: string): boolean {
  return type.group === group && type.plural === plural;
}

function looksGenerated(name: string, prefix: string): boolean {
  const base = prefix.slice(0, generateNamePrefixLengthMax);
  if (name.length !== base.length + generateNameSuffixLength || !name.startsWith(base)) {
    return false;
  }
  for (const char of name.slice(base.length)) {
    if (!generateNameAlphabet.includes(char)) return false;
  }
  return true;
}

/**
 * The name upstream's extractResourceName reports. Mutating admission runs before the registry
 * generates a name, so a create with `generateName` is reported under the prefix (`pods "web-"
 * is forbidden: ...`). Our create handler generates the name first; a name that is the prefix
 * plus a generated suffix is taken for a generated one.
 */
export function admissionName(attributes: AdmissionAttributes): string {
  const meta = attributes.object?.metadata;
  const prefix = isDraftObject(meta) ? meta.generateName : undefined;
  if (
    attributes.operation === 'CREATE' &&
    typeof prefix === 'string' &&
    prefix !== '' &&
    looksGenerated(attributes.name, prefix)
  ) {
    return prefix;
  }
  return attributes.name === '' ? 'Unknown' : attributes.name;
}

/** 403 Forbidden for the request's resource, as `admission.NewForbidden(a, err)`. */
export function admissionForbidden(attributes: AdmissionAttributes, reasonText: string): ApiError {
  const ref = { group: attributes.type.group, plural: attributes.type.plural };
  return forbidden(ref, admissionName(attributes), reasonText);
}

/** The object's `spec`, created when missing (upstream objects always carry a spec struct). */
export function draftSpecOf(object: Draft): Draft {
  const spec = object.spec;
  if (isDraftObject(spec)) return spec;
  const fresh: Draft = {};
  object.spec = fresh;
  return fresh;
}
