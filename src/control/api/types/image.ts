// Image reference parsing as far as defaulting needs it (kubelet's parsers.ParseImageName).

import type { JsonObject, JsonValue } from '../../store/types.js';

/** A repository path component: lowercase alphanumerics joined by `.`, `_`, `__` or dashes. */
const pathComponent = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const domainPattern =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

function validRepository(repository: string): boolean {
  const components = repository.split('/');
  const first = components[0] ?? '';
  if (components.length > 1 && looksLikeDomain(first)) {
    if (!domainPattern.test(first)) return false;
    components.shift();
  }
  return components.length > 0 && components.every((part) => pathComponent.test(part));
}

/**
 * The tag of an image reference: "latest" when neither tag nor digest is given, "" when only a
 * digest is given or the reference does not parse (docker reference rules).
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const named = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  if (digest !== undefined && !digestPattern.test(digest)) return '';
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? named : named.slice(0, colon);
  const tag = colon === -1 ? undefined : named.slice(colon + 1);
  if (!validRepository(repository) || (tag !== undefined && !tagPattern.test(tag))) return '';
  if (tag !== undefined) return tag;
  return digest === undefined ? 'latest' : '';
}

/** SetDefaults_Container: Always for `:latest` or no tag, else IfNotPresent. */
export function imagePullPolicyDefault(container: JsonObject): JsonValue {
  const image = typeof container.image === 'string' ? container.image : '';
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}
