// PATCH request bodies: dispatch by content type, upstream's decoding errors, apply semantics.
import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../registry.js';
import { findResource } from '../registry.js';
import type { JsonObject } from '../../store/types.js';
import { genericInvalidMessage } from './patch-error.js';
import { applyPatchRequest } from './patch-request.js';

function resource(group: string, plural: string): ResourceType {
  const type = findResource(group, 'v1', plural);
  if (type === undefined) throw new Error(`no ${plural}`);
  return type;
}

const pods = resource('', 'pods');
const deployments = resource('apps', 'deployments');

const pod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, uid: 'u-1' },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }] },
      { name: 'sidecar', image: 'busybox' },
    ],
    tolerations: [{ key: 'a', operator: 'Exists' }],
  },
};

const smp = 'application/strategic-merge-patch+json';
const merge = 'application/merge-patch+json';
const json = 'application/json-patch+json';
const apply = 'application/apply-patch+yaml';

describe('applyPatchRequest content types', () => {
  it('applies a strategic merge patch with the type schema', () => {
    const body = '{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}';
    const result = applyPatchRequest(pods, pod, body, `${smp}; charset=utf-8`);
    expect(result.ok && result.value.spec).toMatchObject({
      containers: [
        { name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] },
        { name: 'sidecar', image: 'busybox' },
      ],
    });
  });

  it('replaces lists under a merge patch', () => {
    const body = '{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}';
    const result = applyPatchRequest(pods, pod, body, merge);
    expect(result.ok && result.value.spec).toEqual({
      containers: [{ name: 'web', image: 'nginx:1.27' }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
    });
  });

  it('applies a JSON patch', () => {
    const body = '[{"op":"replace","path":"/spec/containers/1/image","value":"alpine"}]';
    const result = applyPatchRequest(pods, pod, body, json);
    expect(result.ok && result.value.spec).toMatchObject({
      containers: [{ name: 'web' }, { name: 'sidecar', image: 'alpine' }],
    });
  });

  it('answers 415 for other content types, listing the accepted ones', () => {
    for (const type of ['application/json', '', 'Application/merge-patch+json']) {
      expect(applyPatchRequest(pods, pod, '{}', type)).toEqual({
        ok: false,
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
      });
    }
  });

  it('answers 404 when there is no object to patch, except for apply', () => {
    expect(applyPatchRequest(deployments, undefined, '{}', smp, { name: 'web' })).toEqual({
      ok: false,
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "web" not found',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
  });

  it('answers 413 for an oversized body', () => {
    const result = applyPatchRequest(pods, pod, '{"a":"xxxxxxxx"}', smp, {
      limits: { bodyBytesMax: 8 },
    });
    expect(result).toMatchObject({
      ok: false,
      code: 413,
      message: 'Request entity too large: limit is 8',
    });
  });
});

describe('applyPatchRequest decoding errors', () => {
  const bad = '{"spec":';
  const cases: Array<[string, string, 'Strict' | 'Ignore', string]> = [
    ['strategic', smp, 'Strict', 'unexpected end of JSON input'],
    ['strategic', smp, 'Ignore', 'unexpected end of JSON input'],
    ['merge', merge, 'Strict', 'error decoding patch: unexpected end of JSON input'],
    ['merge', merge, 'Ignore', 'Invalid JSON Patch'],
    ['JSON', json, 'Strict', 'error decoding patch: unexpected end of JSON input'],
    ['JSON', json, 'Ignore', 'unexpected end of JSON input'],
  ];

  it.each(cases)(
    'answers 400 to a broken %s patch under %s as upstream does',
    (_n, type, mode, message) => {
      const result = applyPatchRequest(pods, pod, bad, type, { fieldValidation: mode });
      expect(result).toEqual({ ok: false, code: 400, reason: 'BadRequest', message });
    },
  );

  it('rejects patches of the wrong JSON type', () => {
    expect(applyPatchRequest(pods, pod, '[1]', smp)).toMatchObject({
      code: 400,
      message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
    expect(applyPatchRequest(pods, pod, '"x"', merge)).toMatchObject({
      code: 400,
      message:
        'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}',
    });
    expect(applyPatchRequest(pods, pod, 'null', merge)).toMatchObject({
      code: 400,
      message: 'Invalid JSON Patch',
    });
  });

  it('answers 422 when the patched value is no longer an object', () => {
    const result = applyPatchRequest(pods, pod, '[{"op":"replace","path":"","value":[1]}]', json);
    expect(result).toMatchObject({ ok: false, code: 422, reason: 'Invalid' });
    expect(result.ok ? '' : result.message).toContain('cannot unmarshal array into Go value');
  });

  it('answers 422 with upstream generic text for a failed JSON patch test', () => {
    const body = '[{"op":"test","path":"/metadata/name","value":"other"}]';
    expect(applyPatchRequest(pods, pod, body, json)).toEqual({
      ok: false,
      code: 422,
      reason: 'Invalid',
      message: genericInvalidMessage,
      detail: 'testing value /metadata/name failed: test failed',
    });
  });

  it('bounds the nesting depth of bodies', () => {
    const deep = `${'{"a":'.repeat(5)}1${'}'.repeat(5)}`;
    const result = applyPatchRequest(pods, pod, deep, smp, { limits: { nestingDepthMax: 4 } });
    expect(result).toMatchObject({
      code: 400,
      message: `invalid character '{' exceeded max depth`,
    });
  });
});

describe('applyPatchRequest server-side apply (no field managers)', () => {
  const manifest = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  labels: {tier: front}',
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: nginx:1.27',
  ].join('\n');

  it('creates the applied object when none exists', () => {
    const result = applyPatchRequest(pods, undefined, manifest, apply);
    expect(result).toEqual({
      ok: true,
      value: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { tier: 'front' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    });
  });

  it('merges the configuration onto the live object, keeping what it omits', () => {
    const result = applyPatchRequest(pods, pod, manifest, apply);
    expect(result.ok && result.value.metadata).toMatchObject({
      labels: { app: 'web', tier: 'front' },
    });
    expect(result.ok && result.value.spec).toEqual({
      containers: [
        { name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] },
        { name: 'sidecar', image: 'busybox' },
      ],
      tolerations: [{ key: 'a', operator: 'Exists' }],
    });
  });

  it('accepts JSON bodies, which are YAML too', () => {
    const body = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"x":"y"}}}';
    const result = applyPatchRequest(pods, pod, body, apply);
    expect(result.ok && result.value.metadata).toMatchObject({ labels: { app: 'web', x: 'y' } });
  });

  it('rejects a configuration of another kind', () => {
    const body = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}';
    expect(applyPatchRequest(pods, pod, body, apply)).toEqual({
      ok: false,
      code: 400,
      reason: 'BadRequest',
      message: 'invalid object type: apps/v1, Kind=Deployment',
    });
    expect(applyPatchRequest(pods, pod, '', apply)).toMatchObject({
      message: 'invalid object type: /, Kind=',
    });
  });

  it('rejects managedFields and a uid on create', () => {
    const managed = `${manifest.replace('  name: web', '  name: web\n  managedFields: []')}`;
    expect(applyPatchRequest(pods, pod, managed, apply)).toMatchObject({
      code: 400,
      message: 'metadata.managedFields must be nil',
    });
    const withUid = manifest.replace('  name: web', '  name: web\n  uid: abc');
    expect(applyPatchRequest(pods, undefined, withUid, apply, { name: 'web' })).toEqual({
      ok: false,
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on pods "web": uid mismatch: the provided object specified uid abc, and no existing object was found',
      details: { name: 'web', kind: 'pods' },
    });
  });

  it('reports YAML errors and non-map bodies with upstream prefixes', () => {
    const broken = applyPatchRequest(pods, pod, 'a: [1,', apply);
    expect(broken.ok ? '' : broken.message).toMatch(
      /^error decoding YAML: error converting YAML to JSON: yaml: line 1: /,
    );
    expect(applyPatchRequest(pods, pod, '- 1\n- 2', apply)).toMatchObject({
      code: 400,
      message:
        'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
  });

  it('bounds alias expansion', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) {
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    }
    const result = applyPatchRequest(pods, pod, lines.join('\n'), apply);
    expect(result).toMatchObject({ ok: false, code: 400 });
    expect(result.ok ? '' : result.message).toContain('alias count');
  });
});
