// Upstream v1.32 default client rate limits (QPS/burst) per component, and the KubeClient
// options that apply them, so each world builds every component's client the same way.
//
// Values (reference §0 and §9.8):
// - kube-controller-manager: --kube-api-qps 20, --kube-api-burst 30. Upstream builds one client
//   per controller from that config, and each client has its own token bucket: give every
//   controller its own KubeClient with these options rather than sharing one.
// - kube-scheduler: clientConnection qps 50, burst 100.
// - kubelet: kubeAPIQPS 50, kubeAPIBurst 100 (v1.27+); its event client eventRecordQPS 50,
//   eventBurst 100; its heartbeat client (node status and Lease) is not throttled (QPS -1).
// - kube-proxy: clientConnection qps 5, burst 10.
// - client-go: rest.Config's defaults, 5/10, for any other client (tools, tests).
// A KubeClient with qps ≤ 0 is unlimited, so `{ qps: 0 }` switches limiting off.

import type { KubeClientOptions } from '../client/client.js';
import { assert } from '../util/assert.js';

/** The clients miniku builds, named after the upstream component (and client) they mirror. */
export type ClientComponent =
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubelet'
  | 'kubelet-events'
  | 'kubelet-heartbeat'
  | 'kube-proxy'
  | 'client-go';

/** The KubeClientOptions fields that configure rate limiting. */
export type ClientRateLimit = Required<Pick<KubeClientOptions, 'qps' | 'burst'>>;

/** Upstream v1.32 defaults; `qps: 0` means not throttled. */
export const upstreamClientRateLimits: Readonly<
  Record<ClientComponent, Readonly<ClientRateLimit>>
> = Object.freeze({
  'kube-controller-manager': Object.freeze({ qps: 20, burst: 30 }),
  'kube-scheduler': Object.freeze({ qps: 50, burst: 100 }),
  kubelet: Object.freeze({ qps: 50, burst: 100 }),
  'kubelet-events': Object.freeze({ qps: 50, burst: 100 }),
  'kubelet-heartbeat': Object.freeze({ qps: 0, burst: 0 }),
  'kube-proxy': Object.freeze({ qps: 5, burst: 10 }),
  'client-go': Object.freeze({ qps: 5, burst: 10 }),
});

/**
 * The rate-limit options for `component`'s client: upstream's defaults, with `overrides` (e.g.
 * from a scenario or CLI flag) taking precedence field by field. Pass `{ qps: 0 }` to turn
 * limiting off. Throws when the result is limited but cannot hold one token (burst < 1).
 */
export function componentClientOptions(
  component: ClientComponent,
  overrides: Partial<ClientRateLimit> = {},
): ClientRateLimit {
  const defaults = upstreamClientRateLimits[component];
  const qps = overrides.qps ?? defaults.qps;
  const burst = overrides.burst ?? defaults.burst;
  assert(Number.isFinite(qps), `${component} client qps must be a finite number, got ${qps}`);
  if (qps <= 0) return { qps: 0, burst: 0 };
  assert(
    Number.isSafeInteger(burst) && burst >= 1,
    `${component} client burst must be an integer of at least 1 when qps > 0, got ${burst}`,
  );
  return { qps, burst };
}
