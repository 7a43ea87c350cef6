import { describe, expect, it } from 'vitest';
import {
  groupPackage,
  groupVersionPath,
  operationGroupVersion,
  operationTag,
  TypeNamer,
} from './type-names.js';

const namer = new TypeNamer({
  kinds: [
    { group: '', version: 'v1', kind: 'Pod' },
    { group: 'apps', version: 'v1', kind: 'Deployment' },
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  ],
});

describe('OpenAPI type names', () => {
  it('keys group-versions as the /openapi/v3 index does', () => {
    expect(groupVersionPath('', 'v1')).toBe('api/v1');
    expect(groupVersionPath('apps', 'v1')).toBe('apis/apps/v1');
  });

  it('names packages by the first label of the group', () => {
    expect(groupPackage('', 'v1')).toBe('io.k8s.api.core.v1');
    expect(groupPackage('coordination.k8s.io', 'v1')).toBe('io.k8s.api.coordination.v1');
    expect(groupPackage('rbac.authorization.k8s.io', 'v1')).toBe('io.k8s.api.rbac.v1');
  });

  it('builds operation ids and tags from the group words', () => {
    expect(operationGroupVersion('', 'v1')).toBe('CoreV1');
    expect(operationGroupVersion('rbac.authorization.k8s.io', 'v1')).toBe('RbacAuthorizationV1');
    expect(operationTag('', 'v1')).toBe('core_v1');
    expect(operationTag('flowcontrol.apiserver.k8s.io', 'v1')).toBe('flowcontrolApiserver_v1');
  });

  it('places kinds, their parts, meta types and the rest in upstream packages', () => {
    expect(namer.componentName('Pod')).toBe('io.k8s.api.core.v1.Pod');
    expect(namer.componentName('PodSpec')).toBe('io.k8s.api.core.v1.PodSpec');
    expect(namer.componentName('RollingUpdateDeployment')).toBe(
      'io.k8s.api.apps.v1.RollingUpdateDeployment',
    );
    expect(namer.componentName('ScaleStatus')).toBe('io.k8s.api.autoscaling.v1.ScaleStatus');
    expect(namer.componentName('LeaseSpec')).toBe('io.k8s.api.coordination.v1.LeaseSpec');
    expect(namer.componentName('ObjectMeta')).toBe(
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
  });

  it('refuses a type name that two groups could own', () => {
    expect(() => namer.componentName('LeaseDeployment')).toThrow(/several groups/);
  });
});
