// The benchmark figures: which section measures what, and how one measurement runs.

export interface FigureSpec {
  section: string;
  metric: string;
  unit: string;
  /** Target from the project's issues, when one is set; reported beside the value. */
  target?: number;
  /** Runs one measurement in this process and returns the value. */
  measure(): Promise<number>;
}

/** Loads the figures of every section lazily, so a worker imports only what it measures. */
export async function loadFigures(): Promise<FigureSpec[]> {
  const store = await import('./store-bench.js');
  const handler = await import('./handler-bench.js');
  const scheduler = await import('./scheduler-bench.js');
  const sim = await import('./sim-bench.js');
  const real = await import('./real-bench.js');
  const { benchEngine } = await import('../../sim/engine/engine-bench.js');
  return [
    {
      section: 'store',
      metric: 'updates_per_s',
      unit: 'updates/s',
      target: 100_000,
      measure: store.storeUpdatesPerSecond,
    },
    {
      section: 'store',
      metric: 'handler_updates_per_s',
      unit: 'updates/s',
      measure: handler.handlerUpdatesPerSecond,
    },
    {
      section: 'store',
      metric: 'watch_fanout_events_per_s',
      unit: 'events/s',
      target: 1_000_000,
      measure: store.watchFanoutEventsPerSecond,
    },
    {
      section: 'scheduler',
      metric: 'pods_per_s_5k_nodes_bare',
      unit: 'pods/s',
      target: 20_000,
      measure: scheduler.podsPerSecond5kNodesBare,
    },
    {
      section: 'scheduler',
      metric: 'pods_per_s_5k_nodes_rs',
      unit: 'pods/s',
      target: 10_000,
      measure: scheduler.podsPerSecond5kNodesRs,
    },
    {
      section: 'scheduler',
      metric: 'pods_per_s_pod_affinity',
      unit: 'pods/s',
      target: 350,
      measure: scheduler.podsPerSecondPodAffinity,
    },
    {
      section: 'scheduler',
      metric: 'max_rss_bytes',
      unit: 'bytes',
      target: 2_147_483_648,
      measure: scheduler.maxRssBytes,
    },
    {
      section: 'sim',
      metric: 'engine_events_per_s',
      unit: 'events/s',
      target: 3_000_000,
      measure: () => benchEngine({ wallNowMs: () => performance.now() }),
    },
    {
      section: 'sim',
      metric: 'compression_100_nodes',
      unit: 'virtual s/wall s',
      target: 1_000,
      measure: sim.compression100Nodes,
    },
    {
      section: 'sim',
      metric: 'compression_1k_nodes_10min',
      unit: 'virtual s/wall s',
      target: 300,
      measure: sim.compression1kNodes10Min,
    },
    {
      section: 'sim',
      metric: 'e2e_3k_pods_wall_s',
      unit: 's',
      measure: sim.e2e3kPodsWallSeconds,
    },
    {
      section: 'sim',
      metric: 'e2e_3k_pods_max_rss_bytes',
      unit: 'bytes',
      measure: sim.e2e3kPodsMaxRssBytes,
    },
    {
      section: 'real',
      metric: 'cluster_start_s_p50',
      unit: 's',
      target: 1,
      measure: real.clusterStartSecondsP50,
    },
    {
      section: 'real',
      metric: 'cluster_start_s_max',
      unit: 's',
      measure: real.clusterStartSecondsMax,
    },
    {
      section: 'real',
      metric: 'first_pod_running_s',
      unit: 's',
      measure: real.firstPodRunningSeconds,
    },
    {
      section: 'real',
      metric: 'pod_start_ms_p50',
      unit: 'ms',
      measure: real.podStartMsP50,
    },
    {
      section: 'real',
      metric: 'pod_start_ms_p99',
      unit: 'ms',
      target: 250,
      measure: real.podStartMsP99,
    },
    {
      section: 'real',
      metric: 'pod_start_burst_ms_p50',
      unit: 'ms',
      measure: real.podStartBurstMsP50,
    },
    {
      section: 'real',
      metric: 'pod_start_burst_ms_p99',
      unit: 'ms',
      measure: real.podStartBurstMsP99,
    },
    {
      section: 'real',
      metric: 'api_latency_ms_p99_get',
      unit: 'ms',
      measure: real.apiLatencyMsP99Get,
    },
    {
      section: 'real',
      metric: 'api_latency_ms_p99_list',
      unit: 'ms',
      measure: real.apiLatencyMsP99List,
    },
    {
      section: 'real',
      metric: 'api_latency_ms_p99_update',
      unit: 'ms',
      target: 10,
      measure: real.apiLatencyMsP99Update,
    },
  ];
}

export const sections = ['store', 'scheduler', 'sim', 'real'] as const;
