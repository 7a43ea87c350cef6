import { describe, expect, it } from 'vitest';
import {
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
} from '../../../../test/scheduler/fixtures.js';
import { factory, reasonNodeName } from './node-name.js';

describe('NodeName', () => {
  const nodes = [nodeInfoOf(makeNode({ name: 'a' })), nodeInfoOf(makeNode({ name: 'b' }))];

  it('fits every node when the pod names none', () => {
    expect(runFilter(newPlugin(factory), makePod(), nodes).map((s) => s.code)).toEqual([
      'Success',
      'Success',
    ]);
  });

  it('rejects other nodes as unresolvable with the upstream reason', () => {
    const statuses = runFilter(newPlugin(factory), makePod({ spec: { nodeName: 'b' } }), nodes);
    expect(statuses[0]).toEqual({
      code: 'UnschedulableAndUnresolvable',
      reasons: ["node(s) didn't match the requested node name"],
    });
    expect(statuses[1]?.code).toBe('Success');
    expect(reasonNodeName).toBe("node(s) didn't match the requested node name");
  });
});
