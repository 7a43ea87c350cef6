// Runs one probe through the ContainerRuntime (exec in the container; TCP and HTTP from inside
// the pod's network namespace) and turns the answer into upstream's result and output text.

import { objectAt, stringAt } from '../../api/schema/json.js';
import { goQuote } from '../../api/values/go-format.js';
import { RuntimeError, type ContainerRuntime } from '../../ports/container-runtime.js';
import type { JsonObject } from '../../store/types.js';
import { assertNever } from '../../util/assert.js';
import { buildHttpProbeRequest, type HttpGetHandler } from './http-probe-request.js';
import { expandStaticEnv, resolveContainerPort, type ProbeHandler } from './probe-spec.js';
import type { ProbeAttempt } from './probe-verdict.js';

/** The running container a probe targets. */
export interface ProbeTarget {
  pod: JsonObject;
  /** The container's spec (for ports and env). */
  container: JsonObject;
  containerId: string;
  sandboxId: string;
  podIp: string;
}

/** Upstream maxProbeRetries: attempts of one probe while it errors. */
export const probeAttemptsMax = 3;

/** Upstream caps probe output (exec) and response bodies (HTTP) at 10 KiB. */
export const probeOutputLengthMax = 10 * 1024;

/**
 * Runs the probe up to `probeAttemptsMax` times while it errors (upstream runProbeWithRetries);
 * stops early once `isCancelled()` says the worker went away.
 */
export async function runProbeWithRetries(
  runtime: ContainerRuntime,
  handler: ProbeHandler,
  options: { target: ProbeTarget; timeoutMs: number; isCancelled: () => boolean },
): Promise<ProbeAttempt> {
  let attempt = await runProbe(runtime, handler, options.target, options.timeoutMs);
  for (let i = 1; i < probeAttemptsMax && attempt.error !== undefined; i += 1) {
    if (options.isCancelled()) break;
    attempt = await runProbe(runtime, handler, options.target, options.timeoutMs);
  }
  return attempt;
}

/** One attempt. RuntimeErrors become errored attempts; anything else is a programmer error. */
export async function runProbe(
  runtime: ContainerRuntime,
  handler: ProbeHandler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeAttempt> {
  try {
    return await attemptOnce(runtime, handler, target, timeoutMs);
  } catch (error) {
    if (error instanceof RuntimeError)
      return { result: 'unknown', output: '', error: error.message };
    throw error;
  }
}

function attemptOnce(
  runtime: ContainerRuntime,
  handler: ProbeHandler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeAttempt> {
  switch (handler.type) {
    case 'exec':
      return execProbe(
        runtime,
        expandStaticEnv(handler.command, target.container),
        target,
        timeoutMs,
      );
    case 'httpGet':
      return httpProbe(runtime, handler, target, timeoutMs);
    case 'tcpSocket':
      return tcpProbe(runtime, handler, target, timeoutMs);
    case 'grpc':
      return Promise.resolve(errored('gRPC probes are not supported by miniku'));
    case 'none':
      return Promise.resolve(errored(`missing probe handler for ${formatPod(target)}`));
    default:
      return assertNever(handler, 'unexpected probe handler');
  }
}

async function execProbe(
  runtime: ContainerRuntime,
  command: string[],
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeAttempt> {
  try {
    const result = await runtime.exec(target.containerId, command, timeoutMs);
    const output = capOutput(result.stdout + result.stderr);
    return { result: result.exitCode === 0 ? 'success' : 'failure', output };
  } catch (error) {
    if (!(error instanceof RuntimeError) || error.reason !== 'DeadlineExceeded') throw error;
    return { result: 'failure', output: `command ${goQuote(command.join(' '))} timed out` };
  }
}

async function httpProbe(
  runtime: ContainerRuntime,
  handler: HttpGetHandler,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeAttempt> {
  const built = buildHttpProbeRequest(handler, target.container, target.podIp);
  if ('error' in built) return errored(built.error);
  const response = await runtime.probeHttp(target.sandboxId, built.request, timeoutMs);
  if ('error' in response) {
    return { result: 'failure', output: `Get ${goQuote(built.url)}: ${response.error}` };
  }
  const body = capOutput(response.body);
  const { statusCode } = response;
  if (statusCode >= 200 && statusCode < 300) return { result: 'success', output: body };
  if (statusCode >= 300 && statusCode < 400) {
    return { result: 'warning', output: `Probe terminated redirects, Response body: ${body}` };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${statusCode}` };
}

async function tcpProbe(
  runtime: ContainerRuntime,
  handler: Extract<ProbeHandler, { type: 'tcpSocket' }>,
  target: ProbeTarget,
  timeoutMs: number,
): Promise<ProbeAttempt> {
  const resolved = resolveContainerPort(handler.port, target.container);
  if ('error' in resolved) return errored(resolved.error);
  const host = handler.host === '' ? target.podIp : handler.host;
  const result = await runtime.probeTcp(target.sandboxId, { host, port: resolved.port }, timeoutMs);
  return result.ok
    ? { result: 'success', output: '' }
    : { result: 'failure', output: result.error };
}

function errored(error: string): ProbeAttempt {
  return { result: 'unknown', output: '', error };
}

function capOutput(text: string): string {
  return text.length > probeOutputLengthMax ? text.slice(0, probeOutputLengthMax) : text;
}

/** Upstream format.Pod plus the container: `name_namespace(uid):container`. */
function formatPod(target: ProbeTarget): string {
  const metadata = objectAt(target.pod, 'metadata');
  const field = (key: string): string => stringAt(metadata, key) ?? '';
  const containerName = stringAt(target.container, 'name') ?? '';
  return `${field('name')}_${field('namespace')}(${field('uid')}):${containerName}`;
}
