// The API latency bench's load generator, run as its own process (`node real-load-generator.js
// '<options JSON>'`): an open loop of GET / LIST / PUT against a `miniku real` on 127.0.0.1, each
// latency taken from the request's intended send time (no coordinated omission); prints a
// LoadReport as one JSON line.
import http from 'node:http';
import { httpRequest, percentile, type HttpReply } from './real-cluster-process.js';

export interface LoadOptions {
  /** The API server, http://127.0.0.1:PORT (nothing else is accepted). */
  url: string;
  /** The namespace's collection path, e.g. /api/v1/namespaces/default/pods. */
  collectionPath: string;
  /** The objects GET and PUT pick from (all in the collection). */
  names: string[];
  ratePerS: number;
  warmUpS: number;
  durationS: number;
  socketCountMax: number;
  /** How long to wait for the replies still outstanding after the last send. */
  drainTimeoutMs: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadReport {
  get: LatencySummary;
  list: LatencySummary;
  update: LatencySummary;
  /** PUTs answered 409 (counted as completed requests). */
  conflictCount: number;
  /** Replies other than 2xx/409, and network errors (counted as completed requests). */
  errorCount: number;
  /** Requests still unanswered at the drain deadline (counted with their latency then). */
  timeoutCount: number;
  /** Requests never sent because the loop ran past its time bound. */
  unsentCount: number;
  /** The dispatcher's worst lateness: a sign the generator itself was short of CPU. */
  sendLagMsMax: number;
  /** p50 of every kind per 5 s of intended send time: rising values mean a saturated server. */
  windowP50Ms: number[];
}

type RequestKind = 'get' | 'list' | 'update';

/** 5 get : 3 list : 2 update, interleaved. */
const kindPattern: readonly RequestKind[] = [
  'get',
  'list',
  'get',
  'update',
  'get',
  'list',
  'get',
  'update',
  'get',
  'list',
];

const objectStride = 37;
const windowMs = 5_000;

/** Time past the loop's nominal end after which nothing more is sent. */
const sendSlackMs = 5_000;

type JsonObject = Record<string, unknown> & { metadata?: { labels?: Record<string, string> } };

class LoadRun {
  private readonly agent: http.Agent;
  private readonly objects = new Map<string, JsonObject>();
  private readonly samples: Record<RequestKind, number[]> = { get: [], list: [], update: [] };
  private readonly outstanding = new Set<{ kind: RequestKind; intendedMs: number }>();
  private readonly turns: Record<RequestKind, number> = { get: 0, list: 0, update: 0 };
  /** Latencies of every kind by window of intended send time (after the warm-up). */
  private readonly windows: number[][] = [];
  private recordFromMs = 0;
  private conflictCount = 0;
  private errorCount = 0;
  private sendLagMsMax = 0;

