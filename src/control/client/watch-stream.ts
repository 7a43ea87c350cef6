// Reads one watch stream: splits chunks into lines, parses each into a WatchEvent, reports the end.
//
// Hot path: the sim transport calls onChunk synchronously inside the server's write, one whole
// line per chunk, so the common case is one indexOf, one JSON.parse and one handler call.

import type { StreamSink } from '../ports/transport.js';
import {
  type ApiStatusError,
  ClientTransportError,
  ResponseDecodeError,
  asStatus,
  statusErrorFromResponse,
} from './errors.js';
import type { KubeObject, WatchEvent } from './types.js';

/** How a watch ended, when the caller did not stop it. */
export type WatchEnd =
  /** The server ended the stream normally (timeoutSeconds, server shutdown, after an ERROR). */
  | { kind: 'closed' }
  /** The connection broke, or the stream carried a line that is not a watch event. */
  | { kind: 'broken'; error: ClientTransportError | ResponseDecodeError }
  /** The server answered with a non-2xx Status instead of a stream. */
  | { kind: 'rejected'; error: ApiStatusError };

/**
 * Receives a watch. Calls are synchronous, in stream order: onEvent zero or more times, then
 * onEnd at most once. Neither is called after the handle's stop(). Handlers must not throw.
 */
export interface WatchHandler<T extends KubeObject = KubeObject> {
  onEvent(event: WatchEvent<T>): void;
  onEnd(end: WatchEnd): void;
}

export interface WatchHandle {
  /** Closes the stream; no handler call follows. Idempotent. */
  stop(): void;
}

/** Longest line (or error body) a watch sink buffers, in UTF-16 code units. */
export const watchLineLengthMax = 64 * 1024 * 1024;

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export class WatchSink<T extends KubeObject> implements StreamSink {
  private readonly handler: WatchHandler<T>;
  private readonly description: string;
  private responseStatus = 0;
  private partial = '';
  private finished = false;
  /** Set once the transport returned its handle; undefined while stream() is still running. */
  private closeStream: (() => void) | undefined;
  private closeRequested = false;

  constructor(options: { handler: WatchHandler<T>; description: string }) {
    this.handler = options.handler;
    this.description = options.description;
  }

  /** Called by the client with the transport's close once stream() has returned. */
  attach(close: () => void): void {
    this.closeStream = close;
    if (this.closeRequested) close();
  }

  /** The caller stopped the watch: silence the handler and close the stream. */
  stop(): void {
    this.finished = true;
    this.close();
  }

  onResponse(status: number): void {
    this.responseStatus = status;
  }

  onChunk(chunk: string): void {
    if (this.finished) return;
    const text = this.partial === '' ? chunk : this.partial + chunk;
    this.partial = '';
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (!this.ok()) break;
      this.line(text.slice(start, end));
      start = end + 1;
      if (this.finished) return;
    }
    this.partial = start === 0 ? text : text.slice(start);
    if (this.partial.length > watchLineLengthMax) {
      this.fail(
        new ResponseDecodeError(`${this.description}: a line exceeds ${watchLineLengthMax}`),
      );
    }
  }

  onClose(error?: Error): void {
    if (this.finished) return;
    if (error !== undefined) {
      const message = `${this.description} broke: ${error.message}`;
      this.end({ kind: 'broken', error: new ClientTransportError(message, { cause: error }) });
      return;
    }
    if (!this.ok()) {
      const rejected = statusErrorFromResponse(this.responseStatus, this.partial);
      this.end({ kind: 'rejected', error: rejected });
      return;
    }
    if (this.partial.trim() !== '') this.line(this.partial); // a last line without newline
    if (!this.finished) this.end({ kind: 'closed' });
  }

  private ok(): boolean {
    return this.responseStatus >= 200 && this.responseStatus <= 299;
  }

  private line(text: string): void {
    if (text.trim() === '') return;
    const event = parseWatchEvent<T>(text);
    if (event === undefined) {
      const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      this.fail(new ResponseDecodeError(`${this.description}: not a watch event: ${excerpt}`));
      return;
    }
    this.handler.onEvent(event);
  }

  private fail(error: ResponseDecodeError): void {
    this.end({ kind: 'broken', error });
    this.close();
  }

  private end(end: WatchEnd): void {
    this.finished = true;
    this.partial = '';
    this.handler.onEnd(end);
  }

  private close(): void {
    if (this.closeStream !== undefined) this.closeStream();
    else this.closeRequested = true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one line; undefined when it is not `{"type": ..., "object": {...}}`. */
export function parseWatchEvent<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.type !== 'string' || !eventTypes.has(value.type)) {
    return undefined;
  }
  const object = value.object;
  if (value.type === 'ERROR') {
    const status = asStatus(object);
    return status === undefined ? undefined : { type: 'ERROR', object: status };
  }
  if (!isRecord(object) || !isRecord(object.metadata)) return undefined;
  return { type: value.type as 'ADDED', object: object as T };
}
