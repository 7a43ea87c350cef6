// DefaultTolerationSeconds: the plugin's toleration rules as a table on the plugin itself, and
// the end result through the API server (defaults, configured seconds, updates).

import { describe, expect, it } from 'vitest';
import { findResource } from '../../src/control/api/registry.js';
import type { AdmissionAttributes } from '../../src/control/apiserver/admission.js';
import { defaultTolerationSecondsPlugin } from '../../src/control/apiserver/admission/default-toleration-seconds.js';
import type { Draft } from '../../src/control/apiserver/json-body.js';
import { createNamespaceWorld, pod } from '../namespaces/namespace-world.js';

const pods = findResource('', 'v1', 'pods')!;
const notReady = (seconds: number) => ({
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: seconds,
});
const unreachable = (seconds: number) => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: seconds,
});

function admitted(tolerations: unknown[] | undefined, subresource = ''): unknown {
  const spec: Draft = { containers: [] };
  if (tolerations !== undefined) spec.tolerations = tolerations as Draft[];
  const attributes: AdmissionAttributes = {
    operation: 'CREATE',
    type: pods,
    subresource,
    namespace: 'default',
    name: 'web',
    object: { metadata: { name: 'web' }, spec },
    oldObject: undefined,
    nowMs: 0,
  };
  expect(defaultTolerationSecondsPlugin().admit?.(attributes)).toBeUndefined();
  return (attributes.object?.spec as Draft).tolerations;
}

describe('DefaultTolerationSeconds admission', () => {
  const own = { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' };
  it.each([
    { what: 'no tolerations', given: undefined, expected: [notReady(300), unreachable(300)] },
    {
      what: 'an unrelated toleration',
      given: [own],
      expected: [own, notReady(300), unreachable(300)],
    },
    {
      what: 'an own not-ready NoExecute toleration',
      given: [notReady(60)],
      expected: [notReady(60), unreachable(300)],
    },
    {
      what: 'a not-ready toleration of another effect',
      given: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      expected: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
        notReady(300),
        unreachable(300),
      ],
    },
    {
      what: 'an unreachable toleration with an empty effect (any effect)',
      given: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      expected: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, notReady(300)],
    },
    {
      what: 'a tolerate-everything toleration',
      given: [{ operator: 'Exists' }],
      expected: [{ operator: 'Exists' }],
    },
    {
      what: 'an empty key with NoExecute',
      given: [{ operator: 'Exists', effect: 'NoExecute' }],
      expected: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
  ])('with $what', ({ given, expected }) => {
    expect(admitted(given)).toEqual(expected);
  });

  it('leaves subresource writes alone', () => {
    expect(admitted(undefined, 'status')).toBeUndefined();
  });

  it('adds the tolerations to created pods and keeps them on updates', async () => {
    const world = await createNamespaceWorld();
    const created = await world.call('POST', '/api/v1/namespaces/default/pods', pod('web'));
    expect(created.status).toBe(201);
    expect(created.json.spec.tolerations).toEqual([notReady(300), unreachable(300)]);
    const { tolerations: _t, ...spec } = created.json.spec;
    const reply = await world.call('PUT', '/api/v1/namespaces/default/pods/web', {
      ...created.json,
      spec,
    });
    expect(reply.status).toBe(200);
    expect(reply.json.spec.tolerations).toEqual([notReady(300), unreachable(300)]);
  });

  it('uses the configured seconds', async () => {
    const world = await createNamespaceWorld({
      admission: { defaultNotReadyTolerationSeconds: 30, defaultUnreachableTolerationSeconds: 45 },
    });
    const created = await world.call('POST', '/api/v1/namespaces/default/pods', pod('web'));
    expect(created.json.spec.tolerations).toEqual([notReady(30), unreachable(45)]);
  });
});
