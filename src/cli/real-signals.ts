// How real mode's long-running commands end: the first SIGINT or SIGTERM stops gracefully, a
// second one forces (kill what runs, exit 130); an exit for any other reason still kills the
// containers, so none outlives the process.

export interface UntilSignalOptions {
  /** The graceful stop. */
  stop: () => Promise<void>;
  /** Kills what must not outlive the process; synchronous, called at most once per exit path. */
  kill: () => void;
  /** Progress lines (`stopping …`). */
  log: (line: string) => void;
}

/** Resolves once a signal arrived and `stop` finished. */
export function untilSignal(options: UntilSignalOptions): Promise<void> {
  const onExit = () => options.kill();
  process.on('exit', onExit);
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        options.log(`${signal} again: killing everything now`);
        options.kill();
        process.exit(130);
      }
      stopping = true;
      options.log(`${signal}: stopping pods and components (again to force)`);
      void options.stop().then(
        () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          process.off('exit', onExit);
          resolve();
        },
        (error: unknown) => {
          options.log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
          options.kill();
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
