// Invariant checks that stay on in every world: a failed assert is a programmer error.

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertNever(value: never, message = 'unexpected variant'): never {
  throw new AssertionError(`${message}: ${JSON.stringify(value)}`);
}
