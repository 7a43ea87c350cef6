// Tests of Table building: columns and cells per resource, row objects, headers and list metadata.
import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../../api/registry.js';
import { findResource, resourceTypes } from '../../api/registry.js';
import { parseTime } from '../../api/values/time.js';
import type { JsonObject } from '../../store/types.js';
import { buildObjectTable, buildTable, defaultTableColumns, parseIncludeObject } from './table.js';
import type { TableOptions } from './table.js';

const nowMs = parseTime('2026-01-01T00:10:00Z') ?? 0;
const pods = findResource('', 'v1', 'pods') as ResourceType;
const nodes = findResource('', 'v1', 'nodes') as ResourceType;
const options: TableOptions = { version: 'v1', includeObject: 'Metadata', noHeaders: false, nowMs };

function pod(name: string, status: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '7',
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...extra,
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'n1' },
    status,
  };
}

const running = pod('web', {
  phase: 'Running',
  podIPs: [{ ip: '10.0.0.9' }],
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }],
});

describe('buildTable', () => {
  it("prints pods with kubectl's columns, wide ones at priority 1, and the list metadata", () => {
    const listMeta = { resourceVersion: '12', continue: 'abc', remainingItemCount: 3 };
    const table = buildTable(pods, [running], { ...options, listMeta });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual(listMeta);
    const columns = table.columnDefinitions as JsonObject[];
    expect(columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(Object.keys(columns[0] as JsonObject)).toEqual([
      'name',
      'type',
      'format',
      'description',
      'priority',
    ]);
    expect(columns[0]?.format).toBe('name');
    const rows = table.rows as JsonObject[];
    expect(rows[0]?.cells).toEqual([
      'web',
      '1/1',
      'Running',
      '0',
      '10m',
      '10.0.0.9',
      'n1',
      '<none>',
      '<none>',
    ]);
  });

  it('carries PartialObjectMetadata, the whole object or nothing per includeObject', () => {
    const row = (includeObject: TableOptions['includeObject']) =>
      (buildObjectTable(pods, running, { ...options, includeObject }).rows as JsonObject[])[0];
    expect(row('Metadata')?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: running.metadata,
    });
    expect(row('Object')?.object).toBe(running);
    expect(row('None')?.object).toBeNull();
  });

  it("marks finished pods Completed as upstream's printPod does", () => {
    const done = pod('job', { phase: 'Succeeded' });
    const failed = pod('bad', { phase: 'Failed' });
    const rows = buildTable(pods, [done, failed, running], {
      ...options,
      listMeta: { resourceVersion: '1' },
    }).rows as JsonObject[];
    expect(rows.map((r) => r.conditions)).toEqual([
      [
        {
          type: 'Completed',
          status: 'True',
          reason: 'Succeeded',
          message: 'The pod has completed successfully.',
        },
      ],
      [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
      undefined,
    ]);
  });

  it('shows Terminating and ContainerCreating statuses', () => {
    const creating = pod('a', {
      phase: 'Pending',
      containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    const terminating = pod('b', running.status as JsonObject, {
      deletionTimestamp: '2026-01-01T00:09:00Z',
    });
    const statuses = (
      buildTable(pods, [creating, terminating], {
        ...options,
        listMeta: { resourceVersion: '1' },
      }).rows as JsonObject[]
    ).map((r) => (r.cells as string[])[2]);
    expect(statuses).toEqual(['ContainerCreating', 'Terminating']);
  });

  it('leaves the column definitions out when asked for no headers', () => {
    const table = buildObjectTable(
      nodes,
      { metadata: { name: 'n1' } },
      {
        ...options,
        noHeaders: true,
      },
    );
    expect(table.columnDefinitions).toBeNull();
    expect((table.rows as JsonObject[])[0]?.cells).toEqual([
      'n1',
      'Unknown',
      '<none>',
      '<unknown>',
      '',
      '<none>',
      '<none>',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ]);
  });

  it("gives a one-object Table the object's resourceVersion and the asked meta version", () => {
    const table = buildObjectTable(pods, running, { ...options, version: 'v1beta1' });
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.metadata).toEqual({ resourceVersion: '7' });
    const object = (table.rows as JsonObject[])[0]?.object as JsonObject;
    expect(object.apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('prints a bookmark-shaped object of every resource without failing', () => {
    for (const type of resourceTypes) {
      const bookmark = {
        kind: type.kind,
        apiVersion: type.apiVersion,
        metadata: { resourceVersion: '9' },
      };
      const table = buildObjectTable(type, bookmark, options);
      const row = (table.rows as JsonObject[])[0] as JsonObject;
      expect((row.cells as unknown[]).length).toBe((table.columnDefinitions as unknown[]).length);
    }
  });

  it("uses upstream's default Name and Created At columns for a resource without printers", () => {
    const bare: ResourceType = { ...pods, printerColumns: [] };
    const table = buildTable(bare, [running, { metadata: { name: 'x' } }], {
      ...options,
      listMeta: { resourceVersion: '3' },
    });
    expect((table.columnDefinitions as JsonObject[]).map((c) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect((table.rows as JsonObject[]).map((r) => r.cells)).toEqual([
      ['web', '2026-01-01T00:00:00Z'],
      ['x', '0001-01-01T00:00:00Z'],
    ]);
    expect(defaultTableColumns).toHaveLength(2);
  });
});

describe('parseIncludeObject', () => {
  it('defaults to Metadata and accepts the three policies', () => {
    expect(parseIncludeObject({})).toEqual({ ok: true, includeObject: 'Metadata' });
    for (const value of ['None', 'Metadata', 'Object'] as const) {
      expect(parseIncludeObject({ includeObject: value })).toEqual({
        ok: true,
        includeObject: value,
      });
    }
  });

  it('refuses another value with a 400 whose message names it', () => {
    expect(parseIncludeObject({ includeObject: 'unrecognized' })).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 400,
        reason: 'BadRequest',
        message:
          "Unable to convert to Table as requested: includeObject: Invalid value: \"unrecognized\": must be 'Metadata', 'Object', 'None', or empty",
      }),
    });
  });
});
