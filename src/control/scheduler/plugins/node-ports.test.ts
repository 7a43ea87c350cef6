import type { JsonObject } from '../../store/types.js';
import { describe, expect, it } from 'vitest';
import {
  container,
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
} from '../../../../test/scheduler/fixtures.js';
import { factory, portConflicts } from './node-ports.js';

function withPorts(name: string, ports: JsonObject[]) {
  return makePod({ name, containers: [container(undefined, { ports })] });
}

describe('NodePorts', () => {
  const cases: [string, JsonObject, JsonObject, boolean][] = [
    ['same port and protocol on 0.0.0.0', { hostPort: 80 }, { hostPort: 80 }, true],
    ['another protocol', { hostPort: 53, protocol: 'UDP' }, { hostPort: 53 }, false],
    ['another port', { hostPort: 81 }, { hostPort: 80 }, false],
    [
      'a specific IP against a used 0.0.0.0',
      { hostPort: 80, hostIP: '10.0.0.1' },
      { hostPort: 80 },
      true,
    ],
    [
      '0.0.0.0 against a used specific IP',
      { hostPort: 80 },
      { hostPort: 80, hostIP: '10.0.0.1' },
      true,
    ],
    [
      'two different specific IPs',
      { hostPort: 80, hostIP: '10.0.0.2' },
      { hostPort: 80, hostIP: '10.0.0.1' },
      false,
    ],
  ];
  for (const [what, wanted, used, conflict] of cases) {
    it(`${conflict ? 'rejects' : 'accepts'} ${what}`, () => {
      const node = nodeInfoOf(makeNode({ name: 'n' }), [withPorts('old', [used])]);
      const [s] = runFilter(newPlugin(factory), withPorts('new', [wanted]), [node]);
      expect(s).toEqual(
        conflict
          ? {
              code: 'Unschedulable',
              reasons: ["node(s) didn't have free ports for the requested pod ports"],
            }
          : { code: 'Success', reasons: [] },
      );
    });
  }

  it('skips pods without host ports in PreFilter', () => {
    const plugin = newPlugin(factory);
    const pre = plugin.preFilter?.(
      new (class {
        write() {}
        read() {
          return undefined;
        }
      })() as never,
      { hostPorts: [] } as never,
      { nodes: [], get: () => undefined, imageNodeCount: () => 0 },
    );
    expect(pre?.status.code).toBe('Skip');
  });

  it('ignores non-positive ports', () => {
    expect(
      portConflicts({ ip: '0.0.0.0', protocol: 'TCP', port: 0 }, [
        { ip: '0.0.0.0', protocol: 'TCP', port: 0 },
      ]),
    ).toBe(false);
  });
});