  constructor(private readonly options: LoadOptions) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.socketCountMax });
  }

  async run(): Promise<LoadReport> {
    for (const name of this.options.names) {
      const reply = await this.request('GET', name);
      if (reply.status !== 200) throw new Error(`load: GET ${name}: ${reply.status}`);
      this.remember(name, reply);
    }
    const unsentCount = await this.openLoop();
    const timeoutCount = await this.drain();
    this.agent.destroy();
    return {
      get: summary(this.samples.get),
      list: summary(this.samples.list),
      update: summary(this.samples.update),
      conflictCount: this.conflictCount,
      errorCount: this.errorCount,
      timeoutCount,
      unsentCount,
      sendLagMsMax: this.sendLagMsMax,
      windowP50Ms: Array.from(this.windows, (w) => (w === undefined ? 0 : summary(w).p50Ms)),
    };
  }

  /** Sends request k at k / rate seconds after the start, catching up when a tick is late. */
  private openLoop(): Promise<number> {
    const { ratePerS, warmUpS, durationS } = this.options;
    const total = Math.trunc(ratePerS * (warmUpS + durationS));
    const periodMs = 1000 / ratePerS;
    const startMs = performance.now();
    const stopMs = startMs + (warmUpS + durationS) * 1000 + sendSlackMs;
    this.recordFromMs = startMs + warmUpS * 1000;
    let next = 0;
    return new Promise((resolve) => {
      const tick = () => {
        const nowMs = performance.now();
        while (next < total && startMs + next * periodMs <= nowMs && nowMs < stopMs) {
          const intendedMs = startMs + next * periodMs;
          this.sendLagMsMax = Math.max(this.sendLagMsMax, nowMs - intendedMs);
          this.send(next, intendedMs);
          next += 1;
        }
        if (next >= total || nowMs >= stopMs) return resolve(total - next);
        setTimeout(tick, Math.max(0, startMs + next * periodMs - performance.now()));
      };
      tick();
    });
  }

  private send(k: number, intendedMs: number): void {
    const kind = kindPattern[k % kindPattern.length] ?? 'get';
    const names = this.options.names;
    // Each kind walks every object in turn (the stride is coprime with the count).
    const turn = this.turns[kind]++;
    const name = names[(turn * objectStride) % names.length] ?? '';
    const entry = { kind, intendedMs };
    this.outstanding.add(entry);
    const finish = () => {
      if (!this.outstanding.delete(entry)) return;
      this.record(kind, intendedMs, performance.now());
    };
    const onReply = (reply: HttpReply) => {
      finish();
      if (reply.status === 409) this.conflictCount += 1;
      else if (reply.status < 200 || reply.status > 299) this.errorCount += 1;
      else if (kind !== 'list') this.remember(name, reply);
    };
    const onError = () => {
      finish();
      this.errorCount += 1;
    };
    this.dispatch(kind, name, k).then(onReply, onError);
  }

  private dispatch(kind: RequestKind, name: string, k: number): Promise<HttpReply> {
    if (kind === 'list') {
      const path = this.options.collectionPath;
      return httpRequest(this.agent, this.options.url, { method: 'GET', path, discardBody: true });
    }
    if (kind === 'get') return this.request('GET', name);
    const current = this.objects.get(name);
    if (current === undefined) return this.request('GET', name);
    const labels = { ...(current.metadata?.labels ?? {}), bench: String(k) };
    const body = JSON.stringify({ ...current, metadata: { ...current.metadata, labels } });
    return this.request('PUT', name, body);
  }

  private request(method: string, name: string, body?: string): Promise<HttpReply> {
    const path = `${this.options.collectionPath}/${name}`;
    return httpRequest(this.agent, this.options.url, { method, path, body });
  }

  private remember(name: string, reply: HttpReply): void {
    this.objects.set(name, JSON.parse(reply.text) as JsonObject);
  }

  private record(kind: RequestKind, intendedMs: number, doneMs: number): void {
    if (intendedMs < this.recordFromMs) return;
    this.samples[kind].push(doneMs - intendedMs);
    const window = Math.trunc((intendedMs - this.recordFromMs) / windowMs);
    (this.windows[window] ??= []).push(doneMs - intendedMs);
  }

  /** Waits for the outstanding replies; those still missing count as timeouts at the deadline. */
  private async drain(): Promise<number> {
    const deadlineMs = performance.now() + this.options.drainTimeoutMs;
    while (this.outstanding.size > 0 && performance.now() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const late = [...this.outstanding];
    this.outstanding.clear();
    const nowMs = performance.now();
    for (const entry of late) this.record(entry.kind, entry.intendedMs, nowMs);
    return late.length;
  }
}

function summary(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    count: values.length,
    p50Ms: round(percentile(values, 0.5)),
    p99Ms: round(percentile(values, 0.99)),
    maxMs: round(percentile(values, 1)),
  };
}

function parseOptions(text: string | undefined): LoadOptions {
  const options = JSON.parse(text ?? '{}') as LoadOptions;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.url)) {
    throw new Error(`load: only http://127.0.0.1:PORT is accepted, not "${options.url}"`);
  }
  const count = options.names.length;
  if (count === 0 || count % objectStride === 0) throw new Error(`load: bad object count ${count}`);
  return options;
}

async function main(): Promise<void> {
  const report = await new LoadRun(parseOptions(process.argv[2])).run();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
