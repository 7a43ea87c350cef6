// The invariants a correct store and API server cannot break, broken with fabricated events: a
// store watch that delivers a revision twice or out of order, an answer naming a commit that
// never happened, a commit built on a lost write, and watch streams that repeat, skip or reorder
// changes. The world is a real store and API server; only the fabricated parts are fake.
import { describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/control/apiserver/api-server.js';
import type { ApiResultObserver } from '../../src/control/apiserver/api-server.js';
import type {
  HandlerResult,
  ServerStreamWriter,
  TransportRequest,
} from '../../src/control/ports/transport.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type {
  StoredObject,
  StoreWatchEvent,
  VersionedStore,
  WatchCallback,
} from '../../src/control/store/types.js';
import { InvariantChecker } from '../../src/sim/run/invariants.js';
import type { InvariantName } from '../../src/sim/run/invariants.js';
import { newTestEngine, newTestStore } from '../support/sim-base.js';

interface Hooks {
  observer: ApiResultObserver | undefined;
  /** The checker's store watch callback: fabricated commits go here. */
  commit: WatchCallback | undefined;
}

/** A store that hands the test the watch callback of whoever watches every key. */
function tappedStore(store: VersionedStore, hooks: Hooks): VersionedStore {
  return {
    get revision() {
      return store.revision;
    },
    get oldestRevision() {
      return store.oldestRevision;
    },
    get: (key) => store.get(key),
    create: (key, object) => store.create(key, object),
    update: (key, object, options) => store.update(key, object, options),
    delete: (key, options) => store.delete(key, options),
    list: (prefix, options) => store.list(prefix, options),
    watch: (prefix, options, callback) => {
      if (prefix === '') hooks.commit = callback;
      return store.watch(prefix, options, callback);
    },
    sync: () => store.sync(),
  };
}

async function fabricatedWorld() {
  const engine = newTestEngine();
  const store = await newTestStore();
  const hooks: Hooks = { observer: undefined, commit: undefined };
  const api = await createApiServer({
    store,
    clock: engine.clock('apiserver'),
    rng: createRng(1).fork('apiserver'),
    observer: (request, result) => hooks.observer?.(request, result) ?? result,
  });
  const checker = new InvariantChecker({
    world: {
      engine,
      store: tappedStore(store, hooks),
      setApiServerObserver: (observer) => {
        hooks.observer = observer;
      },
      nodes: new Map(),
      scheduler: { onDecision: undefined },
    },
  });
  checker.start();
  const serve = (request: TransportRequest) => api.handle(request);
  return { store, hooks, checker, serve };
}

function request(method: string, path: string, body = '', query = {}): TransportRequest {
  return { method, path, query, headers: { 'user-agent': 'test' }, body };
}

const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const leasePrefix = '/leases.coordination.k8s.io/';

function createLease(name: string): TransportRequest {
  const object = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name },
    spec: { holderIdentity: name },
  };
  return request('POST', leases, JSON.stringify(object));
}

const watchLabel = 'the watch of test on /apis/coordination.k8s.io/v1/leases';

function broken(checker: InvariantChecker): InvariantName[] {
  return checker.violations().map((v) => v.invariant);
}

function collector(): { writer: ServerStreamWriter; lines: string[] } {
  const lines: string[] = [];
  return { lines, writer: { write: (chunk) => lines.push(chunk), end: () => undefined } };
}

/** A watch stream whose server side is `misbehave`, fed every committed Lease change. */
function fakeWatch(
  store: VersionedStore,
  misbehave: (line: string, writer: ServerStreamWriter) => void,
): HandlerResult {
  return {
    kind: 'stream',
    status: 200,
    headers: {},
    open: (writer) => {
      const started = store.watch(leasePrefix, { fromRevision: 0 }, (event) => {
        misbehave(`{"type":"${event.type}","object":${JSON.stringify(event.object)}}\n`, writer);
      });
      return () => (started.ok ? started.value.cancel() : undefined);
    },
  };
}

/** Opens a stream result as the transport would; returns the lines it writes. */
function open(result: HandlerResult): string[] {
  expect(result.kind).toBe('stream');
  const { writer, lines } = collector();
  if (result.kind === 'stream') result.open(writer);
  return lines;
}

/** A fabricated watch answer, handed to the checker as the API server would hand it. */
function observed(hooks: Hooks, result: HandlerResult): HandlerResult {
  const watch = request('GET', '/apis/coordination.k8s.io/v1/leases', '', { watch: '1' });
  return hooks.observer?.(watch, result) ?? result;
}

