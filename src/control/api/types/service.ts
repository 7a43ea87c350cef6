// core/v1 Service: ports, selector, type, session affinity, and their defaults.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { duplicateError, requiredError } from '../schema/field-errors.js';
import {
  arrayAt,
  childPath,
  indexPath,
  isObject,
  objectAt,
  stringAt,
  withField,
} from '../schema/json.js';
import type { ObjectSchema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  bool,
  int32,
  intOrString,
  obj,
  ref,
  str,
  strEnum,
  strKnown,
  stringList,
  stringMap,
} from '../schema/schema.js';
import { validateLabelMap } from './label-selector.js';
import { conditionSchema, metadataField, typeMetaFields } from './meta.js';
import { validatePortName, validatePortNumber } from '../schema/formats.js';
import { invalidError } from '../schema/field-errors.js';
import { compareGoStrings } from '../values/go-format.js';
import { ageColumn, nameColumn, computedColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';

/** v1.DefaultClientIPServiceAffinitySeconds (3 hours). */
export const defaultClientIpAffinitySeconds = 10800;

export const servicePortSchema = obj(
  'ServicePort',
  'A port the service exposes.',
  {
    name: str('Port name, a DNS-1123 label; required when there are several ports.', {
      format: 'dns1123-label',
    }),
    protocol: strEnum(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP.', {
      default: 'TCP',
      zeroIsUnset: true,
      goType: 'v1.Protocol',
    }),
    appProtocol: str('Application protocol of the port.'),
    port: int32('Port the service listens on.', {
      required: true,
      zeroIsUnset: true,
      minimum: 1,
      maximum: 65535,
    }),
    targetPort: intOrString('Port number or name on the pods; defaults to port.', {
      default: (port) => (typeof port.port === 'number' ? port.port : undefined),
      zeroIsUnset: true,
    }),
    nodePort: int32('Port on every node for NodePort and LoadBalancer services.', {
      zeroIsUnset: true,
      minimum: 1,
      maximum: 65535,
    }),
  },
  { hooks: { validate: validateTargetPort } },
);

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export const serviceSpecSchema: ObjectSchema = obj(
  'ServiceSpec',
  'Desired state of a service.',
  {
    ports: arr(servicePortSchema, 'Ports the service exposes.', {
      patchStrategy: 'merge',
      patchMergeKey: 'port',
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
    }),
    selector: stringMap('Pods the service routes to.', { mapType: 'atomic' }),
    clusterIP: str('Virtual IP; "None" makes the service headless.', { goName: 'ClusterIP' }),
    clusterIPs: stringList('Virtual IPs, one per IP family.', { goName: 'ClusterIPs' }),
    type: strEnum(serviceTypes, 'How the service is exposed.', {
      default: 'ClusterIP',
      zeroIsUnset: true,
      goType: 'v1.ServiceType',
    }),
    externalIPs: stringList('Extra IPs that route to the service.', { goName: 'ExternalIPs' }),
    sessionAffinity: strEnum(['ClientIP', 'None'], 'Sticky sessions by client IP.', {
      default: 'None',
      zeroIsUnset: true,
      goType: 'v1.ServiceAffinity',
    }),
    loadBalancerIP: str('Deprecated requested load balancer IP.', { goName: 'LoadBalancerIP' }),
    loadBalancerSourceRanges: stringList('Client ranges allowed through the load balancer.'),
    externalName: str('DNS name an ExternalName service aliases.'),
    externalTrafficPolicy: strKnown(['Cluster', 'Local'], 'Routing of external traffic.'),
    healthCheckNodePort: int32('Health check port for Local external traffic.'),
    publishNotReadyAddresses: bool('Publish addresses of pods that are not ready.'),
    sessionAffinityConfig: obj('SessionAffinityConfig', 'Session affinity settings.', {
      clientIP: obj(
        'ClientIPConfig',
        'ClientIP affinity settings.',
        {
          timeoutSeconds: int32('Sticky session lifetime.', { minimum: 1, maximum: 86400 }),
        },
        {},
      ),
    }),
    ipFamilies: stringList('IP families of the service.', { goType: '[]v1.IPFamily' }),
    ipFamilyPolicy: strKnown(['SingleStack', 'PreferDualStack', 'RequireDualStack'], 'Families.'),
    allocateLoadBalancerNodePorts: bool('Allocate node ports for LoadBalancer services.'),
    loadBalancerClass: str('Load balancer implementation.'),
    internalTrafficPolicy: strKnown(['Cluster', 'Local'], 'Routing of in-cluster traffic.'),
    trafficDistribution: str('Preference for routing traffic.'),
  },
  { hooks: { defaults: defaultServiceSpec, validate: validateServiceSpec } },
);

