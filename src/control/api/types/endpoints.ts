// core/v1 Endpoints: the ready and not-ready addresses behind a service.

import type { JsonObject } from '../../store/types.js';
import { arrayAt, isObject, stringAt } from '../schema/json.js';
import type { ObjectSchema } from '../schema/schema.js';
import { arr, int32, obj, ref, str, strEnum } from '../schema/schema.js';
import { metadataField, typeMetaFields } from './meta.js';
import { objectReferenceSchema } from './object-reference.js';
import { ageColumn, nameColumn } from './printing.js';
import type { ResourceDeclaration } from './resource.js';

const endpointAddressSchema = obj('EndpointAddress', 'An address of one endpoint.', {
  ip: str('IP of the endpoint.', { required: true, goName: 'IP' }),
  hostname: str('Hostname of the endpoint.'),
  nodeName: str('Node hosting the endpoint.'),
  targetRef: ref(objectReferenceSchema, 'The object providing the endpoint (a pod).'),
});

const endpointPortSchema = obj('EndpointPort', 'A port of the endpoints.', {
  name: str('Port name, matching the service port name.'),
  port: int32('Port number.', { required: true, zeroIsUnset: true, minimum: 1, maximum: 65535 }),
  protocol: strEnum(['SCTP', 'TCP', 'UDP'], 'TCP, UDP or SCTP.', {
    default: 'TCP',
    zeroIsUnset: true,
    goType: 'v1.Protocol',
  }),
  appProtocol: str('Application protocol.'),
});

export const endpointSubsetSchema = obj('EndpointSubset', 'Addresses sharing a set of ports.', {
  addresses: arr(endpointAddressSchema, 'Ready addresses.', { listType: 'atomic' }),
  notReadyAddresses: arr(endpointAddressSchema, 'Addresses not ready yet.', { listType: 'atomic' }),
  ports: arr(endpointPortSchema, 'Ports of the addresses.', { listType: 'atomic' }),
});

export const endpointsSchema: ObjectSchema = obj(
  'Endpoints',
  'The endpoints implementing a service.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    subsets: arr(endpointSubsetSchema, 'Groups of addresses and ports.', { listType: 'atomic' }),
  },
  {
    root: {
      group: '',
      version: 'v1',
      kind: 'Endpoints',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

/** printEndpoints: up to three `ip:port` pairs, then `+ N more...`. */
export function endpointsText(endpoints: JsonObject): string {
  const pairs: string[] = [];
  let count = 0;
  for (const subset of arrayAt(endpoints, 'subsets')) {
    const ports = arrayAt(subset, 'ports');
    for (const address of arrayAt(subset, 'addresses')) {
      const ip = stringAt(address, 'ip') ?? '';
      const targets = ports.length === 0 ? [undefined] : ports;
      for (const port of targets) {
        count += 1;
        if (pairs.length >= 3) continue;
        const number = isObject(port) && typeof port.port === 'number' ? `:${port.port}` : '';
        pairs.push(`${ip}${number}`);
      }
    }
  }
  if (count === 0) return '<none>';
  const more = count > pairs.length ? ` + ${count - pairs.length} more...` : '';
  return `${pairs.join(',')}${more}`;
}

export const endpointsResource: ResourceDeclaration = {
  schema: endpointsSchema,
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  categories: [],
  subresources: [],
  statusFields: [],
  fieldLabels: {},
  printerColumns: [
    nameColumn(),
    {
      name: 'Endpoints',
      type: 'string',
      format: '',
      description: 'Endpoints of the service.',
      priority: 0,
      value: endpointsText,
    },
    ageColumn(),
  ],
  tracksGeneration: false,
};
