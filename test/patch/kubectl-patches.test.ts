// kubectl 1.32's client-side apply patches, captured from the real kubectl against miniku's API
// server, applied by miniku's strategic merge patch: each must give the object kubectl read back.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResourceByKind } from '../../src/control/api/registry.js';
import { applyStrategicMergePatch } from '../../src/control/api/patch/strategic-merge-patch.js';
import type { JsonObject, JsonValue } from '../../src/control/store/types.js';

interface Fixture {
  name: string;
  before: JsonObject;
  lastApplied: JsonObject;
  manifest: JsonObject;
  patch: JsonObject;
  contentType: string;
  expected: JsonObject;
}

const fixtureDir = join(import.meta.dirname, 'fixtures');
const fixtures = readdirSync(fixtureDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(join(fixtureDir, file), 'utf8')) as Fixture);

describe('kubectl apply 3-way patches (captured from kubectl 1.32)', () => {
  it('has the six captured cases', () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      'add-env',
      'add-toleration',
      'deployment-replicas',
      'pod-image',
      'remove-env',
      'rollout-strategy',
    ]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s gives the object kubectl got', (_n, f) => {
    const type = findResourceByKind(String(f.before.apiVersion), String(f.before.kind));
    expect(type).toBeDefined();
    expect(f.contentType).toBe('application/strategic-merge-patch+json');
    const result = applyStrategicMergePatch(type?.schema, f.before, f.patch);
    expect(result).toEqual({ ok: true, value: f.expected });
  });

  it('records the manifest, with namespace and empty annotations, as last-applied', () => {
    for (const f of fixtures) {
      const annotations = (f.patch.metadata as JsonObject).annotations as JsonObject;
      const lastApplied = JSON.parse(
        String(annotations['kubectl.kubernetes.io/last-applied-configuration']),
      ) as JsonValue;
      const metadata = {
        ...(f.manifest.metadata as JsonObject),
        annotations: {},
        namespace: 'default',
      };
      expect(lastApplied).toEqual({ ...f.manifest, metadata });
    }
  });
});