export const serviceSchema: ObjectSchema = obj(
  'Service',
  'A stable virtual IP and DNS name for a set of pods.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(serviceSpecSchema, 'Desired state of the service.', { default: {} }),
    status: obj('ServiceStatus', 'Observed state of a service.', {
      loadBalancer: obj('LoadBalancerStatus', 'Load balancer status.', {
        ingress: arr(
          obj('LoadBalancerIngress', 'A load balancer ingress point.', {
            ip: str('IP of the ingress point.', { goName: 'IP' }),
            hostname: str('Hostname of the ingress point.'),
            ipMode: str('VIP or Proxy.', { goName: 'IPMode' }),
            ports: arr(
              obj('PortStatus', 'Status of a port.', {
                port: int32('Port number.', { required: true }),
                protocol: str('Protocol.', { required: true }),
                error: str('Error of the port.'),
              }),
              'Ports.',
              { listType: 'atomic' },
            ),
          }),
          'Ingress points.',
          { listType: 'atomic' },
        ),
      }),
      conditions: arr(conditionSchema, 'Current conditions.', {
        patchStrategy: 'merge',
        patchMergeKey: 'type',
        listType: 'map',
        listMapKeys: ['type'],
      }),
    }),
  },
  {
    root: {
      group: '',
      version: 'v1',
      kind: 'Service',
      scope: 'Namespaced',
      nameFormat: 'dns1035-label',
    },
  },
);

function isExternallyAccessible(spec: JsonObject): boolean {
  const type = spec.type;
  if (type === 'LoadBalancer' || type === 'NodePort') return true;
  return type === 'ClusterIP' && arrayAt(spec, 'externalIPs').length > 0;
}

function defaultAffinityConfig(spec: JsonObject): JsonObject {
  if (spec.sessionAffinity === 'None') return withField(spec, 'sessionAffinityConfig', undefined);
  if (spec.sessionAffinity !== 'ClientIP') return spec;
  const timeout = objectAt(objectAt(spec, 'sessionAffinityConfig'), 'clientIP')?.timeoutSeconds;
  if (timeout !== undefined && timeout !== null) return spec;
  const config = { clientIP: { timeoutSeconds: defaultClientIpAffinitySeconds } };
  return withField(spec, 'sessionAffinityConfig', config);
}

