// The `full` trace level's view of the API: every request with its response status, every watch
// stream opened and ended, and every watch event as the API server sends it, as trace records.
import type { ApiResultObserver } from '../../control/apiserver/api-server.js';
import type { Recorder } from '../../control/ports/recorder.js';
import type { HandlerResult, TransportRequest } from '../../control/ports/transport.js';

export interface ApiTraceOptions {
  recorder: Recorder;
  /** The API server's clock reading, ms since the epoch. */
  nowMs: () => number;
}

function queryText(query: Readonly<Record<string, string>>): string {
  const keys = Object.keys(query).sort();
  return keys.map((k) => `${k}=${query[k] ?? ''}`).join('&');
}

interface WatchLine {
  type?: string;
  object?: {
    kind?: string;
    metadata?: { namespace?: string; name?: string; resourceVersion?: string };
  };
}

/** type, kind, namespace/name and resourceVersion of one watch line ('' when unreadable). */
function describeLine(line: string): Record<string, string> {
  let parsed: WatchLine;
  try {
    parsed = JSON.parse(line) as WatchLine;
  } catch {
    return { event: '', object: '', resourceVersion: '' };
  }
  const meta = parsed.object?.metadata ?? {};
  const name = meta.namespace === undefined ? (meta.name ?? '') : `${meta.namespace}/${meta.name}`;
  return {
    event: parsed.type ?? '',
    object: `${parsed.object?.kind ?? ''} ${name}`,
    resourceVersion: meta.resourceVersion ?? '',
  };
}

/** An observer for the API server that records each exchange at the `full` level. */
export function apiTraceObserver(options: ApiTraceOptions): ApiResultObserver {
  const { recorder, nowMs } = options;
  const record = (type: string, fields: Record<string, string | number>) =>
    recorder.trace({ atMs: nowMs(), component: 'apiserver', type, level: 'full', fields });
  return (request: TransportRequest, result: HandlerResult): HandlerResult => {
    const base = {
      method: request.method,
      path: request.path,
      query: queryText(request.query),
      userAgent: request.headers['user-agent'] ?? '',
    };
    if (result.kind === 'unary') {
      record('api.request', { ...base, status: result.response.status });
      return result;
    }
    record('api.watch.open', { ...base, status: result.status });
    return {
      ...result,
      open: (writer) => {
        let sent = 0;
        let partial = '';
        const close = result.open({
          write: (chunk) => {
            const lines = (partial + chunk).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines) {
              if (line === '') continue;
              sent += 1;
              record('api.watch.event', {
                userAgent: base.userAgent,
                path: base.path,
                ...describeLine(line),
              });
            }
            writer.write(chunk);
          },
          end: () => {
            record('api.watch.end', { ...base, events: sent });
            writer.end();
          },
        });
        return close;
      },
    };
  };
}
