// core/v1 probes and lifecycle hooks: exec, HTTP GET, TCP, gRPC and sleep actions.

import type { JsonObject } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { forbiddenError, invalidError, requiredError } from '../schema/field-errors.js';
import { validatePortName, validatePortNumber } from '../schema/formats.js';
import { childPath, isObject } from '../schema/json.js';
import type { Schema, ValidationContext } from '../schema/schema.js';
import {
  arr,
  int32,
  int64,
  intOrString,
  obj,
  ref,
  str,
  strEnum,
  stringList,
} from '../schema/schema.js';

const portField = (description: string): Schema => intOrString(description, { required: true });

export const execActionSchema = obj('ExecAction', 'Runs a command in the container.', {
  command: stringList('Command line; not run in a shell.', { required: true }),
});

export const httpGetActionSchema = obj(
  'HTTPGetAction',
  'An HTTP GET request.',
  {
    path: str('Path to request.', { default: '/', zeroIsUnset: true }),
    port: portField('Port number or name.'),
    host: str('Host to connect to; defaults to the pod IP.'),
    scheme: strEnum(['HTTP', 'HTTPS'], 'HTTP or HTTPS.', {
      default: 'HTTP',
      zeroIsUnset: true,
      goType: 'v1.URIScheme',
    }),
    httpHeaders: arr(
      obj('HTTPHeader', 'A request header.', {
        name: str('Header name.', { required: true }),
        value: str('Header value.'),
      }),
      'Extra request headers.',
      { listType: 'atomic', goName: 'HTTPHeaders' },
    ),
  },
  { hooks: { validate: (value, ctx) => validatePortNumOrName(value, ctx.path) } },
);

export const tcpSocketActionSchema = obj(
  'TCPSocketAction',
  'A TCP connection attempt.',
  {
    port: portField('Port number or name.'),
    host: str('Host to connect to; defaults to the pod IP.'),
  },
  { hooks: { validate: (value, ctx) => validatePortNumOrName(value, ctx.path) } },
);

export const grpcActionSchema = obj('GRPCAction', 'A gRPC health check.', {
  port: int32('Port number.', { required: true, zeroIsUnset: true, minimum: 1, maximum: 65535 }),
  service: str('Service name sent in the HealthCheckRequest.'),
});

export const sleepActionSchema = obj('SleepAction', 'Sleeps before continuing.', {
  seconds: int64('Seconds to sleep.', { required: true }),
});

const handlerKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

export const probeSchema = obj(
  'Probe',
  'A health check of a container.',
  {
    exec: ref(execActionSchema, 'Run a command.'),
    httpGet: ref(httpGetActionSchema, 'Send an HTTP GET.', { goName: 'HTTPGet' }),
    tcpSocket: ref(tcpSocketActionSchema, 'Open a TCP connection.', { goName: 'TCPSocket' }),
    grpc: ref(grpcActionSchema, 'Call the gRPC health service.', { goName: 'GRPC' }),
    initialDelaySeconds: int32('Seconds after start before the first probe.', { minimum: 0 }),
    timeoutSeconds: int32('Seconds before a probe times out.', probeNumber(1)),
    periodSeconds: int32('Seconds between probes.', probeNumber(10)),
    successThreshold: int32('Consecutive successes to count as success.', probeNumber(1)),
    failureThreshold: int32('Consecutive failures to count as failure.', probeNumber(3)),
    terminationGracePeriodSeconds: int64('Grace period when a failed probe kills the container.'),
  },
  { hooks: { validate: validateProbe } },
);

function probeNumber(defaultValue: number) {
  return { default: defaultValue, zeroIsUnset: true, minimum: 0 };
}

export const lifecycleHandlerSchema = obj(
  'LifecycleHandler',
  'An action run at a lifecycle hook.',
  {
    exec: ref(execActionSchema, 'Run a command.'),
    httpGet: ref(httpGetActionSchema, 'Send an HTTP GET.', { goName: 'HTTPGet' }),
    tcpSocket: ref(tcpSocketActionSchema, 'Deprecated; accepted for compatibility.'),
    sleep: ref(sleepActionSchema, 'Sleep for a while.'),
  },
  { hooks: { validate: (value, ctx) => validateHandler(value, ctx.path) } },
);

export const lifecycleSchema = obj('Lifecycle', 'Hooks around container start and stop.', {
  postStart: ref(lifecycleHandlerSchema, 'Runs right after the container is created.'),
  preStop: ref(lifecycleHandlerSchema, 'Runs before the container is terminated.'),
});

/** Upstream ValidatePortNumOrName for the `port` of an HTTP or TCP action. */
function validatePortNumOrName(action: JsonObject, path: string): FieldError[] {
  const port = action.port;
  const portPath = childPath(path, 'port');
  if (typeof port === 'number') {
    return validatePortNumber(port).map((detail) => invalidError(portPath, port, detail));
  }
  if (typeof port === 'string' && port !== '') {
    return validatePortName(port).map((detail) => invalidError(portPath, port, detail));
  }
  return [];
}

function validateHandler(handler: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of handlerKinds) {
    if (!isObject(handler[kind])) continue;
    count += 1;
    if (count > 1) {
      errors.push(
        forbiddenError(childPath(path, kind), 'may not specify more than 1 handler type'),
      );
    }
  }
  if (count === 0) errors.push(requiredError(path, 'must specify a handler type'));
  return errors;
}

function validateProbe(probe: JsonObject, ctx: ValidationContext): FieldError[] {
  const errors = validateHandler(probe, ctx.path);
  const grace = probe.terminationGracePeriodSeconds;
  if (typeof grace === 'number' && grace <= 0) {
    const path = childPath(ctx.path, 'terminationGracePeriodSeconds');
    errors.push(invalidError(path, grace, 'must be greater than 0'));
  }
  return errors;
}
