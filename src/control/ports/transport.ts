// Transport port: how components reach the API server, in-process (sim) or over HTTP (real).
//
// Requests and responses carry text bodies (UTF-8 JSON in practice) so both worlds exchange the
// same bytes: nothing is shared by reference between a client and the server.

/** Header names are lower-case. */
export type Headers = Record<string, string>;

export interface TransportRequest {
  /** Upper-case HTTP method: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  /** Absolute path without query, e.g. `/api/v1/namespaces/default/pods`. Not percent-decoded. */
  path: string;
  /** Decoded query parameters; a repeated parameter keeps its first value. */
  query: Record<string, string>;
  headers: Headers;
  /** Request body text; '' when there is none. */
  body: string;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  body: string;
  /**
   * Server side, optional: the body as UTF-8 pieces (`body` encoded, in order), when the handler
   * holds them already encoded (lists of cached objects). A transport that sends bytes may write
   * these instead of encoding `body`.
   */
  bodyPieces?: () => readonly Uint8Array[];
}

/**
 * Receives a streamed response (watch, logs). Calls arrive in this order: onResponse once, then
 * onChunk zero or more times, then onClose once. onChunk receives whole newline-terminated lines
 * for watch streams. After onClose nothing more arrives.
 */
export interface StreamSink {
  onResponse(status: number, headers: Headers): void;
  onChunk(chunk: string): void;
  /** `error` is set when the stream broke (connection loss, partition) rather than ended. */
  onClose(error?: Error): void;
}

export interface StreamHandle {
  /** Closes the stream from the client side; the server sees a disconnect. Idempotent. */
  close(): void;
}

export interface Transport {
  /**
   * One request, one whole response. Rejects only when the request could not be delivered
   * (connection refused, partition, timeout); HTTP errors are responses.
   */
  request(request: TransportRequest): Promise<TransportResponse>;
  /**
   * A streamed response. A non-streaming answer (e.g. 404 Status) arrives as onResponse, one
   * onChunk with the whole body, then onClose().
   */
  stream(request: TransportRequest, sink: StreamSink): StreamHandle;
}

// ---- Server side: what a transport delivers requests to. ----

/** Where a server-side stream writes. write() after end() is ignored. */
export interface ServerStreamWriter {
  write(chunk: string): void;
  end(): void;
}

export type HandlerResult =
  | { kind: 'unary'; response: TransportResponse }
  | {
      kind: 'stream';
      status: number;
      headers: Headers;
      /**
       * Called once by the transport when the client is ready to receive; returns a function the
       * transport calls when the client disconnects (the stream must then stop writing).
       */
      open(writer: ServerStreamWriter): () => void;
    };

/** A transport-agnostic server: the API server's handler or a kubelet's small server. */
export interface RequestHandler {
  handle(request: TransportRequest): Promise<HandlerResult>;
}
