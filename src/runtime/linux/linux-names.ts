// Validation of the names that reach paths, hostnames and cgroups in the Linux runtime: they
// must be DNS-1123 names (no `/`, no `..`), or the call is refused with a RuntimeError.

import { validateDns1123Label, validateDns1123Subdomain } from '../../control/api/values/names.js';
import type { PodSandboxConfig } from '../../control/ports/container-runtime.js';
import { RuntimeError } from '../../control/ports/container-runtime.js';

/** Linux allows 64 bytes; the kubelet cuts pod hostnames at 63. */
const hostnameLengthMax = 63;

export function isValidNodeName(name: string): boolean {
  return validateDns1123Subdomain(name).length === 0;
}

export function checkSandboxConfig(config: PodSandboxConfig): void {
  const problems = [
    ...named('name', config.name, validateDns1123Subdomain(config.name)),
    ...named('namespace', config.namespace, validateDns1123Label(config.namespace)),
    ...named('hostname', config.hostname, validateDns1123Subdomain(config.hostname)),
  ];
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(config.uid)) problems.push(`uid "${config.uid}" is invalid`);
  if (problems.length > 0) {
    throw new RuntimeError('CreatePodSandboxError', `invalid pod sandbox: ${problems.join('; ')}`);
  }
}

export function checkContainerName(name: string): void {
  const errors = validateDns1123Label(name);
  if (errors.length > 0) {
    const message = `invalid container name "${name}": ${errors.join('; ')}`;
    throw new RuntimeError('CreateContainerError', message);
  }
}

/** The kubelet's truncation: at most 63 bytes, no trailing `-` or `.`. */
export function podHostname(hostname: string): string {
  return hostname.slice(0, hostnameLengthMax).replace(/[-.]+$/, '');
}

function named(field: string, value: string, errors: string[]): string[] {
  return errors.map((error) => `${field} "${value}": ${error}`);
}
