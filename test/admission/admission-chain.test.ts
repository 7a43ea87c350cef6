// The default admission chain: its plugins and phase order, and which rejection wins when a
// request breaks several rules (mutating admission before schema validation before
// validating admission, as upstream).

import { describe, expect, it } from 'vitest';
import {
  defaultAdmissionChain,
  defaultAdmissionPlugins,
} from '../../src/control/apiserver/admission-plugins.js';
import { createNamespaceWorld, namespace, priorityClass } from '../namespaces/namespace-world.js';

describe('the default admission chain', () => {
  it('lists defaulting, the store-reading plugins and validation in phase order', async () => {
    const world = await createNamespaceWorld();
    const chain = defaultAdmissionChain({ store: world.store });
    expect(chain.map((p) => p.name)).toEqual([
      'Defaulting',
      'NamespaceLifecycle',
      'Validation',
      'Priority',
      'DefaultTolerationSeconds',
    ]);
    const mutating = chain.filter((p) => p.admit !== undefined).map((p) => p.name);
    const validating = chain.filter((p) => p.validate !== undefined).map((p) => p.name);
    expect(mutating).toEqual([
      'Defaulting',
      'NamespaceLifecycle',
      'Priority',
      'DefaultTolerationSeconds',
    ]);
    expect(validating).toEqual(['Validation', 'Priority']);
  });

  it('keeps the store-free default list for servers without a reader', () => {
    expect(defaultAdmissionPlugins().map((p) => p.name)).toEqual(['Defaulting', 'Validation']);
  });

  it('answers a terminating namespace before an unknown class or an invalid spec', async () => {
    const world = await createNamespaceWorld();
    await world.call('POST', '/api/v1/namespaces', namespace('shop'));
    await world.call('DELETE', '/api/v1/namespaces/shop');
    const body = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { priorityClassName: 'gold' },
    };
    const reply = await world.call('POST', '/api/v1/namespaces/shop/pods', body);
    expect(reply.status).toBe(403);
    expect(reply.json.message).toContain('because it is being terminated');
    const elsewhere = await world.call('POST', '/api/v1/namespaces/default/pods', body);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.message).toBe(
      'pods "bad" is forbidden: no PriorityClass with name gold was found',
    );
  });

  it('answers schema validation before the one-default PriorityClass rule', async () => {
    const world = await createNamespaceWorld();
    const classes = '/apis/scheduling.k8s.io/v1/priorityclasses';
    await world.call('POST', classes, priorityClass('standard', 1, { globalDefault: true }));
    const reply = await world.call(
      'POST',
      classes,
      priorityClass('huge', 2_000_000_000, { globalDefault: true }),
    );
    expect(reply.status).toBe(422);
  });
});
