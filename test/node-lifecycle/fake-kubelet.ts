// A stand-in kubelet for node lifecycle tests: registers its Node (Ready=True), keeps its Lease
// in kube-node-lease renewed every 10 s from its own (possibly skewed) virtual clock, re-posts
// Ready=True when someone else changed it (as the kubelet's status sync does) or every 5 min,
// and runs pods by marking them Running and Ready. kill() stops all of that; revive() resumes.
import { formatMicroTime, formatTime } from '../../src/control/api/values/time.js';
import { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { TimerHandle } from '../../src/control/ports/clock.js';
import type { Engine, VirtualClock } from '../../src/sim/engine/engine.js';
import type { SimTransport } from '../../src/sim/sim-transport.js';

export interface FakeKubeletOptions {
  engine: Engine;
  transport: SimTransport;
  name: string;
  /** Offset of this kubelet's clock from engine time. Default 0. */
  skewMs?: number;
  labels?: Record<string, string>;
  /** Lease renew interval (0.25 × 40 s). Default 10,000 ms. */
  renewIntervalMs?: number;
  /** nodeStatusReportFrequency. Default 300,000 ms. */
  statusReportIntervalMs?: number;
}

export const leaseDurationSeconds = 40;

function readyConditions(nowText: string): Record<string, string>[] {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: nowText,
    lastTransitionTime: nowText,
  });
  return [
    condition(
      'MemoryPressure',
      'False',
      'KubeletHasSufficientMemory',
      'kubelet has sufficient memory available',
    ),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition(
      'PIDPressure',
      'False',
      'KubeletHasSufficientPID',
      'kubelet has sufficient PID available',
    ),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

function readyOf(node: KubeObject): string | undefined {
  const conditions = ((node.status as { conditions?: { type: string; status: string }[] }) ?? {})
    .conditions;
  return conditions?.find((c) => c.type === 'Ready')?.status;
}

export class FakeKubelet {
  readonly name: string;
  readonly client: KubeClient;
  readonly clock: VirtualClock;
  readonly #options: FakeKubeletOptions;
  #alive = false;
  #timer: TimerHandle | undefined;
  #lastReportMs = Number.NEGATIVE_INFINITY;
  /** Lease renewals that reached the server. */
  renewCount = 0;

  constructor(options: FakeKubeletOptions) {
    this.#options = options;
    this.name = options.name;
    this.clock = options.engine.clock(`kubelet/${options.name}`, { skewMs: options.skewMs ?? 0 });
    this.client = new KubeClient({
      transport: options.transport,
      clock: this.clock,
      userAgent: 'kubelet',
    });
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Creates the Node (with Ready=True) and its Lease, then starts the heartbeat loop. */
  async register(): Promise<void> {
    const nowText = formatTime(this.clock.nowMs());
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.name,
        labels: { 'kubernetes.io/hostname': this.name, ...this.#options.labels },
      },
      spec: {},
    };
    const created = await this.client.create(coreResources.nodes, '', node);
    const status = {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: readyConditions(nowText),
    };
    await this.client.updateStatus(coreResources.nodes, '', { ...created, status });
    this.#lastReportMs = this.clock.nowMs();
    await this.client.create(coreResources.leases, 'kube-node-lease', this.#lease(created));
    this.#alive = true;
    this.#arm();
  }

  /** The node crashes: no more lease renewals or status posts. */
  kill(): void {
    this.#alive = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** The node comes back: posts Ready=True, renews its lease and resumes the loop. */
  async revive(): Promise<void> {
    this.#alive = true;
    await this.#tick();
    this.#arm();
  }

  /** Creates pod `name` in `namespace`, binds it here and reports it Running and Ready. */
  async runPod(namespace: string, name: string, spec: Record<string, unknown> = {}): Promise<void> {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
    };
    await this.client.create(coreResources.pods, namespace, pod);
    await this.client.bind(namespace, name, this.name);
    const bound = await this.client.get(coreResources.pods, namespace, name);
    const nowText = formatTime(this.clock.nowMs());
    const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: nowText });
    const status = {
      ...(bound.status as Record<string, unknown>),
      phase: 'Running',
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
    };
    await this.client.updateStatus(coreResources.pods, namespace, { ...bound, status });
  }

  #lease(node: KubeObject): KubeObject {
    const owner = { apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid };
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: 'kube-node-lease', ownerReferences: [owner] },
      spec: {
        holderIdentity: this.name,
        leaseDurationSeconds,
        renewTime: formatMicroTime(this.clock.nowMs()),
      },
    };
  }

  #arm(): void {
    if (!this.#alive || this.#timer !== undefined) return;
    this.#timer = this.clock.setTimer(this.#options.renewIntervalMs ?? 10_000, () => {
      this.#timer = undefined;
      void this.#tick().finally(() => this.#arm());
    });
  }

  async #tick(): Promise<void> {
    if (!this.#alive) return;
    try {
      await this.#renewLease();
      await this.#syncStatus();
    } catch {
      // Conflicts and the like: the next tick tries again, as the kubelet does.
    }
  }

  async #renewLease(): Promise<void> {
    const lease = await this.client.get(coreResources.leases, 'kube-node-lease', this.name);
    const spec = {
      ...(lease.spec as Record<string, unknown>),
      renewTime: formatMicroTime(this.clock.nowMs()),
    };
    await this.client.update(coreResources.leases, 'kube-node-lease', { ...lease, spec });
    this.renewCount += 1;
  }

  async #syncStatus(): Promise<void> {
    const node = await this.client.get(coreResources.nodes, '', this.name);
    const nowMs = this.clock.nowMs();
    const due = nowMs - this.#lastReportMs >= (this.#options.statusReportIntervalMs ?? 300_000);
    if (readyOf(node) === 'True' && !due) return;
    const old = ((node.status as { conditions?: Record<string, string>[] }) ?? {}).conditions ?? [];
    const conditions = readyConditions(formatTime(nowMs)).map((c) => {
      const before = old.find((o) => o.type === c.type);
      if (before === undefined || before.status !== c.status) return c;
      if (before.lastTransitionTime === undefined) return c;
      return { ...c, lastTransitionTime: before.lastTransitionTime };
    });
    const status = { ...(node.status as Record<string, unknown>), conditions };
    await this.client.updateStatus(coreResources.nodes, '', { ...node, status });
    this.#lastReportMs = nowMs;
  }
}
