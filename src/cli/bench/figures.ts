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
  ];
}

export const sections = ['store', 'scheduler', 'sim', 'real'] as const;
