// Tests that the client's built-in descriptors agree with the API type registry.

import { describe, expect, it } from 'vitest';
import { findResourceByKind } from '../api/registry.js';
import { apiVersionOf } from './paths.js';
import { coreResources } from './resource-client.js';
import type { ResourceDescriptor } from './types.js';

describe('coreResources', () => {
  it.each(Object.entries(coreResources))('describes %s as the registry does', (_, descriptor) => {
    const type = findResourceByKind(apiVersionOf(descriptor), descriptor.kind);
    expect(type).toBeDefined();
    const fromRegistry: ResourceDescriptor | undefined = type;
    expect({ ...descriptor }).toEqual({
      group: fromRegistry?.group,
      version: fromRegistry?.version,
      plural: fromRegistry?.plural,
      namespaced: fromRegistry?.namespaced,
      kind: fromRegistry?.kind,
    });
  });
});
