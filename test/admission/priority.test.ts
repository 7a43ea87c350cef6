// Priority admission through the real API server: pod priority resolution and upstream's
// rejections, and the PriorityClass rules (admission and schema validation).

import { beforeEach, describe, expect, it } from 'vitest';
import {
  createNamespaceWorld,
  pod,
  priorityClass,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

const podsPath = '/api/v1/namespaces/default/pods';
const classesPath = '/apis/scheduling.k8s.io/v1/priorityclasses';

let world: NamespaceWorld;

beforeEach(async () => {
  world = await createNamespaceWorld();
});

async function createClass(name: string, value: number, extra: Record<string, unknown> = {}) {
  const reply = await world.call('POST', classesPath, priorityClass(name, value, extra));
  expect(reply.status).toBe(201);
  return reply.json;
}

describe('Priority admission on pod create', () => {
  it.each([
    {
      what: 'no class and no default class gives priority 0',
      classes: [],
      spec: {},
      expected: { priority: 0, preemptionPolicy: 'PreemptLowerPriority' },
    },
    {
      what: 'system-node-critical gives 2000001000',
      classes: [],
      spec: { priorityClassName: 'system-node-critical' },
      expected: {
        priorityClassName: 'system-node-critical',
        priority: 2_000_001_000,
        preemptionPolicy: 'PreemptLowerPriority',
      },
    },
    {
      what: 'system-cluster-critical gives 2000000000 in any namespace',
      classes: [],
      spec: { priorityClassName: 'system-cluster-critical' },
      expected: { priority: 2_000_000_000 },
    },
    {
      what: 'a user class gives its value and preemption policy',
      classes: [['batch', 1000, { preemptionPolicy: 'Never' }]],
      spec: { priorityClassName: 'batch' },
      expected: { priorityClassName: 'batch', priority: 1000, preemptionPolicy: 'Never' },
    },
    {
      what: 'a priority equal to the computed one is accepted',
      classes: [['batch', 1000]],
      spec: { priorityClassName: 'batch', priority: 1000 },
      expected: { priority: 1000 },
    },
    {
      what: 'an empty class name takes the globalDefault class, whose name is written in',
      classes: [
        ['standard', 100, { globalDefault: true, preemptionPolicy: 'Never' }],
        ['batch', 1000],
      ],
      spec: {},
      expected: { priorityClassName: 'standard', priority: 100, preemptionPolicy: 'Never' },
    },
  ] as const)('$what', async ({ classes, spec, expected }) => {
    for (const [name, value, extra] of classes) await createClass(name, value, extra);
    const reply = await world.call('POST', podsPath, pod('web', spec));
    expect(reply.status).toBe(201);
    expect(reply.json.spec).toMatchObject(expected);
  });

  it.each([
    {
      what: 'an unknown class',
      body: pod('web', { priorityClassName: 'gold' }),
      message: 'pods "web" is forbidden: no PriorityClass with name gold was found',
      name: 'web',
    },
    {
      what: 'an unknown class on a generated name (reported under the prefix)',
      body: { ...pod('', { priorityClassName: 'gold' }), metadata: { generateName: 'web-' } },
      message: 'pods "web-" is forbidden: no PriorityClass with name gold was found',
      name: 'web-',
    },
    {
      what: 'a priority other than the computed one',
      body: pod('web', { priorityClassName: 'batch', priority: 5 }),
      message:
        'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
      name: 'web',
    },
    {
      what: 'a priority on a pod without class when the default is 0',
      body: pod('web', { priority: 7 }),
      message:
        'pods "web" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
      name: 'web',
    },
    {
      what: 'a preemption policy other than the class gives',
      body: pod('web', { priorityClassName: 'batch', preemptionPolicy: 'Never' }),
      message:
        'pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
      name: 'web',
    },
  ])('rejects $what with 403', async ({ body, message, name }) => {
    await createClass('batch', 1000);
    const reply = await world.call('POST', podsPath, body);
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({
      message,
      reason: 'Forbidden',
      details: { name, kind: 'pods' },
      code: 403,
    });
  });

  it('keeps the stored priority when an update leaves it out', async () => {
    const created = await world.call(
      'POST',
      podsPath,
      pod('web', { priorityClassName: 'system-node-critical' }),
    );
    const { priority: _p, preemptionPolicy: _pp, ...spec } = created.json.spec;
    const update = { ...created.json, spec };
    const reply = await world.call('PUT', `${podsPath}/web`, update);
    expect(reply.status).toBe(200);
    expect(reply.json.spec.priority).toBe(2_000_001_000);
    expect(reply.json.spec.preemptionPolicy).toBe('PreemptLowerPriority');
  });
});

describe('PriorityClass rules', () => {
  it('allows only one globalDefault class', async () => {
    await createClass('standard', 100, { globalDefault: true });
    const second = await world.call(
      'POST',
      classesPath,
      priorityClass('other', 50, { globalDefault: true }),
    );
    expect(second.status).toBe(403);
    expect(second.json).toMatchObject({
      message:
        'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass standard is already marked as default. Only one default can exist',
      reason: 'Forbidden',
      details: { name: 'other', group: 'scheduling.k8s.io', kind: 'priorityclasses' },
    });
    const plain = await createClass('plain', 10);
    const promoted = await world.call('PUT', `${classesPath}/plain`, {
      ...plain,
      globalDefault: true,
    });
    expect(promoted.status).toBe(403);
    const standard = (await world.call('GET', `${classesPath}/standard`)).json;
    const relabelled = { ...standard, description: 'the default' };
    expect((await world.call('PUT', `${classesPath}/standard`, relabelled)).status).toBe(200);
  });

  it.each([
    {
      what: 'a user class above 1000000000',
      body: priorityClass('huge', 1_000_000_001),
      message:
        'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    },
    {
      what: 'an unknown name with the reserved system- prefix',
      body: priorityClass('system-foo', 10),
      message:
        'PriorityClass.scheduling.k8s.io "system-foo" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-foo is not a known system priority class',
    },
  ])('rejects $what with 422', async ({ body, message }) => {
    const reply = await world.call('POST', classesPath, body);
    expect(reply.status).toBe(422);
    expect(reply.json.message).toBe(message);
  });

  it('accepts a user class of exactly 1000000000', async () => {
    await createClass('top', 1_000_000_000);
  });
});
