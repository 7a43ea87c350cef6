// The remote-command channel protocol of pods/exec over WebSocket (`v5.channel.k8s.io`, and
// `v4.channel.k8s.io`), as pure functions: which request is an exec, which subprotocol to pick,
// which requests to refuse before upgrading, the binary frames and the closing Status.
//
// Framing (upstream's wsstream channel protocol): every binary message starts with one channel
// byte — 0 stdin, 1 stdout, 2 stderr, 3 error (one metav1.Status JSON, then the connection
// closes), 4 terminal resize — followed by the raw bytes. v5 adds channel 255 from either side,
// `[255, id]`, meaning "stream id is closed" (a half-close); v4 has no such signal.

import { badRequest } from '../control/apiserver/status.js';
import type { ApiError } from '../control/apiserver/status.js';
import type { ExecResult } from '../control/ports/container-runtime.js';
import type { JsonObject } from '../control/store/types.js';

/** In the server's order of preference; a client's own order decides among them. */
export const execSubprotocols: readonly string[] = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export const channelStdin = 0;
export const channelStdout = 1;
export const channelStderr = 2;
export const channelError = 3;
export const channelResize = 4;
/** v5 only: `[channelClose, id]` half-closes stream id. */
export const channelClose = 255;

/** Payload bytes per output frame (upstream's client reads 32 KiB buffers). */
export const execFrameBytesMax = 32 * 1024;

export interface ExecTarget {
  namespace: string;
  name: string;
  /** Every `command` parameter, in order. */
  command: string[];
  /** The other parameters, first value of each (container, stdin, stdout, stderr, tty). */
  query: Record<string, string>;
}

const execPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/;

/**
 * The pods/exec target of a request URL (`/api/v1/namespaces/NS/pods/NAME/exec?…`), or undefined
 * for any other path. Reads the raw query itself: the transport's query keeps one value per name,
 * and an exec's command is one `command` parameter per argument.
 */
export function parseExecTarget(url: string): ExecTarget | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const match = execPath.exec(path);
  if (match === null) return undefined;
  let namespace: string;
  let name: string;
  try {
    namespace = decodeURIComponent(match[1] as string);
    name = decodeURIComponent(match[2] as string);
  } catch {
    return undefined;
  }
  const command: string[] = [];
  const query = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1))) {
    if (key === 'command') command.push(value);
    else if (!query.has(key)) query.set(key, value);
  }
  return { namespace, name, command, query: Object.fromEntries(query) };
}

/** The first offered subprotocol this server speaks (upstream honours the client's order). */
export function selectSubprotocol(offered: Iterable<string>): string | undefined {
  for (const protocol of offered) {
    if (execSubprotocols.includes(protocol)) return protocol;
  }
  return undefined;
}

/** Splits a `Sec-WebSocket-Protocol` header value into its tokens. */
export function offeredSubprotocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

/** `true` or `1`, as upstream's parameter decoding and the kubelet's accept. */
export function queryFlag(query: Record<string, string>, name: string): boolean {
  return query[name] === 'true' || query[name] === '1';
}

export const stdinUnsupportedMessage =
  'exec with stdin (-i/--stdin) is not supported by miniku: its container runtime runs a command ' +
  'without input; run it without -i, e.g. kubectl exec POD -- sh -c "…"';

export const spdyUnsupportedMessage =
  'pods/exec over SPDY/3.1 is not supported by miniku: use a client that speaks WebSocket ' +
  `(${execSubprotocols.join(' or ')}), such as kubectl 1.30 or newer`;

/** Why an exec request is refused before any upgrade, or undefined to go ahead. */
export function execRefusal(target: ExecTarget): ApiError | undefined {
  if (target.command.length === 0 || target.command[0] === '') {
    return badRequest('you must specify at least 1 command');
  }
  const stdin = queryFlag(target.query, 'stdin');
  if (!stdin && !queryFlag(target.query, 'stdout') && !queryFlag(target.query, 'stderr')) {
    return badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  if (stdin) return badRequest(stdinUnsupportedMessage);
  return undefined;
}

/** One binary message: the channel byte, then `data`. */
export function channelFrame(channel: number, data: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(data.length + 1);
  frame[0] = channel;
  frame.set(data, 1);
  return frame;
}

/**
 * The output frames of a finished exec, at most execFrameBytesMax payload bytes each: stdout on
 * channel 1, then stderr on 2 — or on 1 as well when a TTY was asked for (a terminal has one
 * output) — each only if the client asked for it.
 */
export function execOutputFrames(result: ExecResult, query: Record<string, string>): Buffer[] {
  const tty = queryFlag(query, 'tty');
  const frames: Buffer[] = [];
  const add = (channel: number, text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; at += execFrameBytesMax) {
      frames.push(channelFrame(channel, bytes.subarray(at, at + execFrameBytesMax)));
    }
  };
  const stdout = queryFlag(query, 'stdout');
  if (stdout) add(channelStdout, result.stdout);
  if (tty) {
    if (stdout) add(channelStdout, result.stderr);
  } else if (queryFlag(query, 'stderr')) {
    add(channelStderr, result.stderr);
  }
  return frames;
}

/**
 * The error channel's Status for a finished exec, shaped as upstream's kubelet writes it:
 * Success, or Failure with reason NonZeroExitCode and the code as an `ExitCode` cause (clients
 * parse it as an unsigned byte). A code outside 1–255 is an internal error.
 */
export function execExitStatus(exitCode: number, command: readonly string[]): JsonObject {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  const described = `error executing command [${command.join(' ')}], exit code ${exitCode}`;
  if (!Number.isSafeInteger(exitCode) || exitCode < 0 || exitCode > 255) {
    return {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${described}`,
      reason: 'InternalError',
      code: 500,
    };
  }
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${described}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** Reads an exec result `{exitCode, stdout, stderr}` from JSON; undefined if it is not one. */
export function parseExecResult(body: string): ExecResult | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const result = value as Partial<ExecResult> | null;
  if (
    result === null ||
    typeof result !== 'object' ||
    typeof result.exitCode !== 'number' ||
    typeof result.stdout !== 'string' ||
    typeof result.stderr !== 'string'
  ) {
    return undefined;
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
