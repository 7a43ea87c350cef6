// Reads a container's probes from pod JSON into typed specs with upstream defaults, and
// resolves probe ports and exec command variables as the kubelet does (pure functions).

import { goQuote } from '../../api/values/go-format.js';
import { arrayAt, isObject, numberAt, objectAt, stringAt } from '../../api/schema/json.js';
import type { JsonObject, JsonValue } from '../../store/types.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

/** Kinds in the order their workers are created (upstream AddPod: startup, readiness, liveness). */
export const probeKinds: readonly ProbeKind[] = ['startup', 'readiness', 'liveness'];

/** How upstream names a probe type in messages (`probeType.String()`). */
export const probeKindTitles: Readonly<Record<ProbeKind, string>> = {
  startup: 'Startup',
  readiness: 'Readiness',
  liveness: 'Liveness',
};

const specFields: Readonly<Record<ProbeKind, string>> = {
  startup: 'startupProbe',
  readiness: 'readinessProbe',
  liveness: 'livenessProbe',
};

export type ProbeHandler =
  | { type: 'exec'; command: string[] }
  | {
      type: 'httpGet';
      path: string;
      /** Port number or name, unresolved (intOrString). */
      port: number | string;
      /** '' means the pod IP. */
      host: string;
      scheme: 'HTTP' | 'HTTPS';
      headers: Array<{ name: string; value: string }>;
    }
  | { type: 'tcpSocket'; port: number | string; host: string }
  | { type: 'grpc'; port: number; service: string }
  | { type: 'none' };

export interface ProbeSpec {
  kind: ProbeKind;
  handler: ProbeHandler;
  initialDelaySeconds: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/** Upstream SetDefaults_Probe; zero counts as unset, as in the API's defaulting. */
export const probeDefaults = {
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
} as const;

/** The container named `name` in spec.containers, else spec.initContainers (sidecars). */
export function findContainerSpec(pod: JsonObject, name: string): JsonObject | undefined {
  const spec = objectAt(pod, 'spec');
  for (const list of ['containers', 'initContainers']) {
    for (const container of arrayAt(spec, list)) {
      if (isObject(container) && container.name === name) return container;
    }
  }
  return undefined;
}

/** The container's probe of `kind` with defaults applied, or undefined when it has none. */
export function readProbeSpec(container: JsonObject, kind: ProbeKind): ProbeSpec | undefined {
  const probe = objectAt(container, specFields[kind]);
  if (probe === undefined) return undefined;
  return {
    kind,
    handler: readHandler(probe),
    initialDelaySeconds: Math.max(0, numberAt(probe, 'initialDelaySeconds') ?? 0),
    periodMs: 1000 * positiveOr(numberAt(probe, 'periodSeconds'), probeDefaults.periodSeconds),
    timeoutMs: 1000 * positiveOr(numberAt(probe, 'timeoutSeconds'), probeDefaults.timeoutSeconds),
    successThreshold: positiveOr(
      numberAt(probe, 'successThreshold'),
      probeDefaults.successThreshold,
    ),
    failureThreshold: positiveOr(
      numberAt(probe, 'failureThreshold'),
      probeDefaults.failureThreshold,
    ),
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

function readHandler(probe: JsonObject): ProbeHandler {
  const exec = objectAt(probe, 'exec');
  if (exec !== undefined) {
    return { type: 'exec', command: arrayAt(exec, 'command').filter(isString) };
  }
  const httpGet = objectAt(probe, 'httpGet');
  if (httpGet !== undefined) {
    return {
      type: 'httpGet',
      path: stringAt(httpGet, 'path') ?? '',
      port: portValue(httpGet.port),
      host: stringAt(httpGet, 'host') ?? '',
      scheme: stringAt(httpGet, 'scheme') === 'HTTPS' ? 'HTTPS' : 'HTTP',
      headers: arrayAt(httpGet, 'httpHeaders').filter(isObject).map(readHeader),
    };
  }
  const tcpSocket = objectAt(probe, 'tcpSocket');
  if (tcpSocket !== undefined) {
    const host = stringAt(tcpSocket, 'host') ?? '';
    return { type: 'tcpSocket', port: portValue(tcpSocket.port), host };
  }
  const grpc = objectAt(probe, 'grpc');
  if (grpc !== undefined) {
    const service = stringAt(grpc, 'service') ?? '';
    return { type: 'grpc', port: numberAt(grpc, 'port') ?? 0, service };
  }
  return { type: 'none' };
}

function readHeader(header: JsonObject): { name: string; value: string } {
  return { name: stringAt(header, 'name') ?? '', value: stringAt(header, 'value') ?? '' };
}

function isString(value: JsonValue): value is string {
  return typeof value === 'string';
}

function portValue(value: JsonValue | undefined): number | string {
  return typeof value === 'number' || typeof value === 'string' ? value : '';
}

/**
 * Upstream ResolveContainerPort: a number is taken as is; a name is looked up in the
 * container's ports, and failing that parsed as a number (Go's strconv.Atoi, whose error is
 * what the user sees); the result must be in 1..65535.
 */
export function resolveContainerPort(
  port: number | string,
  container: JsonObject,
): { port: number } | { error: string } {
  let value: number;
  if (typeof port === 'number') value = port;
  else {
    const named = arrayAt(container, 'ports').find((p) => isObject(p) && p.name === port);
    const containerPort = numberAt(named, 'containerPort');
    if (containerPort !== undefined) value = containerPort;
    else {
      const parsed = goAtoi(port);
      if ('error' in parsed) return parsed;
      value = parsed.value;
    }
  }
  if (value > 0 && value < 65536) return { port: value };
  return { error: `invalid port number: ${value}` };
}

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** Go's strconv.Atoi on a 64-bit platform, with its error text. */
export function goAtoi(text: string): { value: number } | { error: string } {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return { error: `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax` };
  }
  const big = BigInt(text);
  if (big > int64Max || big < int64Min) {
    return { error: `strconv.Atoi: parsing ${goQuote(text)}: value out of range` };
  }
  return { value: Number(big) };
}

/**
 * Upstream ExpandContainerCommandOnlyStatic: `$(NAME)` becomes the value of the container's
 * env var NAME (its literal `value`; `valueFrom` counts as ''), unknown names stay as written,
 * `$$` is an escaped `$`, any other `$` is kept.
 */
export function expandStaticEnv(command: readonly string[], container: JsonObject): string[] {
  const values = new Map<string, string>();
  for (const env of arrayAt(container, 'env')) {
    const name = stringAt(env, 'name');
    if (name !== undefined) values.set(name, stringAt(env, 'value') ?? '');
  }
  const reference = /\$(?:(\$)|\(([^)]*)\)|([\s\S]))/g;
  return command.map((part) =>
    part.replace(reference, (_all, dollar?: string, name?: string, other?: string) => {
      if (dollar !== undefined) return '$';
      if (name !== undefined) return values.get(name) ?? `$(${name})`;
      return `$${other ?? ''}`;
    }),
  );
}
