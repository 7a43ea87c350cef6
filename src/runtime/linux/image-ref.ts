// Image references for the local image store: parsing, validation and the store's directory
// names. Docker Hub spellings are normalised (`docker.io/library/busybox` is `busybox`), a
// missing tag is `latest`; digests and registry ports are not supported.

export interface ImageRef {
  /** Normalised repository name, e.g. `busybox` or `example.com/team/app`. */
  name: string;
  tag: string;
  /** `name:tag`. */
  canonical: string;
  /** One path segment for the name: `/` becomes `+` (a character names never contain). */
  nameDir: string;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; error: string };

const refLengthMax = 255;
const nameComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Parses `NAME[:TAG]`; the error says what is wrong, for an `invalid reference format` message. */
export function parseImageRef(text: string): ImageRefResult {
  if (text.length === 0) return { ok: false, error: 'the reference is empty' };
  if (text.length > refLengthMax) {
    return { ok: false, error: `the reference is longer than ${refLengthMax} characters` };
  }
  if (text.includes('@')) return { ok: false, error: 'digest references are not supported' };
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  const hasTag = colon > slash;
  const rawName = hasTag ? text.slice(0, colon) : text;
  const tag = hasTag ? text.slice(colon + 1) : 'latest';
  if (!tagPattern.test(tag)) {
    return { ok: false, error: `tag "${tag}" must match ${tagPattern.source}` };
  }
  const nameError = checkName(rawName);
  if (nameError !== undefined) return { ok: false, error: nameError };
  const name = normaliseName(rawName);
  const ref = { name, tag, canonical: `${name}:${tag}`, nameDir: name.replaceAll('/', '+') };
  return { ok: true, ref };
}

function checkName(name: string): string | undefined {
  if (name.includes(':')) return 'registry ports are not supported';
  const components = name.split('/');
  for (const component of components) {
    if (!nameComponent.test(component)) {
      return (
        `name component "${component}" must be lower-case letters and digits, ` +
        `separated by ".", "_", "__" or dashes`
      );
    }
  }
  return undefined;
}

function normaliseName(name: string): string {
  const withoutHub = name.startsWith('docker.io/') ? name.slice('docker.io/'.length) : name;
  return withoutHub.startsWith('library/') ? withoutHub.slice('library/'.length) : withoutHub;
}

/** True for the built-in image, which exists under any tag. */
export function isBuiltinBusybox(ref: ImageRef): boolean {
  return ref.name === 'busybox';
}
