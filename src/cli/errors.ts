// User-facing CLI errors: a stable code and a one-line message, never a stack trace.

export class MinikuError extends Error {
  override readonly name = 'MinikuError';
  /** Stable machine-readable code, e.g. `E_BAD_FLAG`, `E_PORT_IN_USE`. */
  readonly code: string;
  /** Process exit code to use when this error ends the CLI. */
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 2) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}