describe('built-in invariants against fabricated faults', () => {
  it('hold for a real API server’s writes and watch stream', async () => {
    const { checker, serve } = await fabricatedWorld();
    const lines = open(
      await serve(request('GET', '/apis/coordination.k8s.io/v1/leases', '', { watch: '1' })),
    );
    for (const name of ['a', 'b', 'c']) expect((await serve(createLease(name))).kind).toBe('unary');
    await serve(request('DELETE', `${leases}/b`));
    expect(lines).toHaveLength(4);
    expect(checker.violations()).toEqual([]);
    expect(checker.stats()).toMatchObject({ watchLinesChecked: 4, acknowledgedWritesVerified: 4 });
  });

  it('resource-version-order: a revision delivered again, or going back', async () => {
    const { store, hooks, checker, serve } = await fabricatedWorld();
    await serve(createLease('a'));
    const key = `${leasePrefix}default/a`;
    const object = store.get(key) as StoredObject;
    const replayed: StoreWatchEvent = {
      type: 'MODIFIED',
      key,
      object,
      prevObject: object,
      revision: store.revision,
    };
    hooks.commit?.(replayed);
    hooks.commit?.({ ...replayed, revision: store.revision - 1 });
    expect(broken(checker)).toEqual(['resource-version-order', 'resource-version-order']);
    expect(checker.violations()[1]?.message).toBe(
      `revision ${store.revision - 1} (MODIFIED ${key}) was committed after ` +
        `revision ${store.revision}`,
    );
  });

  it('acknowledged-write-kept: an answer naming a commit that never happened', async () => {
    const { store, hooks, checker } = await fabricatedWorld();
    const ghost = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: 'ghost',
        namespace: 'default',
        resourceVersion: String(store.revision + 5),
      },
    };
    const answered: HandlerResult = {
      kind: 'unary',
      response: { status: 201, headers: {}, body: JSON.stringify(ghost) },
    };
    hooks.observer?.(createLease('ghost'), answered);
    expect(broken(checker)).toEqual(['acknowledged-write-kept']);
    expect(checker.violations()[0]?.message).toMatch(
      /was answered with revision \d+, but the store's last commit is \d+$/,
    );
  });

  it('acknowledged-write-kept: a commit that undoes an acknowledged write', async () => {
    const { store, hooks, checker, serve } = await fabricatedWorld();
    await serve(createLease('a'));
    const key = `${leasePrefix}default/a`;
    const first = store.get(key) as StoredObject;
    const update = { ...first, spec: { holderIdentity: 'second' } };
    const answer = await serve(request('PUT', `${leases}/a`, JSON.stringify(update)));
    expect(answer.kind === 'unary' && answer.response.status).toBe(200);
    // A commit that replaced the first state, as if the acknowledged update had never been.
    const revision = store.revision + 1;
    const lost = {
      ...first,
      metadata: { ...(first.metadata as object), resourceVersion: String(revision) },
    };
    hooks.commit?.({ type: 'MODIFIED', key, object: lost, prevObject: first, revision });
    expect(broken(checker)).toEqual(['acknowledged-write-kept']);
    expect(checker.violations()[0]?.message).toContain('that write was lost');
  });

  it('watch-delivery-order: a stream that repeats a change', async () => {
    const { store, hooks, checker, serve } = await fabricatedWorld();
    open(
      observed(
        hooks,
        fakeWatch(store, (line, writer) => {
          writer.write(line);
          writer.write(line);
        }),
      ),
    );
    await serve(createLease('a'));
    expect(checker.violations().map((v) => v.message)).toEqual([
      `${watchLabel} delivered revision ${store.revision} again`,
    ]);
  });

  it('watch-delivery-order: a stream that skips a change', async () => {
    const { store, hooks, checker, serve } = await fabricatedWorld();
    let count = 0;
    open(
      observed(
        hooks,
        fakeWatch(store, (line, writer) => {
          count += 1;
          if (count !== 2) writer.write(line);
        }),
      ),
    );
    for (const name of ['a', 'b', 'c']) await serve(createLease(name));
    expect(broken(checker)).toEqual(['watch-delivery-order']);
    expect(checker.violations()[0]?.message).toBe(
      `${watchLabel} never delivered revision ${store.revision - 1} ` + '(ADDED Lease default/b)',
    );
  });

  it('watch-delivery-order: a stream that swaps two changes', async () => {
    const { store, hooks, checker, serve } = await fabricatedWorld();
    let held: string | undefined;
    open(
      observed(
        hooks,
        fakeWatch(store, (line, writer) => {
          if (held === undefined) {
            held = line;
            return;
          }
          writer.write(line);
          writer.write(held);
        }),
      ),
    );
    await serve(createLease('a'));
    await serve(createLease('b'));
    const r = store.revision;
    expect(checker.violations().map((v) => v.message)).toEqual([
      `${watchLabel} never delivered revision ${r - 1} ` + '(ADDED Lease default/a)',
      `${watchLabel} delivered revision ${r - 1} after ${r}`,
    ]);
  });
});
