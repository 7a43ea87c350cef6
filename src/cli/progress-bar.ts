// The progress bar of `miniku sim run` on stderr: a pure renderer, when to draw at all, and a
// writer that redraws one line at most every 100 ms of wall time.
//
// The simulator calls back with virtual time from inside an engine run, while the determinism
// guard has replaced the host's clock globals; so the wall clock is captured before any run.

export interface ProgressFrame {
  /** Shown after the bar, e.g. the scenario name. */
  label: string;
  /** Virtual ms done. */
  elapsedMs: number;
  /** Virtual ms in all. */
  durationMs: number;
}

/** Cells in the bar. */
export const progressBarWidth = 10;
/** Least wall time between two redraws (so at most 10 a second). */
export const progressRedrawIntervalMs = 100;

/** `[#####     ] zone-spread 60s/120s`: whole seconds, the bar rounded down. */
export function renderProgressBar(frame: ProgressFrame, width = progressBarWidth): string {
  const { elapsedMs, durationMs } = frame;
  const ratio = durationMs <= 0 ? 1 : Math.min(1, Math.max(0, elapsedMs / durationMs));
  const filled = Math.floor(ratio * width);
  const bar = `${'#'.repeat(filled)}${' '.repeat(width - filled)}`;
  return `[${bar}] ${frame.label} ${wholeSeconds(elapsedMs)}s/${wholeSeconds(durationMs)}s`;
}

function wholeSeconds(ms: number): number {
  return Math.trunc(Math.max(0, ms) / 1000);
}

/** Where the bar is drawn: a stream like process.stderr. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressConditions {
  /** The stream is a terminal. */
  isTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** `--quiet` was given. */
  quiet: boolean;
}

/**
 * Whether to draw: only on a terminal, and not with `--quiet`, `NO_COLOR` (any non-empty
 * value, as no-color.org says), `CI` (set and not `false` or `0`) or `TERM=dumb`.
 */
export function progressEnabled(conditions: ProgressConditions): boolean {
  const { env } = conditions;
  const ci = env['CI'] ?? '';
  if (!conditions.isTty || conditions.quiet) return false;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  if (ci !== '' && ci !== 'false' && ci !== '0') return false;
  return env['TERM'] !== 'dumb';
}

export interface ProgressBarOptions {
  write: (text: string) => void;
  /** Host wall time in ms, captured before any simulation run. */
  nowMs: () => number;
  /** Default `progressRedrawIntervalMs`. */
  redrawIntervalMs?: number;
}

/** Redraws one terminal line in place (`\r` then erase to the end of the line). */
export class ProgressBar {
  readonly #options: ProgressBarOptions;
  #lastDrawMs: number | undefined;
  #drawn = false;

  constructor(options: ProgressBarOptions) {
    this.#options = options;
  }

  /** Draws the frame unless the last draw was less than the redraw interval ago. */
  update(frame: ProgressFrame): void {
    const nowMs = this.#options.nowMs();
    const intervalMs = this.#options.redrawIntervalMs ?? progressRedrawIntervalMs;
    if (this.#lastDrawMs !== undefined && nowMs - this.#lastDrawMs < intervalMs) return;
    this.#lastDrawMs = nowMs;
    this.#drawn = true;
    this.#options.write(`\r${renderProgressBar(frame)}\x1b[K`);
  }

  /** Erases the bar (before the verdict is printed); the next update draws at once. */
  clear(): void {
    if (this.#drawn) this.#options.write('\r\x1b[K');
    this.#drawn = false;
    this.#lastDrawMs = undefined;
  }
}

/** A bar on `stream` when progressEnabled says so, else undefined. */
export function progressBarFor(
  stream: ProgressStream,
  conditions: Omit<ProgressConditions, 'isTty'>,
): ProgressBar | undefined {
  if (!progressEnabled({ ...conditions, isTty: stream.isTTY === true })) return undefined;
  // Bound now, while performance.now is still the host's (runs replace the global).
  const hostNow = performance.now.bind(performance);
  return new ProgressBar({ write: (text) => void stream.write(text), nowMs: hostNow });
}