/** SetDefaults_Service beyond per-field defaults. */
function defaultServiceSpec(spec: JsonObject): JsonObject {
  let next = defaultAffinityConfig(spec);
  if (isExternallyAccessible(next) && (next.externalTrafficPolicy ?? '') === '') {
    next = withField(next, 'externalTrafficPolicy', 'Cluster');
  }
  const type = next.type;
  const internal = type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP';
  if (
    internal &&
    (next.internalTrafficPolicy === undefined || next.internalTrafficPolicy === null)
  ) {
    next = withField(next, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'LoadBalancer' && (next.allocateLoadBalancerNodePorts ?? null) === null) {
    next = withField(next, 'allocateLoadBalancerNodePorts', true);
  }
  return next;
}

function validateTargetPort(port: JsonObject, ctx: ValidationContext): FieldError[] {
  const target = port.targetPort;
  const path = childPath(ctx.path, 'targetPort');
  if (typeof target === 'number') {
    return validatePortNumber(target).map((detail) => invalidError(path, target, detail));
  }
  if (typeof target === 'string' && target !== '') {
    return validatePortName(target).map((detail) => invalidError(path, target, detail));
  }
  return [];
}

function validatePortNames(spec: JsonObject, path: string): FieldError[] {
  const ports = arrayAt(spec, 'ports');
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  ports.forEach((port, i) => {
    const name = stringAt(port, 'name') ?? '';
    const namePath = childPath(indexPath(path, i), 'name');
    if (name === '') {
      if (ports.length > 1) errors.push(requiredError(namePath));
      return;
    }
    if (seen.has(name)) errors.push(duplicateError(namePath, name));
    seen.add(name);
  });
  return errors;
}

function validateServiceSpec(spec: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors: FieldError[] = [];
  const portsPath = childPath(ctx.path, 'ports');
  const headless = spec.clusterIP === 'None';
  if (arrayAt(spec, 'ports').length === 0 && !headless && spec.type !== 'ExternalName') {
    errors.push(requiredError(portsPath));
  }
  errors.push(...validatePortNames(spec, portsPath));
  errors.push(...validateLabelMap(spec.selector, childPath(ctx.path, 'selector')));
  return errors;
}

function externalIp(service: JsonObject): string {
  const spec = objectAt(service, 'spec');
  const external = arrayAt(spec, 'externalIPs').filter(
    (ip): ip is string => typeof ip === 'string',
  );
  const type = stringAt(spec, 'type') ?? '';
  if (type === 'ExternalName') return stringAt(spec, 'externalName') ?? '<none>';
  if (type === 'LoadBalancer') {
    const ingress = arrayAt(objectAt(objectAt(service, 'status'), 'loadBalancer'), 'ingress');
    const ips = ingress
      .map((i) => stringAt(i, 'ip') || stringAt(i, 'hostname') || '')
      .filter((s) => s !== '');
    const all = [...ips, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

function portsText(service: JsonObject): string {
  const ports = arrayAt(objectAt(service, 'spec'), 'ports').map((port) => {
    const number = isObject(port) ? String(port.port ?? '') : '';
    const nodePort = isObject(port) && typeof port.nodePort === 'number' ? `:${port.nodePort}` : '';
    return `${number}${nodePort}/${stringAt(port, 'protocol') ?? ''}`;
  });
  return ports.length === 0 ? '<none>' : ports.join(',');
}

function selectorText(service: JsonObject): string {
  const selector = objectAt(objectAt(service, 'spec'), 'selector');
  if (selector === undefined || Object.keys(selector).length === 0) return '<none>';
  return Object.keys(selector)
    .sort(compareGoStrings)
    .map((key) => `${key}=${String(selector[key])}`)
    .join(',');
}

export const serviceResource: ResourceDeclaration = {
  schema: serviceSchema,
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  subresources: ['status'],
  statusFields: ['status'],
  fieldLabels: {
    'spec.clusterIP': (svc) => stringAt(objectAt(svc, 'spec'), 'clusterIP') ?? '',
    'spec.type': (svc) => stringAt(objectAt(svc, 'spec'), 'type') ?? '',
  },
  printerColumns: [
    nameColumn(),
    computedColumn(
      'Type',
      'The type of service.',
      0,
      (svc) => stringAt(objectAt(svc, 'spec'), 'type') ?? '',
    ),
    computedColumn(
      'Cluster-IP',
      'The cluster IP of the service.',
      0,
      (svc) => stringAt(objectAt(svc, 'spec'), 'clusterIP') || '<none>',
    ),
    computedColumn('External-IP', 'The external IPs of the service.', 0, externalIp),
    computedColumn('Port(s)', 'The ports of the service.', 0, portsText),
    ageColumn(),
    computedColumn('Selector', 'The label selector of the service.', 1, selectorText),
  ],
  tracksGeneration: false,
};
